package driver.core.kernel;

import hw.model.api.VirtualTime;
import java.util.List;

/**
 * DOC: Driving deterministic time together with work.
 *
 * In {@link VirtualTime.Mode#DETERMINISTIC} mode nothing moves unless a caller moves it, and
 * work queues run on their own threads. A test that wants "everything due by time T, and the
 * work it triggers" calls {@link #advance}: the clock runs event by event
 * ({@link VirtualTime#await}) and stops as soon as a work queue has work; the queues are then
 * drained with the clock idle, so the work (which starts only when nobody else moves the
 * clock, one item at a time in queueing order: see {@link WorkQueue}) runs at the virtual time
 * its timer fired and moves time itself while it waits on the hardware; then the clock goes on.
 * Only one thread moves time at any moment, so the same calls give the same interleaving and
 * the same hardware event trace.
 *
 * Time after {@link #advance} can be later than requested if the last work item waited past
 * the end. In REALTIME mode none of this is needed: the pacer moves time, workers run freely.
 */
public final class TimeStepper {

    private final VirtualTime time;
    private final List<WorkQueue> queues;

    /**
     * Drives {@code time} and drains every live work queue bound to it
     * ({@link WorkQueue#live(VirtualTime)}): queues of other clocks (another device in the same
     * JVM, or one already shut down) are not this stepper's to wait for.
     */
    public TimeStepper(VirtualTime time) {
        this(time, null);
    }

    /** @param queues the queues to watch and drain, or null for every live queue of {@code time} at each moment */
    public TimeStepper(VirtualTime time, List<WorkQueue> queues) {
        this.time = time;
        this.queues = queues == null ? null : List.copyOf(queues);
    }

    /** Moves virtual time forward by {@code nanos}, running the work that becomes due on the way. */
    public void advance(long nanos) {
        long end = time.nowNanos() + nanos;
        drainAll();
        while (time.nowNanos() < end) {
            time.await(this::anyBusy, end - time.nowNanos());
            drainAll();
        }
    }

    /** Advances by {@code millis} milliseconds. */
    public void advanceMillis(long millis) {
        advance(millis * VirtualTime.NANOS_PER_MS);
    }

    /** Drains the queues until a full pass finds all of them idle (work may queue more work). */
    public void drainAll() {
        while (anyBusy()) {
            for (WorkQueue q : watched()) {
                q.drain();
            }
        }
    }

    private List<WorkQueue> watched() {
        return queues != null ? queues : WorkQueue.live(time);
    }

    private boolean anyBusy() {
        for (WorkQueue q : watched()) {
            if (!q.isIdle()) {
                return true;
            }
        }
        return false;
    }
}
