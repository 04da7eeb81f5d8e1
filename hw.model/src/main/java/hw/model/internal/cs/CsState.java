package hw.model.internal.cs;

/** Execution state of a {@link CommandStream}, also what {@link CommandStream#run} returns. */
public enum CsState {
    /** Nothing to execute: extract caught up with insert, no call in progress, no work in flight. */
    IDLE,
    /** Has work; the last run stopped because its cycle budget was used up. */
    RUNNING,
    /** Blocked in SYNC_WAIT32/64 until the sync object satisfies the condition (see statusWait*). */
    WAITING_SYNC,
    /** Blocked in FLUSH_CACHE2 because the host reported the cache flush as stalled. */
    WAITING_FLUSH,
    /** Raised CS_FAULT (recoverable); halted until the host calls {@link CommandStream#acknowledgeFault()}. */
    FAULTED,
    /** Raised CS_FATAL; stopped for good until rebound. */
    FATAL
}
