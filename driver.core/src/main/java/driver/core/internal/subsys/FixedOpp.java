package driver.core.internal.subsys;

import driver.core.subsys.devfreq.Devfreq;
import driver.core.subsys.devfreq.DevfreqState;
import hw.model.api.GpuClock;
import java.util.List;

/**
 * The devfreq slot's fallback: no governor, the GPU runs at the clock's current rate (what
 * {@code panthor_device_init()} gets when the devfreq node is absent). Not an implementation
 * of the subsystem: the slot never swaps it in and never calls its export or import.
 */
class FixedOpp implements Devfreq {

    private final GpuClock clock;

    FixedOpp(GpuClock clock) {
        this.clock = clock;
    }

    @Override
    public String impl() {
        return "fixed-opp";
    }

    @Override
    public DevfreqState exportState() {
        return DevfreqState.initial(clock.frequencyHz());
    }

    @Override
    public void importState(DevfreqState state) {
    }

    @Override
    public void releaseState() {
    }

    @Override
    public int init() {
        return 0;
    }

    @Override
    public void recordBusy() {
    }

    @Override
    public void recordIdle() {
    }

    @Override
    public long currentFrequencyHz() {
        return clock.frequencyHz();
    }

    @Override
    public long targetFrequencyHz() {
        return clock.frequencyHz();
    }

    @Override
    public List<Long> frequencies() {
        return List.of(clock.frequencyHz());
    }

    @Override
    public String sysfsDirectory() {
        return "";
    }

    @Override
    public void suspend() {
    }

    @Override
    public void resume() {
    }
}
