package driver.core.internal.device;

import driver.core.internal.fw.McuVm;

/**
 * DOC: What the device core needs from the MMU subsystem.
 *
 * The entry points of {@code panthor_mmu.c} that {@code panthor_device.c} and
 * {@code panthor_fw.c} call, in the order the device calls them (see {@link PanthorDeviceCore}):
 * init (when the hooks are installed), pre/post reset around the soft reset, suspend/resume
 * around runtime PM, unplug. The MMU IRQ line belongs to the device
 * ({@link PanthorDeviceCore#mmuIrq()}); the subsystem handles its events in {@link #irq} (on
 * the IRQ thread, status already cleared) and suspends/resumes the line itself in pre/post
 * reset and suspend/resume, as {@code panthor_mmu_irq_suspend/resume} do.
 *
 * {@link #mcuVm()} is the firmware's VM (AS0). Until the MMU subsystem exists, the firmware
 * layer's interim {@code FwMcuVm} provides these hooks.
 */
public interface MmuHooks {

    /** The MCU VM the firmware maps its sections into ({@code panthor_fw_vm()}). */
    McuVm mcuVm();

    /** The MMU IRQ mask to request at init ({@code panthor_mmu_fault_mask(ptdev, ~0)}). */
    int irqMask();

    /** {@code panthor_mmu_irq_handler()}: page faults on the address spaces in {@code status}. */
    void irq(int status);

    /** {@code panthor_mmu_pre_reset()}: suspend the MMU IRQ, stop VM_BIND queues. */
    void preReset();

    /** {@code panthor_mmu_post_reset()}: forget AS assignments and faults, resume the IRQ. */
    void postReset();

    /** {@code panthor_mmu_suspend()}: release every AS, suspend the IRQ. */
    void suspend();

    /** {@code panthor_mmu_resume()}: clear faults, resume the IRQ (AS re-bound lazily). */
    void resume();

    /** {@code panthor_mmu_unplug()}: stop touching the hardware, release every AS. */
    void unplug();
}
