package driver.core.kernel;

import hw.model.api.VirtualTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * DOC: One runner at a time in deterministic time.
 *
 * In {@link VirtualTime.Mode#DETERMINISTIC} mode the work queues bound to one clock behave like
 * a single CPU: every queued item takes a ticket from the clock's gate, items start strictly in
 * ticket order, one at a time, and only when no other thread is moving the clock. The runner
 * "holds" the gate while its item runs; a runner that blocks waiting for another work item
 * (flush, drain, cancel-sync) lends the gate meanwhile and takes it back, before any new item
 * starts, when it wakes. Together with {@link TimeStepper} (which stops moving time as soon as
 * work is queued) this makes a test's interleaving of clock events and work reproducible.
 * In REALTIME mode the gate is not used.
 */
final class WorkGate {

    private static final Map<VirtualTime, WorkGate> GATES = new WeakHashMap<>();

    static WorkGate of(VirtualTime time) {
        synchronized (GATES) {
            return GATES.computeIfAbsent(time, t -> new WorkGate());
        }
    }

    /** Queued, not yet started items: ticket to queue. */
    private final TreeMap<Long, WorkQueue> waiting = new TreeMap<>();
    /** Queues whose worker is inside an item (running, or lending the gate while it waits). */
    private final Set<WorkQueue> busy = new HashSet<>();
    private long nextTicket;
    private Thread holder;
    private int reacquiring;

    synchronized long ticket(WorkQueue queue) {
        long t = nextTicket++;
        waiting.put(t, queue);
        return t;
    }

    /** A ticket whose item was cancelled before it started. */
    synchronized void drop(long ticket) {
        if (waiting.remove(ticket) != null) {
            notifyAll();
        }
    }

    /**
     * A destroyed queue's tickets: its worker is gone, so none of them will ever be taken, and
     * a ticket left behind (an item queued or picked up around the destroy) would keep every
     * later ticket of the clock waiting.
     */
    synchronized void dropAll(WorkQueue queue) {
        if (waiting.values().removeIf(q -> q == queue)) {
            notifyAll();
        }
    }

    /** The smallest ticket whose queue's worker is free to start it. */
    private long firstEligible() {
        for (Map.Entry<Long, WorkQueue> e : waiting.entrySet()) {
            if (!busy.contains(e.getValue())) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** Waits for {@code ticket}'s turn, then holds the gate. */
    synchronized void enter(long ticket, WorkQueue queue) throws InterruptedException {
        while (holder != null || reacquiring > 0 || firstEligible() != ticket) {
            wait();
        }
        waiting.remove(ticket);
        busy.add(queue);
        holder = Thread.currentThread();
    }

    synchronized void exit(WorkQueue queue) {
        busy.remove(queue);
        if (holder == Thread.currentThread()) {
            holder = null;
        }
        notifyAll();
    }

    /** If the caller holds the gate, lends it out; returns whether it did (then call {@link #reenter}). */
    synchronized boolean lend() {
        if (holder != Thread.currentThread()) {
            return false;
        }
        holder = null;
        notifyAll();
        return true;
    }

    synchronized void reenter() {
        reacquiring++;
        try {
            while (holder != null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            holder = Thread.currentThread();
        } finally {
            reacquiring--;
            notifyAll();
        }
    }
}
