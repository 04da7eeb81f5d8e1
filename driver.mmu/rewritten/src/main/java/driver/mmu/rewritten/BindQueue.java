package driver.mmu.rewritten;

import driver.core.kernel.DmaFence;
import driver.core.kernel.WorkQueue;
import hw.model.api.VirtualTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DOC: A VM's queue of asynchronous binds (Panthor's 1:1 {@code drm_sched} entity, credit 1).
 *
 * Jobs run one at a time, in push order, each once all its wait fences have signaled; the
 * {@link #work} that runs them is queued on the MMU's work queue whenever a job is pushed or a
 * wait fence signals. Every job's done fence lives on the queue's own fence timeline. The
 * queue's lock is reached only through {@link #locked}, which hands the caller a guard.
 */
final class BindQueue {

    /** The guard of the queue's lock. */
    final class Held implements AutoCloseable {
        private Held() {
            lock.lock();
        }

        /** Arms {@code job}: its done fence, next on the timeline. */
        void arm(BindJob job, VirtualTime time) {
            job.seqno = ++seqno;
            job.doneFence = new DmaFence(fenceContext, job.seqno, time::nowNanos);
        }

        void push(BindJob job) {
            jobs.addLast(job);
        }

        /** The head job if it may run now. */
        Optional<BindJob> ready() {
            BindJob head = jobs.peekFirst();
            return head != null && head.ready() ? Optional.of(head) : Optional.empty();
        }

        void pop(BindJob job) {
            jobs.remove(job);
            job.stopListening();
        }

        List<BindJob> jobs() {
            return new ArrayList<>(jobs);
        }

        /** Adopted jobs keep their seqnos: the timeline continues after the highest. */
        void adopt(BindJob job) {
            jobs.addLast(job);
            seqno = Math.max(seqno, job.seqno);
        }

        /** Forgets every job (the state went to another owner, which keeps their references). */
        void forget() {
            for (BindJob job : jobs) {
                job.stopListening();
            }
            jobs.clear();
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<BindJob> jobs = new ArrayDeque<>();
    private final long fenceContext = DmaFence.allocContext();
    private long seqno;
    final WorkQueue.Work work;

    /** {@code run} runs the queue (it is given this queue). */
    BindQueue(java.util.function.Consumer<BindQueue> run) {
        this.work = new WorkQueue.Work(() -> run.accept(this));
    }

    Held locked() {
        return new Held();
    }
}
