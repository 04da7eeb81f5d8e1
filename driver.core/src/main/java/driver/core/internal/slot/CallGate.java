package driver.core.internal.slot;

import driver.core.slot.SubsystemUnavailableException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * DOC: Call gate.
 *
 * The part of a slot every call crosses. Each thread that calls through the gate owns a
 * {@link Caller} record with an {@code inCall} flag, so the hot path writes only memory of its
 * own thread and never contends with the other callers:
 * <pre>
 *   enter:  inCall = 1  (volatile store)   then   impl = open  (volatile read)
 *           impl != null → go;  impl == null → inCall = 0 and wait for the gate to open
 *   exit:   inCall = 0  (release store)
 * </pre>
 * The closer does the mirror image: {@code open = null} (volatile store), then reads every
 * caller's {@code inCall}. Both sides store before they load with volatile (sequentially
 * consistent) accesses, so at least one sees the other (Dekker): either the closer sees the
 * caller's flag and waits for its exit, or the caller sees the gate closed and backs off.
 * Once {@link #drain} returns no call is in flight and none can start until {@link #open}.
 *
 * <p>The cost of a call is one ThreadLocal lookup, one volatile store (the only fence), one
 * volatile read, a depth count and one release store. Lock-based gates were measured and
 * rejected (see docs/live-swap.md): a read lock is a compare-and-swap on a word shared by all
 * callers, and with two threads that word bounces between cores on every call.
 *
 * <p>Re-entrancy: {@code depth} counts nested calls of the owning thread. A nested call does
 * not look at the gate at all, it reuses the implementation of the outermost call
 * ({@link #current}, which cannot change while the outer call is in flight); waiting would
 * deadlock with a closer that waits for the outer call.
 *
 * <p>Waiting callers park on a lock-free list that opening the gate empties with one unpark
 * each (no lock the closer or the woken callers would queue on); they wait without limit while
 * the gate is closed for a swap, and until {@code arrival + grace} while it is parked (no
 * implementation). The gate measures host time with {@code System.nanoTime}: a grace period
 * waits for host events (a bundle coming back), which simulated time knows nothing about.
 */
final class CallGate<T> {

    /**
     * Per-thread call state. {@code depth} is touched only by the owner thread; {@code inCall}
     * is 1 while an outermost call runs on a real implementation (0 on the fallback). Padded
     * on both sides (superclass fields are laid out first) so that two threads' records
     * never share a cache line, even after the garbage collector has moved them next
     * to each other: every call writes its thread's {@code inCall}.
     */
    static final class Caller<T> extends CallerFields<T> {
        long q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;
    }

    abstract static class CallerPadding {
        long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
    }

    abstract static class CallerFields<T> extends CallerPadding {
        volatile int inCall;
        int depth;
        final WeakReference<Thread> thread = new WeakReference<>(Thread.currentThread());

        boolean threadGone() {
            Thread t = thread.get();
            return t == null || !t.isAlive();
        }
    }

    private static final VarHandle IN_CALL;

    static {
        try {
            IN_CALL = MethodHandles.lookup().findVarHandle(CallerFields.class, "inCall", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Closed for a swap: callers wait until it opens. */
    static final int SWAPPING = 0;
    /** Closed with no implementation: callers wait up to the grace period. */
    static final int PARKED = 1;
    /** Shut down: callers give up at once. */
    static final int SHUTDOWN = 2;

    private final String subsystem;
    private volatile long graceNanos;
    private final T fallback;

    /** The implementation calls go to while the gate is open; null while it is closed. */
    private volatile T open;
    /**
     * The implementation the calls in flight use: changed only when none is in flight (after a
     * drain), so a nested call reads the one its outer call got. Written before {@link #open},
     * so a caller that read {@code open} sees it.
     */
    private volatile T current;
    /** Why the gate is closed (meaningful while {@code open == null}). */
    private volatile int closedMode = PARKED;
    /** The thread that closed the gate for a swap, to catch a call from inside that swap. */
    private volatile Thread closer;

    private final CopyOnWriteArrayList<Caller<T>> callers = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Caller<T>> callerOfThread = ThreadLocal.withInitial(this::newCaller);

    /** Calls waiting for the gate to open (a stack of parked threads). */
    private final AtomicReference<Waiter> waiters = new AtomicReference<>();
    private final AtomicInteger waitingCalls = new AtomicInteger();

    private static final class Waiter {
        final Thread thread;
        Waiter next;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    CallGate(String subsystem, long graceNanos, T fallback) {
        this.subsystem = subsystem;
        this.graceNanos = graceNanos;
        this.fallback = fallback;
    }

    private Caller<T> newCaller() {
        Caller<T> c = new Caller<>();
        callers.add(c);
        return c;
    }

    Caller<T> caller() {
        return callerOfThread.get();
    }

    /** Whether the current thread is inside a call through this gate. */
    boolean currentThreadInCall() {
        return callerOfThread.get().depth > 0;
    }

    /** Admits a call; returns the implementation it must use. Pair with {@link #exit}. */
    T enter(Caller<T> c) {
        int depth = c.depth;
        if (depth != 0) {
            c.depth = depth + 1;
            return c.inCall != 0 ? current : fallback;
        }
        c.inCall = 1;
        T impl = open;
        if (impl == null) {
            return enterSlow(c);
        }
        c.depth = 1;
        return impl;
    }

    void exit(Caller<T> c) {
        int depth = c.depth - 1;
        c.depth = depth;
        if (depth == 0) {
            IN_CALL.setRelease(c, 0);
        }
    }

    /**
     * {@link #enter}, but a parked gate admits nothing: returns null at once instead of waiting
     * the grace period or taking the fallback (a swap in progress is still waited for). Pair a
     * non-null result with {@link #exit}.
     */
    T enterIfPresent(Caller<T> c) {
        int depth = c.depth;
        if (depth != 0) {
            if (c.inCall == 0) {
                return null;
            }
            c.depth = depth + 1;
            return current;
        }
        c.inCall = 1;
        T impl = open;
        if (impl == null) {
            return enterSlow(c, false);
        }
        c.depth = 1;
        return impl;
    }

    private T enterSlow(Caller<T> c) {
        return enterSlow(c, true);
    }

    private T enterSlow(Caller<T> c, boolean waitForArrival) {
        c.inCall = 0;
        if (closer == Thread.currentThread()) {
            throw new IllegalStateException("a call through the " + subsystem
                    + " slot from inside its own swap (export, import or release must not call the slot)");
        }
        long arrival = System.nanoTime();
        for (;;) {
            if (!awaitOpen(arrival, waitForArrival)) {
                if (!waitForArrival) {
                    return null;
                }
                if (fallback != null) {
                    c.depth = 1;
                    return fallback;
                }
                long waited = System.nanoTime() - arrival;
                throw new SubsystemUnavailableException(subsystem, waited, closedMode == SHUTDOWN
                        ? "the " + subsystem + " subsystem is shut down"
                        : "no " + subsystem + " implementation within the grace period ("
                                + TimeUnit.NANOSECONDS.toMillis(graceNanos) + " ms)");
            }
            c.inCall = 1;
            T impl = open;
            if (impl != null) {
                c.depth = 1;
                return impl;
            }
            c.inCall = 0;
        }
    }

    /**
     * Waits until the gate is open (true) or the call should give up (false): shut down, or
     * parked past the grace period ({@code waitForArrival}) or at all (not).
     */
    private boolean awaitOpen(long arrival, boolean waitForArrival) {
        boolean interrupted = false;
        waitingCalls.incrementAndGet();
        try {
            for (;;) {
                if (open != null) {
                    return true;
                }
                int mode = closedMode;
                if (mode == SHUTDOWN) {
                    return false;
                }
                if (mode == PARKED && !waitForArrival) {
                    return false;
                }
                long left = mode == PARKED ? arrival + graceNanos - System.nanoTime() : Long.MAX_VALUE;
                if (left <= 0) {
                    return false;
                }
                push(new Waiter(Thread.currentThread()));
                if (open != null || closedMode != mode) {
                    continue;
                }
                if (mode == PARKED) {
                    LockSupport.parkNanos(this, left);
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            waitingCalls.decrementAndGet();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void push(Waiter w) {
        Waiter head;
        do {
            head = waiters.get();
            w.next = head;
        } while (!waiters.compareAndSet(head, w));
    }

    /**
     * Wakes every waiting call. A waiter publishes itself (a CAS) before it re-reads the gate,
     * and the gate is changed before this takes the list, so no waiter sleeps through a change.
     * A waiter that already left gets a spare unpark, which every parker tolerates.
     */
    private void wakeWaiters() {
        Waiter w = waiters.getAndSet(null);
        while (w != null) {
            LockSupport.unpark(w.thread);
            w = w.next;
        }
    }

    /** Closes the gate for a swap run by the current thread; calls arriving now wait. */
    void closeForSwap() {
        closer = Thread.currentThread();
        closedMode = SWAPPING;
        open = null;
    }

    /** Marks a closed gate as parked: waiting calls count down their grace period. */
    void park() {
        closer = null;
        closedMode = PARKED;
        open = null;
        current = null;
        wakeWaiters();
    }

    /** Closes the gate for good: every waiting and future call gives up at once. */
    void shutdown() {
        closer = null;
        closedMode = SHUTDOWN;
        open = null;
        current = null;
        wakeWaiters();
    }

    /** Opens the gate on {@code impl}; waiting calls proceed on it. */
    void open(T impl) {
        closer = null;
        current = impl;
        open = impl;
        wakeWaiters();
    }

    /**
     * Waits until no call is in flight. Call with the gate closed. Returns false if
     * {@code timeoutNanos} (negative: no limit) passed first; calls may then still be running.
     */
    boolean drain(long timeoutNanos) {
        long start = System.nanoTime();
        for (Caller<T> c : callers) {
            int rounds = 0;
            while (c.inCall != 0) {
                if (c.threadGone()) {
                    break;
                }
                if (timeoutNanos >= 0 && System.nanoTime() - start > timeoutNanos) {
                    return false;
                }
                backOff(rounds++);
            }
        }
        callers.removeIf(c -> c.threadGone());
        return true;
    }

    /**
     * Spin briefly (calls are short), then yield (on two cores the caller may need this core to
     * finish), then sleep in short steps.
     */
    private static void backOff(int round) {
        if (round < 64) {
            Thread.onSpinWait();
        } else if (round < 128) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(10_000);
        }
    }

    boolean isOpen() {
        return open != null;
    }

    int callsInFlight() {
        int n = 0;
        for (Caller<T> c : callers) {
            if (c.inCall != 0 && !c.threadGone()) {
                n++;
            }
        }
        return n;
    }

    int callsWaiting() {
        return waitingCalls.get();
    }

    long graceNanos() {
        return graceNanos;
    }

    /** Changes the grace period; calls already waiting count it from their arrival too. */
    void setGraceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative grace period");
        }
        this.graceNanos = nanos;
    }

    boolean hasFallback() {
        return fallback != null;
    }
}
