package driver.sched.cstyle;

import driver.core.kernel.DelayedWork;
import driver.core.kernel.KernelMapping;
import java.util.ArrayDeque;

/**
 * {@code struct panthor_queue}: a kernel ring buffer in the group's VM, the user input/output
 * interface pages in the firmware VM (input at 0, output at 4 KiB), the fence context
 * ({@code fence_ctx}: seqno and the in-flight jobs), the drm_sched entity list of jobs waiting
 * for their dependencies or ring space, and the job timeout timer.
 */
final class PanthorQueue {

    final int index;
    final int priority;
    KernelMapping ringbuf;
    KernelMapping iface;
    /** CSF_DOORBELL id, {@code csg_id + 1} while the group has a slot. */
    int doorbellId = -1;

    /** {@code queue->iface.input->insert}, the kernel's copy. */
    long insert;
    /** CS_EXTRACT as last read from the output page. */
    long extract;
    /** {@code fence_ctx.seqno}: the last seqno handed out. */
    long seqno;
    /** The sync object's seqno last seen. */
    long syncSeqno;
    /** Jobs waiting for dependencies or ring space (drm_sched entity), oldest first. */
    final ArrayDeque<PanthorJob> pending = new ArrayDeque<>();
    /** {@code fence_ctx.in_flight_jobs}, oldest first. */
    final ArrayDeque<PanthorJob> inFlight = new ArrayDeque<>();

    /** {@code queue->timeout}: armed while the queue has ring work and its group a slot. */
    DelayedWork timeout;
    /** Virtual time the armed timer fires, -1 if not armed. */
    long timeoutDeadline = -1;
    /** Remaining time of a paused timer ({@code timeout_suspended}), -1 if not paused. */
    long timeoutRemaining = -1;

    long submitted;
    long completed;

    PanthorQueue(int index, int priority) {
        this.index = index;
        this.priority = priority;
    }

    int ringbufSize() {
        return ringbuf == null ? 0 : (int) ringbuf.size();
    }

    /** Whether ring jobs are still running (size-0 jobs do not count). */
    boolean hasRingWork() {
        for (PanthorJob job : inFlight) {
            if (job.ringEnd > job.ringStart) {
                return true;
            }
        }
        return false;
    }
}
