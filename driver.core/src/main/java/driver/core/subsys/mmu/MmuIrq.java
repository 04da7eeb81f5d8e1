package driver.core.subsys.mmu;

import static hw.model.regs.MaliRegs.MMU_INT_MASK;
import static hw.model.regs.MaliRegs.MMU_INT_PAGE_FAULT_MASK;
import static hw.model.regs.MaliRegs.MMU_INT_RAWSTAT;

import hw.model.api.Mmio;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: The MMU interrupt line as the MMU implementation drives it ({@code ptdev->mmu->irq}).
 *
 * The device owns the line ({@code struct panthor_irq}: the hard and threaded handlers, the
 * saved mask the threaded handler restores); the MMU owns which address spaces may raise it.
 * As in panthor_mmu.c, the page-fault handler masks a faulty AS and {@code panthor_vm_active()}
 * unmasks it when the AS is enabled again. Both change the one saved mask, so a fault masked
 * by one MMU implementation is unmasked by the next after a swap.
 *
 * <p>Not in Panthor: {@link #undeliveredFaults()}. A page fault is raised by the hardware,
 * cleared by the threaded handler and only then handed to {@link Mmu#irq}; an AS handed to
 * another VM in between would have its fault charged to the new VM (Panthor has this race;
 * the model, with its IRQ thread, hits it). The MMU therefore does not reassign an AS whose
 * fault has not reached it yet.
 */
@ProviderType
public interface MmuIrq {

    /** Masks the page faults of {@code asMask} ({@code pirq->mask &= ~...}; the handler restores MMU_INT_MASK). */
    void disableFaults(int asMask);

    /** Unmasks the page faults of {@code asMask} ({@code pirq->mask |= ...}, MMU_INT_MASK), unless suspended. */
    void enableFaults(int asMask);

    /**
     * Address spaces whose page fault is raised but not yet handed to {@link Mmu#irq}: pending
     * in RAWSTAT, or cleared by the threaded handler that has not returned yet.
     */
    int undeliveredFaults();

    /**
     * The line as the registers alone show it, for an MMU used without a device (unit tests
     * that call {@link Mmu#irq} themselves): the saved mask is MMU_INT_MASK itself, nothing is
     * ever in flight.
     */
    static MmuIrq registersOnly(Mmio mmio) {
        return new MmuIrq() {
            @Override
            public synchronized void disableFaults(int asMask) {
                mmio.write32(MMU_INT_MASK, mmio.read32(MMU_INT_MASK) & ~asMask);
            }

            @Override
            public synchronized void enableFaults(int asMask) {
                mmio.write32(MMU_INT_MASK, mmio.read32(MMU_INT_MASK) | (asMask & MMU_INT_PAGE_FAULT_MASK));
            }

            @Override
            public int undeliveredFaults() {
                return mmio.read32(MMU_INT_RAWSTAT) & MMU_INT_PAGE_FAULT_MASK;
            }
        };
    }
}
