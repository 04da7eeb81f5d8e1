package hw.model.internal;

import hw.model.api.VirtualTime;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
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
 * In real-time mode a pacer thread moves the clock with wall time: it sleeps until the next
 * event is due (at most a millisecond, so time keeps moving with an empty queue) and then
 * moves the clock by the wall time that passed; an event scheduled earlier than the pacer's
 * wake-up wakes it. A hardware latency of a few microseconds (an AS command) therefore takes
 * about that long in wall time, not a whole pacer period: a driver call that waits on the
 * hardware is not stretched to milliseconds. Waits shorter than {@link #PACER_SPIN_NANOS} are
 * spun (a timed park cannot sleep that briefly), and a thread waiting on the hardware for an
 * event that short moves the clock itself when nobody else is moving it (see {@link #catchUp}).
 */
public final class VirtualClock implements VirtualTime {

    /** Something that must settle after each event before time moves on (IRQ delivery). */
    public interface Quiescer {
        void quiesce();
    }

    private static final long PACER_PERIOD_NANOS = 1_000_000L;
    static final long PACER_SPIN_NANOS = 20_000L;

    private final Object monitor = new Object();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final List<Quiescer> quiescers = new CopyOnWriteArrayList<>();
    private final EventTrace trace;
    private long now;
    private long sequence;
    private Thread owner;
    private int ownerDepth;
    private volatile Mode mode = Mode.DETERMINISTIC;
    private volatile Thread pacer;
    /** Virtual time the pacer sleeps until (real-time mode); an earlier event wakes it. */
    private volatile long pacerWakeAt = Long.MIN_VALUE;
    /** Real-time mode: the wall time ({@code System.nanoTime}) up to which {@link #now} follows it. */
    private long wallAtNow;

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
                wallAtNow = System.nanoTime();
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
            Thread p = pacer;
            if (p != null && event.deadline < pacerWakeAt) {
                pacerWakeAt = Long.MIN_VALUE;
                LockSupport.unpark(p);
            }
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

    /** Threads inside {@link #await} (waiting for the hardware, so for this clock). */
    private final java.util.Set<Long> awaiting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Whether thread {@code threadId} is waiting for this clock in {@link #await}. */
    boolean isAwaiting(long threadId) {
        return awaiting.contains(threadId);
    }

    @Override
    public boolean await(BooleanSupplier condition, long timeoutNanos) {
        long id = Thread.currentThread().getId();
        boolean outer = awaiting.add(id);
        try {
            return awaitLoop(condition, timeoutNanos);
        } finally {
            if (outer) {
                awaiting.remove(id);
            }
        }
    }

    private boolean awaitLoop(BooleanSupplier condition, long timeoutNanos) {
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
            } else if (mode == Mode.REALTIME && catchUp()) {
                continue;
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

    /**
     * Real-time mode, a thread waiting on the hardware: if the next event is due within
     * {@link #PACER_SPIN_NANOS}, waits for it spinning and moves the clock itself (unless the
     * pacer is moving it right now), instead of handing over to the pacer and back, two
     * wake-ups that cost far more than a microsecond hardware latency on a busy machine.
     * Returns whether it moved the clock.
     */
    private boolean catchUp() {
        long due;
        synchronized (monitor) {
            Event next = firstLive();
            if (next == null || owner != null) {
                return false;
            }
            due = next.deadline - (now + (System.nanoTime() - wallAtNow));
        }
        if (due > PACER_SPIN_NANOS) {
            return false;
        }
        long until = System.nanoTime() + due;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        if (!tryAcquire()) {
            return false;
        }
        try {
            followWall();
        } finally {
            release();
        }
        return true;
    }

    /** Real-time mode, with the clock owned: moves it by the wall time since it last followed. */
    private void followWall() {
        long target;
        synchronized (monitor) {
            long wall = System.nanoTime();
            target = now + (wall - wallAtNow);
            wallAtNow = wall;
        }
        runTo(target, Long.MAX_VALUE);
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
        Thread me = Thread.currentThread();
        while (!me.isInterrupted()) {
            long sleepNanos;
            synchronized (monitor) {
                if (mode != Mode.REALTIME || pacer != me) {
                    return;
                }
                long followed = now + (System.nanoTime() - wallAtNow);
                Event next = firstLive();
                sleepNanos = next == null ? PACER_PERIOD_NANOS
                        : Math.max(0, Math.min(PACER_PERIOD_NANOS, next.deadline - followed));
                pacerWakeAt = followed + sleepNanos;
            }
            if (sleepNanos > PACER_SPIN_NANOS) {
                LockSupport.parkNanos(this, sleepNanos);
            } else {
                long until = System.nanoTime() + sleepNanos;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
            pacerWakeAt = Long.MIN_VALUE;
            if (mode != Mode.REALTIME || me.isInterrupted()) {
                return;
            }
            acquire();
            try {
                followWall();
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
