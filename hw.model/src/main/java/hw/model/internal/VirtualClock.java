package hw.model.internal;

import hw.model.api.VirtualTime;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * DOC: Virtual time.
 *
 * A discrete-event clock. Pending events sit in a queue ordered by (deadline, sequence);
 * moving the clock pops and runs them in that order. Exactly one thread "owns" the clock
 * while it moves it, so two callers never interleave events. In deterministic mode the owner
 * is whoever called advance/runUntilIdle, or a thread blocked in await() when nobody else is
 * moving time. After every event the clock runs its quiescers (the IRQ controller delivers
 * pending interrupts and waits for the handlers), lending ownership to them meanwhile, so a
 * handler that waits on hardware can move time too.
 *
 * In real-time mode a pacer thread moves the clock every millisecond of wall time.
 */
public final class VirtualClock implements VirtualTime {

    /** Something that must settle after each event before time moves on (IRQ delivery). */
    public interface Quiescer {
        void quiesce();
    }

    private static final long PACER_PERIOD_NANOS = 1_000_000L;

    private final Object monitor = new Object();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final List<Quiescer> quiescers = new CopyOnWriteArrayList<>();
    private final EventTrace trace;
    private long now;
    private long sequence;
    private Thread owner;
    private int ownerDepth;
    private volatile Mode mode = Mode.DETERMINISTIC;
    private Thread pacer;

    public VirtualClock(EventTrace trace) {
        this.trace = trace;
    }

    public void addQuiescer(Quiescer quiescer) {
        quiescers.add(quiescer);
    }

    @Override
    public long nowNanos() {
        synchronized (monitor) {
            return now;
        }
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public void setMode(Mode newMode) {
        synchronized (monitor) {
            if (mode == newMode) {
                return;
            }
            mode = newMode;
            if (newMode == Mode.REALTIME) {
                pacer = new Thread(this::pace, "gpu-clock-pacer");
                pacer.setDaemon(true);
                pacer.start();
            } else if (pacer != null) {
                pacer.interrupt();
                pacer = null;
            }
            monitor.notifyAll();
        }
    }

    /** Stops the pacer; the clock keeps its time. */
    public void shutdown() {
        setMode(Mode.DETERMINISTIC);
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        synchronized (monitor) {
            Event event = new Event(now + Math.max(0, delayNanos), sequence++, task);
            queue.add(event);
            monitor.notifyAll();
            return event;
        }
    }

    @Override
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time cannot move backwards: " + nanos);
        }
        acquire();
        try {
            runTo(nowNanos() + nanos, Long.MAX_VALUE);
        } finally {
            release();
        }
    }

    @Override
    public long runUntilIdle(long maxNanos) {
        acquire();
        try {
            long start = nowNanos();
            long limit = start + Math.max(0, maxNanos);
            while (true) {
                Event next;
                synchronized (monitor) {
                    next = firstLive();
                }
                if (next == null || next.deadline > limit) {
                    break;
                }
                runTo(next.deadline, 1);
            }
            return nowNanos() - start;
        } finally {
            release();
        }
    }

    @Override
    public boolean await(BooleanSupplier condition, long timeoutNanos) {
        long deadline;
        synchronized (monitor) {
            deadline = now + Math.max(0, timeoutNanos);
        }
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (nowNanos() >= deadline) {
                return condition.getAsBoolean();
            }
            if (mode == Mode.DETERMINISTIC && tryAcquire()) {
                try {
                    Event next;
                    synchronized (monitor) {
                        next = firstLive();
                    }
                    long target = next == null ? deadline : Math.min(next.deadline, deadline);
                    runTo(target, 1);
                } finally {
                    release();
                }
            } else {
                synchronized (monitor) {
                    if (now < deadline) {
                        try {
                            monitor.wait(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return condition.getAsBoolean();
                        }
                    }
                }
            }
        }
    }

    @Override
    public int pendingEvents() {
        synchronized (monitor) {
            int live = 0;
            for (Event e : queue) {
                if (!e.cancelled) {
                    live++;
                }
            }
            return live;
        }
    }

    /**
     * Lends the clock to {@code thread} while the current owner waits for it (IRQ delivery);
     * returns a token to restore the previous owner with {@link #restore}.
     */
    public Object lendTo(Thread thread) {
        synchronized (monitor) {
            Object[] saved = {owner, ownerDepth};
            owner = thread;
            ownerDepth = 0;
            monitor.notifyAll();
            return saved;
        }
    }

    public void restore(Object token) {
        Object[] saved = (Object[]) token;
        synchronized (monitor) {
            owner = (Thread) saved[0];
            ownerDepth = (Integer) saved[1];
            monitor.notifyAll();
        }
    }

    /** Whether the calling thread currently owns (moves) the clock. */
    public boolean ownedByCurrentThread() {
        synchronized (monitor) {
            return owner == Thread.currentThread();
        }
    }

    private void runTo(long target, long maxEvents) {
        long ran = 0;
        while (true) {
            Event event;
            synchronized (monitor) {
                event = queue.peek();
                if (event == null || event.deadline > target || ran >= maxEvents) {
                    if (event == null || event.deadline > target) {
                        now = Math.max(now, target);
                    }
                    monitor.notifyAll();
                    return;
                }
                queue.poll();
                if (event.cancelled) {
                    continue;
                }
                now = Math.max(now, event.deadline);
                event.fired = true;
            }
            ran++;
            event.task.run();
            quiesce();
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    private void quiesce() {
        for (Quiescer q : quiescers) {
            q.quiesce();
        }
    }

    private Event firstLive() {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        return queue.peek();
    }

    private void acquire() {
        synchronized (monitor) {
            Thread me = Thread.currentThread();
            while (owner != null && owner != me) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the clock", e);
                }
            }
            owner = me;
            ownerDepth++;
        }
    }

    private boolean tryAcquire() {
        synchronized (monitor) {
            Thread me = Thread.currentThread();
            if (owner != null && owner != me) {
                return false;
            }
            owner = me;
            ownerDepth++;
            return true;
        }
    }

    private void release() {
        synchronized (monitor) {
            if (--ownerDepth <= 0) {
                ownerDepth = 0;
                owner = null;
            }
            monitor.notifyAll();
        }
    }

    private void pace() {
        long lastWall = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(PACER_PERIOD_NANOS / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
            long wall = System.nanoTime();
            long delta = wall - lastWall;
            lastWall = wall;
            if (mode != Mode.REALTIME) {
                return;
            }
            acquire();
            try {
                runTo(nowNanos() + delta, Long.MAX_VALUE);
            } finally {
                release();
            }
        }
    }

    EventTrace trace() {
        return trace;
    }

    private static final class Event implements Comparable<Event>, Timer {
        final long deadline;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;
        volatile boolean fired;

        Event(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public boolean cancel() {
            if (fired || cancelled) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }
    }
}
