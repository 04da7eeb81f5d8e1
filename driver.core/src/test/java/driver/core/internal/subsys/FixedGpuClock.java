package driver.core.internal.subsys;

import hw.model.api.GpuClock;
import java.util.List;

/**
 * The GPU clock the slot and shell-command tests give {@link DriverSlots}: 500 MHz, one
 * operating point, a 24 MHz timestamp counter, no busy or idle time, frequency changes ignored.
 */
final class FixedGpuClock implements GpuClock {

    static final GpuClock INSTANCE = new FixedGpuClock();

    private FixedGpuClock() {
    }

    @Override
    public long frequencyHz() {
        return 500_000_000L;
    }

    @Override
    public long timestampFrequencyHz() {
        return 24_000_000L;
    }

    @Override
    public List<Opp> opps() {
        return List.of(new Opp(500_000_000L, 800_000L));
    }

    @Override
    public void setFrequencyHz(long hz) {
    }

    @Override
    public long busyNanos() {
        return 0;
    }

    @Override
    public long idleNanos() {
        return 0;
    }
}
