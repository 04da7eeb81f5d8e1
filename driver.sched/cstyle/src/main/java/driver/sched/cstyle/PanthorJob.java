package driver.sched.cstyle;

import driver.core.kernel.DmaFence;
import java.util.List;

/**
 * {@code struct panthor_job}: one queue submit. Until {@link PanthorSched#queueRunJobLocked}
 * puts it in the ring it waits in its queue's entity list for its dependencies (the fences of
 * its WAIT sync ops, as {@code drm_sched_job_add_syncobj_dependency()}). {@link #doneFence} is
 * what its SIGNAL sync ops receive; it signals when the queue's sync object reaches
 * {@link #seqno}. A job with an empty stream (a sync point) takes no ring space and inherits
 * the seqno of the job before it.
 */
final class PanthorJob {

    final PanthorGroup group;
    final int queueIdx;
    /** {@code job->call_info}: the user stream and its flush id. */
    final long streamAddr;
    final int streamSize;
    final int latestFlush;
    final DmaFence doneFence;
    /** Fences the job waits for before it may run. */
    List<DmaFence> deps;

    /** Seqno the queue's sync object reaches when the job is done; 0 while not in the ring. */
    long seqno;
    /** {@code job->ringbuf.start/end}: ring offsets (monotonic); -1 while not in the ring. */
    long ringStart = -1;
    long ringEnd = -1;

    PanthorJob(PanthorGroup group, int queueIdx, long streamAddr, int streamSize, int latestFlush,
               DmaFence doneFence, List<DmaFence> deps) {
        this.group = group;
        this.queueIdx = queueIdx;
        this.streamAddr = streamAddr;
        this.streamSize = streamSize;
        this.latestFlush = latestFlush;
        this.doneFence = doneFence;
        this.deps = deps;
    }

    /** {@code drm_sched_job}'s dependencies all signaled. */
    boolean depsSignaled() {
        for (DmaFence f : deps) {
            if (!f.isSignaled()) {
                return false;
            }
        }
        return true;
    }

    boolean inRing() {
        return ringStart >= 0;
    }
}
