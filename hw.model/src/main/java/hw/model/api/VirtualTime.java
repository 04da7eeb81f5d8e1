package hw.model.api;

import java.util.function.BooleanSupplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one simulated clock that drives the model and the driver: instruction timing, power
 * transitions, AS commands, and every timer the driver arms (ticks, timeouts, devfreq
 * polling, autosuspend).
 *
 * <p>In {@link Mode#DETERMINISTIC} mode time moves only when a caller tells it to:
 * {@link #advance}, {@link #runUntilIdle}, or a thread that blocks in {@link #await} (which
 * pulls the clock forward to the next event itself, since nothing else would). Events run in
 * (time, sequence) order on the thread that moves the clock, so the same seed and the same
 * inputs give the same event trace. In {@link Mode#REALTIME} mode a pacer thread moves the
 * clock along with wall time, for the interactive shell.
 */
@ProviderType
public interface VirtualTime {

    enum Mode { DETERMINISTIC, REALTIME }

    long NANOS_PER_MS = 1_000_000L;

    long nowNanos();

    Mode mode();

    void setMode(Mode mode);

    /**
     * Runs {@code task} once the clock reaches now + {@code delayNanos}, on the thread moving
     * the clock and outside the model lock. Tasks due at the same time run in scheduling order.
     */
    Timer schedule(long delayNanos, Runnable task);

    /** Moves the clock forward by {@code nanos}, running every event due on the way. */
    void advance(long nanos);

    /**
     * Runs events until none is pending or {@code maxNanos} of simulated time have passed;
     * returns the simulated time that passed.
     */
    long runUntilIdle(long maxNanos);

    /**
     * Waits until {@code condition} holds or {@code timeoutNanos} of simulated time pass
     * ({@code wait_event_timeout}); returns whether the condition held. The condition is
     * re-evaluated after every event.
     */
    boolean await(BooleanSupplier condition, long timeoutNanos);

    /** Number of events pending. */
    int pendingEvents();

    /** A scheduled task. */
    interface Timer {
        /** Cancels the task; false if it already ran or was cancelled. */
        boolean cancel();

        long deadlineNanos();
    }
}
