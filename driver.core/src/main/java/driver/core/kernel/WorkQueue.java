package driver.core.kernel;

import hw.model.api.VirtualTime;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DOC: Work queues.
 *
 * An ordered work queue, as {@code alloc_ordered_workqueue()}: one worker thread runs the
 * queued {@link Work} items one at a time, in queueing order. A work item is pending from
 * {@link #queueWork} until its function starts; queueing a pending item again does nothing
 * (returns false), queueing it while it runs makes it run once more afterwards, exactly like
 * {@code queue_work()} on a {@code work_struct}.
 *
 * Work runs on a real thread, but everything it waits for is virtual: a work function that
 * waits on the hardware calls {@code VirtualTime.await}, which in deterministic mode moves the
 * clock itself when no other thread owns it. Two rules follow, the same as in the kernel:
 *  - never {@link #flush}, {@link #drain} or {@link #cancelSync} from a clock event (a
 *    {@code VirtualTime.schedule} task, e.g. a {@link DelayedWork} timer) or from an IRQ
 *    handler: the work might need the clock the caller holds;
 *  - a timer only queues work ({@link DelayedWork}); the work does the waiting.
 *
 * Tests in deterministic time drive time and work together: advance the clock, then
 * {@link #drain} the queues with the clock idle (so a work item that waits on hardware moves
 * time itself), and repeat. {@link TimeStepper} does exactly that; every live queue is listed
 * by {@link #live()} so a test can drain the ones a device created internally.
 */
public final class WorkQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkQueue.class.getName());
    private static final List<WorkQueue> LIVE = new CopyOnWriteArrayList<>();

    /**
     * A work item ({@code struct work_struct}): a function that a queue runs on its worker.
     * One item is pending on at most one queue at a time.
     */
    public static class Work {
        private final Runnable function;
        private WorkQueue queue;
        private boolean pending;
        private int running;
        private long seq;
        private long ticket = -1;

        public Work(Runnable function) {
            this.function = function;
        }

        /** Whether the item is queued and has not started yet ({@code work_pending()}). */
        public boolean isPending() {
            WorkQueue q = queue;
            if (q == null) {
                return false;
            }
            synchronized (q.lock) {
                return pending;
            }
        }

        void run() {
            function.run();
        }
    }

    private static final ThreadLocal<WorkGate> HELD = new ThreadLocal<>();

    private final String name;
    private final VirtualTime time;
    private final WorkGate gate;
    private final Object lock = new Object();
    private final ArrayDeque<Work> queue = new ArrayDeque<>();
    private final Thread worker;
    private Work current;
    private long currentSeq;
    private long lastSeq;
    private long completed;
    private boolean destroyed;

    /** {@code alloc_ordered_workqueue(name, 0)}, not tied to a clock (no deterministic gating). */
    public WorkQueue(String name) {
        this(name, null);
    }

    /**
     * {@code alloc_ordered_workqueue(name, 0)} for work that waits on {@code time}: in
     * deterministic mode its items run through the clock's {@link WorkGate}.
     */
    public WorkQueue(String name, VirtualTime time) {
        this.name = name;
        this.time = time;
        this.gate = time == null ? null : WorkGate.of(time);
        this.worker = new Thread(this::workerLoop, name);
        worker.setDaemon(true);
        /* Not the creator's: a queue created inside a live swap (which runs boosted) stays normal. */
        worker.setPriority(Thread.NORM_PRIORITY);
        worker.start();
        LIVE.add(this);
    }

    public String name() {
        return name;
    }

    /** The queues created and not yet destroyed, oldest first. */
    public static List<WorkQueue> live() {
        return List.copyOf(LIVE);
    }

    /** The live queues whose items run on {@code time} (one device's), oldest first. */
    public static List<WorkQueue> live(VirtualTime time) {
        List<WorkQueue> out = new java.util.ArrayList<>();
        for (WorkQueue q : LIVE) {
            if (q.time == time) {
                out.add(q);
            }
        }
        return out;
    }

    /**
     * {@code queue_work()}: queues {@code work} unless it is already pending.
     *
     * @return false if it was already pending (or the queue is destroyed)
     */
    public boolean queueWork(Work work) {
        WorkQueue other = work.queue;
        if (other != null && other != this) {
            synchronized (other.lock) {
                if (work.pending) {
                    return false;
                }
            }
        }
        synchronized (lock) {
            if (destroyed || (work.queue == this && work.pending)) {
                return false;
            }
            work.queue = this;
            work.pending = true;
            work.seq = ++lastSeq;
            if (gate != null) {
                work.ticket = gate.ticket(this);
            }
            queue.addLast(work);
            lock.notifyAll();
            return true;
        }
    }

    /**
     * {@code cancel_work()}: takes {@code work} off the queue if it is pending; does not wait
     * for a running instance.
     *
     * @return whether it was pending
     */
    public boolean cancel(Work work) {
        synchronized (lock) {
            if (work.queue != this || !work.pending) {
                return false;
            }
            work.pending = false;
            queue.remove(work);
            if (gate != null) {
                gate.drop(work.ticket);
            }
            lock.notifyAll();
            return true;
        }
    }

    /**
     * {@code cancel_work_sync()}: cancels {@code work} and waits until no instance of it runs.
     *
     * @return whether it was pending
     */
    public boolean cancelSync(Work work) {
        boolean wasPending = cancel(work);
        boolean lent = lendGate();
        try {
            synchronized (lock) {
                while (work.queue == this && work.running > 0 && Thread.currentThread() != worker) {
                    waitLocked();
                }
            }
        } finally {
            reenterGate(lent);
        }
        return wasPending;
    }

    /** {@code flush_work()}: waits until {@code work} is neither pending nor running. */
    public void flushWork(Work work) {
        boolean lent = lendGate();
        try {
            synchronized (lock) {
                while (work.queue == this && (work.pending || work.running > 0) && Thread.currentThread() != worker) {
                    waitLocked();
                }
            }
        } finally {
            reenterGate(lent);
        }
    }

    /** {@code flush_workqueue()}: waits until everything queued before the call has run (or was cancelled). */
    public void flush() {
        synchronized (lock) {
            if (Thread.currentThread() == worker) {
                throw new IllegalStateException(name + ": flush from its own worker deadlocks");
            }
        }
        boolean lent = lendGate();
        try {
            synchronized (lock) {
                long target = lastSeq;
                while (!destroyed && ((current != null && currentSeq <= target)
                        || (!queue.isEmpty() && queue.peekFirst().seq <= target))) {
                    waitLocked();
                }
            }
        } finally {
            reenterGate(lent);
        }
    }

    /**
     * {@code drain_workqueue()}: waits until the queue is empty and the worker idle, including
     * work queued meanwhile by the work itself.
     */
    public void drain() {
        synchronized (lock) {
            if (Thread.currentThread() == worker) {
                throw new IllegalStateException(name + ": drain from its own worker deadlocks");
            }
        }
        boolean lent = lendGate();
        try {
            synchronized (lock) {
                while ((!queue.isEmpty() || current != null) && !destroyed) {
                    waitLocked();
                }
            }
        } finally {
            reenterGate(lent);
        }
    }

    /** Whether nothing is queued and nothing runs. */
    public boolean isIdle() {
        synchronized (lock) {
            return queue.isEmpty() && current == null;
        }
    }

    /** Work items run to completion since creation. */
    public long completedCount() {
        synchronized (lock) {
            return completed;
        }
    }

    /** {@code destroy_workqueue()}: drains, then stops the worker. */
    public void destroy() {
        if (Thread.currentThread() != worker) {
            drain();
        }
        synchronized (lock) {
            destroyed = true;
            for (Work w : queue) {
                w.pending = false;
                if (gate != null) {
                    gate.drop(w.ticket);
                }
            }
            queue.clear();
            lock.notifyAll();
        }
        if (Thread.currentThread() != worker) {
            worker.interrupt();
        }
        if (gate != null) {
            gate.dropAll(this);
        }
        LIVE.remove(this);
    }

    @Override
    public void close() {
        destroy();
    }

    /** A worker blocked on other work lends its clock turn meanwhile (see {@link WorkGate}). */
    private static boolean lendGate() {
        WorkGate held = HELD.get();
        return held != null && held.lend();
    }

    private static void reenterGate(boolean lent) {
        if (lent) {
            HELD.get().reenter();
        }
    }

    private void waitLocked() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while waiting for work", e);
        }
    }

    private void workerLoop() {
        while (true) {
            Work work;
            long ticket;
            synchronized (lock) {
                while (queue.isEmpty() && !destroyed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (destroyed) {
                    return;
                }
                work = queue.pollFirst();
                /* Read under the lock: once pending is false the item may be queued again, which
                 * gives it a new ticket, and this instance must enter with its own. */
                ticket = work.ticket;
                work.pending = false;
                work.running++;
                current = work;
                currentSeq = work.seq;
            }
            boolean gated = false;
            try {
                if (gate != null) {
                    if (time.mode() == VirtualTime.Mode.DETERMINISTIC) {
                        gate.enter(ticket, this);
                        gated = true;
                        HELD.set(gate);
                        // Start only once nobody else moves the clock.
                        time.advance(0);
                    } else {
                        gate.drop(ticket);
                    }
                }
                work.run();
            } catch (InterruptedException e) {
                gate.drop(ticket);
                return;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, name + ": work item threw", e);
            } finally {
                if (gated) {
                    HELD.remove();
                    gate.exit(this);
                }
                synchronized (lock) {
                    work.running--;
                    current = null;
                    completed++;
                    lock.notifyAll();
                }
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "WorkQueue[" + name + ", queued " + queue.size() + (current != null ? ", running" : "") + "]";
        }
    }
}
