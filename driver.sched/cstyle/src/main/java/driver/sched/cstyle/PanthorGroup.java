package driver.sched.cstyle;

import driver.core.kernel.KernelMapping;
import driver.core.subsys.mmu.VmRef;

/**
 * {@code struct panthor_group}: queues sharing a VM, a priority and core masks, scheduled as
 * one CSG. {@link #csgId} is its CSG slot (-1 when not resident); {@link #state} follows the
 * firmware state ({@code PANTHOR_CS_GROUP_*}). Dead once {@link #fatalQueues},
 * {@link #timedout} or {@link #destroyed} is set ({@link PanthorSched#groupCanRun}).
 */
final class PanthorGroup {

    static final int PANTHOR_CS_GROUP_CREATED = 0;
    static final int PANTHOR_CS_GROUP_ACTIVE = 1;
    static final int PANTHOR_CS_GROUP_SUSPENDED = 2;
    static final int PANTHOR_CS_GROUP_TERMINATED = 3;
    static final int PANTHOR_CS_GROUP_UNKNOWN_STATE = 4;

    final int clientId;
    final int pid;
    final String comm;
    int handle;
    final VmRef vm;
    final int priority;
    final long computeCoreMask;
    final long fragmentCoreMask;
    final long tilerCoreMask;
    final int maxComputeCores;
    final int maxFragmentCores;
    final int maxTilerCores;
    final long fenceContext;

    int state = PANTHOR_CS_GROUP_CREATED;
    int csgId = -1;
    /** CSG priority given at the last tick (15 highest). */
    int csgPriority = -1;
    int fatalQueues;
    boolean timedout;
    boolean innocent;
    boolean destroyed;
    /** Resources released ({@code group_release_work} done). */
    boolean released;
    /** Fences failed ({@code group_term_post_processing} done). */
    boolean termProcessed;

    KernelMapping suspendBuf;
    KernelMapping protmSuspendBuf;
    /** One {@code struct panthor_syncobj_64b} (seqno u64, status u32, pad u32) per queue. */
    KernelMapping syncobjs;
    PanthorQueue[] queues = new PanthorQueue[0];

    /** Queues with nothing to do (ring empty or blocked on a sync wait). */
    int idleQueues;
    /** Queues blocked on a SYNC_WAIT. */
    int blockedQueues;
    /** Round-robin position: lower goes first among equals. */
    long rrStamp;

    PanthorGroup(int clientId, int pid, String comm, VmRef vm, int priority, long computeCoreMask,
                 long fragmentCoreMask, long tilerCoreMask, int maxComputeCores, int maxFragmentCores,
                 int maxTilerCores, long fenceContext) {
        this.clientId = clientId;
        this.pid = pid;
        this.comm = comm;
        this.vm = vm;
        this.priority = priority;
        this.computeCoreMask = computeCoreMask;
        this.fragmentCoreMask = fragmentCoreMask;
        this.tilerCoreMask = tilerCoreMask;
        this.maxComputeCores = maxComputeCores;
        this.maxFragmentCores = maxFragmentCores;
        this.maxTilerCores = maxTilerCores;
        this.fenceContext = fenceContext;
    }

    int queueCount() {
        return queues.length;
    }

    int allQueuesMask() {
        return queues.length == 0 ? 0 : (int) ((1L << queues.length) - 1);
    }

    /** Every queue idle ({@code group_is_idle()}). */
    boolean isIdle() {
        return (idleQueues & allQueuesMask()) == allQueuesMask();
    }

    /** Idle because blocked on sync waits (the "waiting" list). */
    boolean isWaiting() {
        return isIdle() && blockedQueues != 0;
    }

    static long key(int clientId, int handle) {
        return ((long) clientId << 32) | (handle & 0xFFFF_FFFFL);
    }

    long key() {
        return key(clientId, handle);
    }

    String stateName() {
        return switch (state) {
            case PANTHOR_CS_GROUP_CREATED -> "created";
            case PANTHOR_CS_GROUP_ACTIVE -> "active";
            case PANTHOR_CS_GROUP_SUSPENDED -> "suspended";
            case PANTHOR_CS_GROUP_TERMINATED -> "terminated";
            default -> "unknown";
        };
    }
}
