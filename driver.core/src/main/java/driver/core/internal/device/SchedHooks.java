package driver.core.internal.device;

import driver.core.internal.fw.FwEventListener;

/**
 * DOC: What the device core needs from the scheduler subsystem.
 *
 * The entry points of {@code panthor_sched.c} that {@code panthor_device.c} calls, plus the
 * firmware-event hook the JOB IRQ feeds ({@link FwEventListener}). Defaults do nothing: that
 * is the device with no scheduler yet ({@link #NONE}). A scheduler that needs the hardware
 * awake between ticks takes runtime-PM references ({@code RuntimePm.resumeAndGet()} /
 * {@code putAutosuspend()}) as {@code tick_work} does.
 */
public interface SchedHooks extends FwEventListener {

    SchedHooks NONE = new SchedHooks() { };

    /** {@code panthor_sched_init()}: 0 or a negative errno (probe fails; e.g. EINVAL with fewer than 2 AS). */
    default int init() {
        return 0;
    }

    /**
     * Not in Panthor: whether a reset must wait because nobody could stop and restart the
     * scheduler's groups around it (its state parked with groups on CSG slots).
     */
    default boolean resetMustWait() {
        return false;
    }

    /** {@code panthor_sched_pre_reset()}: stop the tick, suspend every group. */
    default void preReset() { }

    /** {@code panthor_sched_post_reset(ptdev, reset_failed)}: restart, or kill everything if the reset failed. */
    default void postReset(boolean resetFailed) { }

    /**
     * {@code panthor_sched_suspend()}: suspend every CSG slot (100 ms per request). 0, or a
     * negative errno that vetoes the runtime suspend (-EBUSY: retried after the autosuspend
     * delay); Panthor's cannot fail.
     */
    default int suspend() {
        return 0;
    }

    /** {@code panthor_sched_resume()}: force a tick. */
    default void resume() { }

    /** {@code panthor_sched_unplug()}: cancel the tick, release PM references. */
    default void unplug() { }

    @Override
    default void reportFwEvents(int events) { }
}
