package driver.core.kernel;

import hw.model.api.VirtualTime;
import java.util.List;

/**
 * DOC: Driving deterministic time together with work.
 *
 * In {@link VirtualTime.Mode#DETERMINISTIC} mode nothing moves unless a caller moves it, and
 * work queues run on their own threads. A test that wants "everything due by time T, and the
 * work it triggers" calls {@link #advance}: the clock moves in steps of at most
 * {@link #stepNanos()}; after each step every work queue is drained with the clock idle, so a
 * work item that waits on the hardware moves time itself, and only one thread moves time at
 * any moment. The same calls give the same interleaving, hence the same event trace.
 *
 * Timers fire at their exact virtual time; the work they queue starts at the end of the step
 * in which they fired (at most one step late). Work that waits on hardware advances the clock
 * while it runs, so time after a step can be later than the step's end.
 *
 * In REALTIME mode this is not needed: the pacer moves time and the workers run freely.
 */
public final class TimeStepper {

    /** Default step: 100 µs, far below every driver timer (the shortest, autosuspend, is 50 ms). */
    public static final long DEFAULT_STEP_NANOS = 100_000L;

    private final VirtualTime time;
    private final long stepNanos;
    private final List<WorkQueue> queues;

    /** Steps {@code time} and drains every live work queue ({@link WorkQueue#live()}). */
    public TimeStepper(VirtualTime time) {
        this(time, DEFAULT_STEP_NANOS, null);
    }

    /**
     * @param queues the queues to drain after each step, or null for every live queue at that
     *        moment
     */
    public TimeStepper(VirtualTime time, long stepNanos, List<WorkQueue> queues) {
        if (stepNanos <= 0) {
            throw new IllegalArgumentException("step must be positive");
        }
        this.time = time;
        this.stepNanos = stepNanos;
        this.queues = queues == null ? null : List.copyOf(queues);
    }

    public long stepNanos() {
        return stepNanos;
    }

    /** Moves virtual time forward by {@code nanos} in steps, draining the work queues after each. */
    public void advance(long nanos) {
        long end = time.nowNanos() + nanos;
        drainAll();
        while (time.nowNanos() < end) {
            time.advance(Math.min(stepNanos, end - time.nowNanos()));
            drainAll();
        }
    }

    /** Advances by {@code millis} milliseconds. */
    public void advanceMillis(long millis) {
        advance(millis * VirtualTime.NANOS_PER_MS);
    }

    /** Drains the queues until a full pass finds all of them idle (work may queue more work). */
    public void drainAll() {
        while (true) {
            boolean allIdle = true;
            for (WorkQueue q : queues != null ? queues : WorkQueue.live()) {
                if (!q.isIdle()) {
                    allIdle = false;
                    q.drain();
                }
            }
            if (allIdle) {
                return;
            }
        }
    }
}
