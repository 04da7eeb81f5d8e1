package driver.core.internal.slot;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DOC: One swap at a time.
 *
 * The slots of one driver share a coordinator, so at most one gate is closed for a swap at any
 * time. Two gates closed at once could deadlock: a call in flight in the MMU that calls the
 * scheduler waits at the scheduler's closed gate, while the scheduler's swap waits for a call
 * in flight in the scheduler that waits at the MMU's closed gate. With one closed gate every
 * in-flight call can finish.
 *
 * <p>For the same reason a swap may not be requested from a thread that is inside a call
 * through any slot: that call could never drain. The coordinator refuses it with an
 * {@link IllegalStateException}. It also numbers the swap records of all its slots.
 */
public final class SwapCoordinator {

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong sequence = new AtomicLong();
    private final CopyOnWriteArrayList<CallGate<?>> gates = new CopyOnWriteArrayList<>();

    void register(CallGate<?> gate) {
        gates.add(gate);
    }

    /** Takes the swap lock; refuses if the current thread is inside a call through any slot. */
    void lock(String subsystem) {
        checkNotInCall(subsystem);
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    void checkNotInCall(String subsystem) {
        for (CallGate<?> g : gates) {
            if (g.currentThreadInCall()) {
                throw new IllegalStateException("a swap of " + subsystem
                        + " was requested from inside a call through a subsystem slot; it could never drain");
            }
        }
    }

    boolean currentThreadInCall() {
        for (CallGate<?> g : gates) {
            if (g.currentThreadInCall()) {
                return true;
            }
        }
        return false;
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }
}
