package conformance.internal;

import driver.core.kernel.TimeStepper;
import hw.model.api.VirtualTime;
import java.util.function.BooleanSupplier;

/**
 * DOC: How the cases let virtual time pass.
 *
 * A case never blocks in an ioctl with a long timeout; it polls (a syncobj wait with an absolute
 * timeout of 0 polls once) and lets time pass between polls, in the way the clock's mode needs:
 *  - DETERMINISTIC (tests, the harness): nothing moves unless somebody moves it, and the
 *    driver's work queues only start when nobody moves the clock, so time passes through a
 *    {@link TimeStepper}: events run and the work they queue is drained, step by step;
 *  - REALTIME (the container): the pacer moves time with the wall clock and workers run
 *    freely, so passing time is waiting for it ({@link VirtualTime#await}).
 * Long waits (the 5 s job timeout) {@link #skip}: in REALTIME mode the clock is advanced at
 * once, running every event due on the way (other clients of the live device see the same jump:
 * their timers fire early in wall time but never early in virtual time, so nothing they observe
 * is wrong, only faster).
 */
public final class SuiteTime {

    private static final long MIN_STEP_NANOS = VirtualTime.NANOS_PER_MS;

    private final VirtualTime time;
    private final TimeStepper stepper;

    public SuiteTime(VirtualTime time) {
        this.time = time;
        this.stepper = new TimeStepper(time);
    }

    public VirtualTime clock() {
        return time;
    }

    public long nowNanos() {
        return time.nowNanos();
    }

    private boolean deterministic() {
        return time.mode() == VirtualTime.Mode.DETERMINISTIC;
    }

    /** Lets {@code nanos} of virtual time pass (and, in deterministic time, the work it triggers). */
    public void pass(long nanos) {
        if (nanos <= 0) {
            return;
        }
        if (deterministic()) {
            stepper.advance(nanos);
        } else {
            time.await(() -> false, nanos);
        }
    }

    public void passMs(long ms) {
        pass(ms * VirtualTime.NANOS_PER_MS);
    }

    /** Moves the clock {@code nanos} ahead as fast as possible (REALTIME: one jump). */
    public void skip(long nanos) {
        if (deterministic()) {
            stepper.advance(nanos);
        } else {
            time.advance(nanos);
        }
    }

    /**
     * Polls {@code condition}, letting time pass between polls, until it holds or
     * {@code timeoutNanos} of virtual time have passed; whether it held.
     */
    public boolean until(BooleanSupplier condition, long timeoutNanos) {
        long deadline = time.nowNanos() + timeoutNanos;
        long step = Math.max(MIN_STEP_NANOS, timeoutNanos / 1000);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - time.nowNanos();
            if (left <= 0) {
                return condition.getAsBoolean();
            }
            pass(Math.min(left, step));
        }
    }

    public boolean untilMs(BooleanSupplier condition, long timeoutMs) {
        return until(condition, timeoutMs * VirtualTime.NANOS_PER_MS);
    }
}
