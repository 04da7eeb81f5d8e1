package driver.core.internal.subsys;

import driver.core.internal.device.SchedHooks;
import driver.core.internal.slot.GatedSubsystemSlot;
import driver.core.slot.SubsystemSlot;
import driver.core.subsys.sched.Sched;
import driver.core.subsys.sched.SchedState;
import driver.core.uapi.Errno;
import java.util.List;

/**
 * DOC: The device's scheduler hooks, through the sched slot.
 *
 * The JOB IRQ's firmware events and the reset/suspend/resume/unplug sequence reach the
 * scheduler only through its slot ({@code slot.run(...)}), so a swap drains them like any
 * UABI call. While no implementation is present (the state parked, or never imported) the
 * hooks do nothing and do not wait: an IRQ handler or the reset work cannot wait a grace
 * period, and a parked state has no running work to stop; the implementation that restores it
 * re-arms what the state describes. The exceptions are a runtime suspend, which a parked
 * state with groups on CSG slots refuses ({@link #suspend()}), and a reset, which waits for an
 * implementation to take such a state back ({@link #resetMustWait()}).
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

    /** A parked state with groups on CSG slots: the reset waits for an implementation to take it back. */
    @Override
    public boolean resetMustWait() {
        return parkedWithGroupsOnCsgSlots();
    }

    @Override
    public void preReset() {
        forward(Sched::preReset);
    }

    @Override
    public void postReset(boolean resetFailed) {
        forward(s -> s.postReset(resetFailed));
    }

    /**
     * {@code panthor_sched_suspend()}. Not in Panthor: while the state is parked with groups
     * on CSG slots, nobody can suspend those slots (save their queues through the firmware),
     * and powering down would leave the state describing groups the firmware no longer runs;
     * so the runtime suspend is refused with -EBUSY (retried after the autosuspend delay)
     * until an implementation takes the state back.
     */
    @Override
    public int suspend() {
        if (forward(Sched::suspend)) {
            return 0;
        }
        return parkedWithGroupsOnCsgSlots() ? -Errno.EBUSY : 0;
    }

    private boolean parkedWithGroupsOnCsgSlots() {
        return slot.parkedState().map(SchedState::csgSlots).orElse(List.of()).stream()
                .anyMatch(s -> s.clientId() != 0 || s.groupHandle() != 0);
    }

    @Override
    public void resume() {
        forward(Sched::resume);
    }

    @Override
    public void unplug() {
        forward(Sched::unplug);
    }

    /** Runs {@code op} through the slot if an implementation owns the state; never waits for a parked one. */
    private boolean forward(SubsystemSlot.Task<? super Sched, RuntimeException> op) {
        return slot.runIfPresent(op);
    }
}
