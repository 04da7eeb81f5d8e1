package driver.core.internal.device;

/**
 * What the device core calls in the devfreq subsystem ({@code panthor_devfreq.c}). Optional:
 * without it the GPU runs at a fixed operating point (the clock's current rate).
 */
public interface DevfreqHooks {

    /** {@code panthor_devfreq_init()}: 0 or a negative errno (probe fails). */
    int init();

    /** {@code panthor_devfreq_suspend()}. */
    void suspend();

    /** {@code panthor_devfreq_resume()}: also resets the busy/idle accounting. */
    void resume();
}
