package driver.core.internal.subsys;

import driver.core.internal.device.MmuHooks;
import driver.core.internal.fw.McuVm;
import driver.core.internal.slot.GatedSubsystemSlot;
import driver.core.slot.SubsystemSlot;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;

/**
 * DOC: The device's MMU hooks, through the mmu slot.
 *
 * In this issue the MCU VM is still the firmware layer's interim {@code FwMcuVm} (the device
 * probes with it before any MMU implementation exists): it keeps AS0 and gets every hook
 * first. Then the hook goes through the mmu slot ({@code slot.run(...)}) to the MMU
 * implementation, if one is present; without one nothing waits (an IRQ handler or the reset
 * work cannot wait a grace period). So a page fault on a user AS raised while the slot is
 * parked for a swap is only logged: its VM is not marked, and its group dies of the CS_FATAL
 * the firmware raises for the same access. The next issue moves the MCU VM into {@link MmuState}
 * (the first MMU imports FwMcuVm's page tables) and retires the interim.
 */
final class SlotMmuHooks implements MmuHooks {

    private final MmuHooks interim;
    private final GatedSubsystemSlot<Mmu, MmuState> slot;

    SlotMmuHooks(MmuHooks interim, GatedSubsystemSlot<Mmu, MmuState> slot) {
        this.interim = interim;
        this.slot = slot;
    }

    MmuHooks interim() {
        return interim;
    }

    @Override
    public McuVm mcuVm() {
        return interim.mcuVm();
    }

    @Override
    public int irqMask() {
        return interim.irqMask();
    }

    @Override
    public void irq(int status) {
        interim.irq(status);
        forward(m -> m.irq(status));
    }

    @Override
    public void preReset() {
        interim.preReset();
        forward(Mmu::preReset);
    }

    @Override
    public void postReset() {
        interim.postReset();
        forward(Mmu::postReset);
    }

    @Override
    public void suspend() {
        interim.suspend();
        forward(Mmu::suspend);
    }

    @Override
    public void resume() {
        interim.resume();
        forward(Mmu::resume);
    }

    @Override
    public void unplug() {
        interim.unplug();
        forward(Mmu::unplug);
    }

    /** Runs {@code op} through the slot if an implementation owns the state; never waits for a parked one. */
    private void forward(SubsystemSlot.Task<? super Mmu, RuntimeException> op) {
        slot.runIfPresent(op);
    }
}
