package driver.core.subsys.coredump;

import driver.core.slot.Subsystem;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * DOC: The coredump subsystem contract (devcoredump of a faulted or timed-out group). Optional.
 *
 * The scheduler captures what only it knows at the moment of a job timeout or a CS fault
 * (the group, its queues' rings and registers, the VM's mappings) into a
 * {@link CoredumpSnapshot} and hands it over with {@link #capture}; the implementation
 * formats and publishes it as a devcoredump ({@code /sys/class/devcoredump/devcdN/data}),
 * which user space reads and then clears by writing. Without an implementation the slot's
 * fallback drops snapshots: no dumps, nothing else changes.
 */
@ConsumerType
public interface Coredump extends Subsystem<CoredumpState> {

    /**
     * {@code dev_coredumpm()}: publishes a dump of {@code snapshot}.
     *
     * @return its index ({@code devcdN}), or -1 if none was taken (no coredump, or one pending)
     */
    int capture(CoredumpSnapshot snapshot);

    /** The dumps published and not yet cleared. */
    List<DumpInfo> dumps();

    /** The dump's text ({@code data}), empty if there is no such dump. */
    String read(int index);

    /** Writing to {@code data}: the dump is freed. */
    void clear(int index);

    /** Its sysfs class directory ({@code class/devcoredump}), empty if none. */
    String sysfsClass();

    /** A published dump. */
    record DumpInfo(int index, String reason, int clientId, int groupHandle, long timestampNanos, int bytes) {
    }
}
