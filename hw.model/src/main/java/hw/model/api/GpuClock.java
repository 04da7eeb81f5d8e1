package hw.model.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The GPU core clock and its operating points, plus the load counters a devfreq governor
 * reads. Busy time is virtual time during which the GPU had work executing (any command
 * stream running or a power transition in flight); idle is the rest.
 */
@ProviderType
public interface GpuClock {

    /** One operating point: frequency and the "mali" regulator voltage. */
    record Opp(long frequencyHz, long microvolts) {}

    /** The operating points, lowest frequency first. */
    List<Opp> opps();

    long frequencyHz();

    /**
     * Sets the core clock ({@code clk_set_rate}).
     *
     * @throws IllegalArgumentException if {@code hz} is not one of {@link #opps()}
     */
    void setFrequencyHz(long hz);

    /** Frequency of the GPU timestamp counter (the system counter, 24 MHz on RK3588). */
    long timestampFrequencyHz();

    /** Cumulative busy virtual time since power-up, in nanoseconds. */
    long busyNanos();

    /** Cumulative idle virtual time since power-up, in nanoseconds. */
    long idleNanos();
}
