package driver.core.internal.subsys;

import driver.core.internal.device.SchedHooks;
import driver.core.internal.slot.GatedSubsystemSlot;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.sched.Sched;
import driver.core.subsys.sched.SchedState;

/**
 * DOC: The device's scheduler hooks, through the sched slot.
 *
 * The JOB IRQ's firmware events and the reset/suspend/resume/unplug sequence reach the
 * scheduler only through its slot ({@code slot.run(...)}), so a swap drains them like any
 * UABI call. While no implementation is present (the state parked, or never imported) the
 * hooks do nothing and do not wait: an IRQ handler or the reset work cannot wait a grace
 * period, and a parked state has no running work to stop; the implementation that restores it
 * re-arms what the state describes.
 */
final class SlotSchedHooks implements SchedHooks {

    private final GatedSubsystemSlot<Sched, SchedState> slot;

    SlotSchedHooks(GatedSubsystemSlot<Sched, SchedState> slot) {
        this.slot = slot;
    }

    @Override
    public int init() {
        return slot.hasImplementation() ? slot.call(Sched::init) : 0;
    }

    @Override
    public void reportFwEvents(int events) {
        forward(s -> s.reportFwEvents(events));
    }

    @Override
    public void preReset() {
        forward(Sched::preReset);
    }

    @Override
    public void postReset(boolean resetFailed) {
        forward(s -> s.postReset(resetFailed));
    }

    @Override
    public void suspend() {
        forward(Sched::suspend);
    }

    @Override
    public void resume() {
        forward(Sched::resume);
    }

    @Override
    public void unplug() {
        forward(Sched::unplug);
    }

    /**
     * Runs {@code op} through the slot if an implementation is there; a slot that parks
     * between the check and the call makes the call wait its grace period and then skip.
     */
    private void forward(SubsystemSlot.Task<? super Sched, RuntimeException> op) {
        if (slot.hasImplementation()) {
            try {
                slot.run(op);
            } catch (SubsystemUnavailableException e) {
                // parked meanwhile: the next owner re-arms from the state
            }
        }
    }
}
