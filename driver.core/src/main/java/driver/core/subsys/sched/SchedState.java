package driver.core.subsys.sched;

import driver.core.kernel.DmaFence;
import driver.core.kernel.KernelMapping;
import driver.core.slot.SubsystemState;
import driver.core.subsys.mmu.VmRef;
import java.util.ArrayList;
import java.util.List;

/**
 * DOC: The scheduler's implementation-neutral state.
 *
 * Every group with its queues (kernel ring buffers and interfaces stay where they are in GPU
 * memory: the state names their {@link KernelMapping}s) and in-flight jobs with their fences,
 * the CSG slot table, every tiler heap with its chunk list, and the tick (armed or not, when it
 * fires next in virtual time). Kernel objects owned by the driver core appear by reference.
 *
 * @param version      {@link #VERSION}
 * @param groups       every group, by (client, handle)
 * @param csgSlots     the CSG slot table, slot 0 first
 * @param heapPools    tiler heaps per VM
 * @param tickArmed    whether the scheduling tick is armed
 * @param nextTickNanos virtual time of the next tick, -1 if not armed
 * @param resetPending whether a reset was requested and not done
 */
public record SchedState(int version, List<GroupState> groups, List<CsgSlotState> csgSlots,
                         List<HeapPoolState> heapPools, boolean tickArmed, long nextTickNanos, boolean resetPending)
        implements SubsystemState {

    public static final int VERSION = 1;

    public SchedState {
        groups = List.copyOf(groups);
        csgSlots = List.copyOf(csgSlots);
        heapPools = List.copyOf(heapPools);
    }

    /** An idle device: no groups, {@code csgSlotCount} free CSG slots, tick stopped. */
    public static SchedState initial(int csgSlotCount) {
        List<CsgSlotState> slots = new ArrayList<>();
        for (int i = 0; i < csgSlotCount; i++) {
            slots.add(new CsgSlotState(i, 0, 0, 0, false));
        }
        return new SchedState(VERSION, List.of(), slots, List.of(), false, -1, false);
    }

    /**
     * A group.
     *
     * @param pid          the creating process (job timeout logs, coredumps)
     * @param comm         its command name
     * @param state        {@code PANTHOR_CS_GROUP_*}: 0 created, 1 active, 2 suspended, 3 terminated, 4 unknown
     * @param suspendBuf   the CSG suspend buffer (kernel BO)
     * @param protmSuspendBuf the protected-mode suspend buffer
     */
    public record GroupState(int clientId, int pid, String comm, int handle, VmRef vm, int priority,
                             long computeCoreMask,
                             long fragmentCoreMask, long tilerCoreMask, int maxCompute, int maxFragment,
                             int maxTiler, int state, int csgSlot, int fatalQueues, boolean timedOut,
                             boolean innocent, KernelMapping suspendBuf, KernelMapping protmSuspendBuf,
                             KernelMapping syncobjs, List<QueueState> queues) {
        public GroupState {
            queues = List.copyOf(queues);
        }
    }

    /**
     * A queue.
     *
     * @param ringbuf    the kernel ring buffer in GPU memory
     * @param iface      the queue's user input/output interface pages
     * @param insert     ring insert pointer (bytes written)
     * @param extract    ring extract pointer last seen
     * @param syncSeqno  last job seqno signalled by the per-queue sync object
     * @param jobs       in-flight jobs, oldest first
     */
    public record QueueState(int index, int priority, KernelMapping ringbuf, KernelMapping iface, long insert,
                             long extract, long syncSeqno, boolean blocked, List<JobState> jobs) {
        public QueueState {
            jobs = List.copyOf(jobs);
        }
    }

    /**
     * A job in flight: its place in the ring, its done fence, and its timeout deadline in
     * virtual time.
     */
    public record JobState(long seqno, long ringStart, long ringEnd, DmaFence doneFence, long deadlineNanos) {
    }

    /** A CSG slot ({@code clientId}/{@code groupHandle} 0 when free). */
    public record CsgSlotState(int slot, int clientId, int groupHandle, int priority, boolean idle) {
    }

    /** The tiler heaps of one VM ({@code struct panthor_heap_pool}). */
    public record HeapPoolState(VmRef vm, KernelMapping gpuContexts, List<HeapState> heaps) {
        public HeapPoolState {
            heaps = List.copyOf(heaps);
        }
    }

    /** A tiler heap: its chunk list in GPU memory, newest first. */
    public record HeapState(int index, int chunkSize, int maxChunks, int targetInFlight,
                            List<KernelMapping> chunks) {
        public HeapState {
            chunks = List.copyOf(chunks);
        }
    }
}
