package hw.model.internal.cs;

/**
 * The two ring-buffer pointers of one queue, as the firmware keeps them in the queue's user
 * I/O pages: CS_INSERT (written by the driver, read here) and CS_EXTRACT (written here).
 * Both are monotonically increasing byte offsets; the instruction at offset {@code o} lives at
 * {@code ringBase + (o & (ringSize - 1))}.
 */
public interface RingPointers {

    /** Current CS_INSERT. Read at the start of a run and again whenever execution catches up with it. */
    long insert();

    /** Publishes CS_EXTRACT; called at the end of a run when it moved. */
    void extract(long extract);
}
