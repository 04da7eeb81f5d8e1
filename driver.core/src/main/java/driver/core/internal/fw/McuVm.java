package driver.core.internal.fw;

import driver.core.kernel.KernelMapping;

/**
 * DOC: The MCU VM, as the firmware layer needs it.
 *
 * The firmware's address space (AS0, 4 GiB for the Cortex-M7): {@code panthor_vm_create(ptdev,
 * true, 0, SZ_4G, ...)}, {@code panthor_kernel_bo_create()} at fixed MCU addresses for the
 * firmware sections, and {@code panthor_vm_active()} to program and enable AS0 before the MCU
 * starts. The MMU subsystem (a later issue) implements this on its full VM machinery; until
 * then {@link FwMcuVm} writes AS0's page tables itself.
 */
public interface McuVm {

    /**
     * Allocates {@code size} bytes (page multiple) of zeroed kernel memory and maps it
     * read/write, no-execute, non-cacheable at MCU address {@code mcuVa}; returns the kernel's
     * view of it ({@code panthor_kernel_bo_create()} + {@code panthor_kernel_bo_vmap()}).
     *
     * @throws driver.core.uapi.ErrnoException ENOMEM, or EINVAL for a bad or overlapping range
     */
    KernelMapping mapShared(long mcuVa, long size);

    /**
     * {@code panthor_vm_active(fw->vm)}: if AS0 is not programmed for this VM, flush and program
     * TRANSTAB/MEMATTR/TRANSCFG and issue UPDATE.
     *
     * @return 0, or a negative errno (-ETIMEDOUT if AS_ACTIVE never clears)
     */
    int active();

    /** Releases every mapping and page table ({@code panthor_vm_put(fw->vm)} at unplug). */
    void destroy();
}
