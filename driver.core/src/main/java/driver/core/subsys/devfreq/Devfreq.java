package driver.core.subsys.devfreq;

import driver.core.slot.Subsystem;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * DOC: The devfreq subsystem contract ({@code panthor_devfreq.c}). Optional.
 *
 * The scheduler records busy/idle transitions ({@code panthor_devfreq_record_busy/idle()});
 * the device suspends and resumes it around runtime PM. The governor picks a target
 * frequency from the busy ratio; the current frequency is the GPU clock's rate. Without an
 * implementation the slot's fallback runs the GPU at a fixed operating point.
 */
@ConsumerType
public interface Devfreq extends Subsystem<DevfreqState> {

    /** {@code panthor_devfreq_init()}: 0 or a negative errno. */
    int init();

    /** {@code panthor_devfreq_record_busy()}. */
    void recordBusy();

    /** {@code panthor_devfreq_record_idle()}. */
    void recordIdle();

    /** The GPU clock's current rate. */
    long currentFrequencyHz();

    /** The governor's target. */
    long targetFrequencyHz();

    /** The operating points, lowest first. */
    List<Long> frequencies();

    /** Its sysfs directory relative to the device (e.g. {@code devfreq/gpu}), empty if it has none. */
    String sysfsDirectory();

    /** {@code panthor_devfreq_suspend()}. */
    void suspend();

    /** {@code panthor_devfreq_resume()}: also resets the busy/idle accounting. */
    void resume();
}
