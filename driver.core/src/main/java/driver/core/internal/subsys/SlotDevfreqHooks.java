package driver.core.internal.subsys;

import driver.core.internal.device.DevfreqHooks;
import driver.core.internal.slot.GatedSubsystemSlot;
import driver.core.subsys.devfreq.Devfreq;
import driver.core.subsys.devfreq.DevfreqState;

/**
 * The device's devfreq hooks (runtime suspend/resume) through the devfreq slot. The slot is
 * optional with grace 0: without an implementation the call runs on the fixed-OPP fallback at
 * once, so runtime PM never waits for a missing devfreq.
 */
final class SlotDevfreqHooks implements DevfreqHooks {

    private final GatedSubsystemSlot<Devfreq, DevfreqState> slot;

    SlotDevfreqHooks(GatedSubsystemSlot<Devfreq, DevfreqState> slot) {
        this.slot = slot;
    }

    @Override
    public int init() {
        return slot.call(Devfreq::init);
    }

    @Override
    public void suspend() {
        slot.run(Devfreq::suspend);
    }

    @Override
    public void resume() {
        slot.run(Devfreq::resume);
    }
}
