package driver.core.kernel;

import hw.model.api.VirtualTime;

/**
 * DOC: Delayed work.
 *
 * {@code struct delayed_work}: a {@link WorkQueue.Work} plus a timer on the model's virtual
 * clock. The timer ({@link VirtualTime#schedule}) only queues the work on its queue when it
 * expires; the work function runs on the queue's worker, never on the thread that moves the
 * clock. The item is pending from the moment it is armed until its function starts.
 *
 * {@link #modDelayedWork} re-arms a pending item with a new delay ({@code mod_delayed_work()});
 * {@link #cancel} disarms the timer and dequeues the work; {@link #cancelSync} also waits for a
 * running instance ({@code cancel_delayed_work_sync()}). A delay of 0 queues at once.
 */
public final class DelayedWork {

    private final VirtualTime time;
    private final WorkQueue.Work work;
    private final Object lock = new Object();
    private WorkQueue queue;
    private VirtualTime.Timer timer;

    public DelayedWork(VirtualTime time, Runnable function) {
        this.time = time;
        this.work = new WorkQueue.Work(function);
    }

    /** The work item the timer queues. */
    public WorkQueue.Work work() {
        return work;
    }

    /**
     * {@code queue_delayed_work()}: arms the item to run on {@code wq} after {@code delayNanos}
     * of virtual time, unless it is already pending.
     *
     * @return false if it was already pending
     */
    public boolean queue(WorkQueue wq, long delayNanos) {
        synchronized (lock) {
            if (timer != null || work.isPending()) {
                return false;
            }
            arm(wq, delayNanos);
            return true;
        }
    }

    /**
     * {@code mod_delayed_work()}: (re)arms the item with a new delay, whether or not it was
     * pending.
     *
     * @return whether it was pending before
     */
    public boolean modDelayedWork(WorkQueue wq, long delayNanos) {
        synchronized (lock) {
            boolean wasPending = disarm();
            arm(wq, delayNanos);
            return wasPending;
        }
    }

    /** {@code cancel_delayed_work()}: disarms the timer or dequeues the work; does not wait. */
    public boolean cancel() {
        synchronized (lock) {
            return disarm();
        }
    }

    /** {@code cancel_delayed_work_sync()}: {@link #cancel}, then waits for a running instance. */
    public boolean cancelSync() {
        boolean wasPending;
        WorkQueue q;
        synchronized (lock) {
            wasPending = disarm();
            q = queue;
        }
        if (q != null) {
            q.cancelSync(work);
        }
        return wasPending;
    }

    /** {@code flush_delayed_work()}: queues an armed item now and waits until it has run. */
    public void flush() {
        WorkQueue q;
        synchronized (lock) {
            q = queue;
            if (timer != null) {
                timer.cancel();
                timer = null;
                q.queueWork(work);
            }
        }
        if (q != null) {
            q.flushWork(work);
        }
    }

    /** Whether the timer is armed or the work queued and not started ({@code delayed_work_pending()}). */
    public boolean isPending() {
        synchronized (lock) {
            return timer != null || work.isPending();
        }
    }

    /** Virtual time at which the armed timer expires, or -1 if it is not armed. */
    public long deadlineNanos() {
        synchronized (lock) {
            return timer == null ? -1 : timer.deadlineNanos();
        }
    }

    private void arm(WorkQueue wq, long delayNanos) {
        queue = wq;
        if (delayNanos <= 0) {
            wq.queueWork(work);
            return;
        }
        VirtualTime.Timer[] self = new VirtualTime.Timer[1];
        self[0] = time.schedule(delayNanos, () -> expire(self));
        timer = self[0];
    }

    private void expire(VirtualTime.Timer[] fired) {
        WorkQueue wq;
        synchronized (lock) {
            if (timer == null || timer != fired[0]) {
                return;
            }
            timer = null;
            wq = queue;
        }
        wq.queueWork(work);
    }

    private boolean disarm() {
        boolean wasPending = false;
        if (timer != null) {
            wasPending = timer.cancel();
            timer = null;
        }
        if (queue != null && queue.cancel(work)) {
            wasPending = true;
        }
        return wasPending;
    }
}
