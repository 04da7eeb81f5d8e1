package driver.core.internal.device;

import static hw.model.regs.MaliRegs.MMU_INT_PAGE_FAULT_MASK;

import driver.core.subsys.mmu.MmuIrq;

/** The device's MMU line ({@link PanthorIrq}) as the MMU implementation drives it. */
final class PanthorMmuIrq implements MmuIrq {

    private final PanthorIrq irq;

    PanthorMmuIrq(PanthorIrq irq) {
        this.irq = irq;
    }

    @Override
    public void disableFaults(int asMask) {
        irq.disable(asMask & MMU_INT_PAGE_FAULT_MASK);
    }

    @Override
    public void enableFaults(int asMask) {
        irq.enable(asMask & MMU_INT_PAGE_FAULT_MASK);
    }

    @Override
    public int undeliveredFaults() {
        return irq.undelivered(MMU_INT_PAGE_FAULT_MASK);
    }
}
