package driver.core.subsys.coredump;

import java.util.List;

/**
 * What the scheduler hands to coredump when a group times out or faults: taken under the
 * scheduler's locks at the moment of the event, self-contained (copies, not live views).
 *
 * @param reason          {@code TIMEOUT}, {@code CS_FAULT}, {@code CS_FATAL}, {@code MMU_FAULT}
 * @param timestampNanos  virtual time of the event
 * @param clientId        the file that owns the group
 * @param pid             the opener's pid
 * @param comm            the opener's command name
 * @param groupHandle     the group
 * @param csgSlot         its CSG slot, -1 if none
 * @param vmKey           its VM's key
 * @param queues          its queues
 * @param mappings        the VM's mappings (va, size, flags), as text lines
 */
public record CoredumpSnapshot(String reason, long timestampNanos, int clientId, int pid, String comm,
                               int groupHandle, int csgSlot, long vmKey, List<QueueSnapshot> queues,
                               List<String> mappings) {

    public CoredumpSnapshot {
        queues = List.copyOf(queues);
        mappings = List.copyOf(mappings);
    }

    /**
     * A queue at the event.
     *
     * @param csFaultStatus {@code CS_FAULT} / {@code CS_FATAL} value, 0 if none
     * @param csFaultInfo   the faulting address or extra information
     * @param ring          the ring buffer content between extract and insert (copied)
     */
    public record QueueSnapshot(int index, long ringbufVa, long insert, long extract, int csFaultStatus,
                                long csFaultInfo, List<Long> ring) {
        public QueueSnapshot {
            ring = List.copyOf(ring);
        }
    }
}
