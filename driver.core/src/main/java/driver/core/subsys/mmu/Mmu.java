package driver.core.subsys.mmu;

import driver.core.kernel.KernelMapping;
import driver.core.slot.Subsystem;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * DOC: The MMU subsystem contract ({@code panthor_mmu.c}).
 *
 * What the UABI layer ({@code panthor_drv.c}), the device ({@code panthor_device.c}), the
 * firmware layer ({@code panthor_fw.c}) and the scheduler ({@code panthor_sched.c},
 * {@code panthor_heap.c}) call in the MMU. Every call arrives through the mmu slot. Errors are
 * {@link driver.core.uapi.ErrnoException}s carrying the errno the C function returns.
 *
 * <p>VMs are named by {@link VmRef}s. The file's VM pool ({@link UabiFile#vms()}) belongs to
 * the driver core; an implementation stores the VmRef there, so the pool survives a swap.
 */
@ConsumerType
public interface Mmu extends Subsystem<MmuState> {

    /** {@code PANTHOR_VM_KERNEL_AUTO_VA}: let the MMU choose the kernel VA. */
    long KERNEL_AUTO_VA = -1L;

    // ---- UABI (panthor_ioctl_vm_*) -------------------------------------------------------

    /** VM_CREATE ({@code panthor_vm_pool_create_vm()}); flags already checked zero. Returns args with id and user_va_range set. */
    DrmPanthorVmCreate vmCreate(UabiCall call, DrmPanthorVmCreate args);

    /** VM_DESTROY ({@code panthor_vm_pool_destroy_vm()}); EINVAL for an unknown id. */
    void vmDestroy(UabiCall call, int vmId);

    /**
     * VM_BIND, synchronous ({@code panthor_vm_bind_exec_sync_op()} per op) or asynchronous
     * ({@code panthor_vm_bind_job_create()} on the VM's bind queue). {@code ops} is the copied
     * op array; sync arrays inside the ops are still raw (copy them with {@link UabiCall#copySyncOps}).
     *
     * @throws VmBindException a synchronous bind failed at an op
     */
    void vmBind(UabiCall call, DrmPanthorVmBind args, List<DrmPanthorVmBindOp> ops);

    /** VM_GET_STATE: {@code DRM_PANTHOR_VM_STATE_USABLE} or {@code _UNUSABLE}; EINVAL for an unknown id. */
    int vmGetState(UabiCall call, int vmId);

    /** {@code panthor_vm_pool_get_vm()}: the file's VM {@code vmId}, or null. */
    VmRef lookupVm(UabiFile file, int vmId);

    /** {@code panthor_vm_pool_destroy()} at postclose: drop the file's VMs. */
    void fileClosed(UabiFile file);

    // ---- kernel VM services (firmware, scheduler, heaps) ---------------------------------

    /** The MCU's VM ({@code ptdev->fw->vm}), bound to AS0. */
    VmRef mcuVm();

    /** {@code panthor_vm_get()}: a group or heap keeps the VM alive past VM_DESTROY. */
    void vmGet(VmRef vm);

    /** {@code panthor_vm_put()}. */
    void vmPut(VmRef vm);

    /**
     * {@code panthor_kernel_bo_create()} + {@code panthor_kernel_bo_vmap()}: {@code size} bytes of
     * zeroed kernel memory mapped in {@code vm} at {@code gpuVa} ({@link #KERNEL_AUTO_VA} picks
     * one in the kernel VA range) with {@code DRM_PANTHOR_VM_BIND_OP_MAP_*} {@code flags}.
     *
     * @throws driver.core.uapi.ErrnoException ENOMEM, EINVAL (bad or busy range)
     */
    KernelMapping kernelBoCreate(VmRef vm, long size, int flags, long gpuVa);

    /** {@code panthor_kernel_bo_destroy()}: unmaps and frees the kernel BO at {@code gpuVa}. */
    void kernelBoDestroy(VmRef vm, long gpuVa);

    /**
     * {@code panthor_vm_active()}: make sure {@code vm} has an address space (free slot, else
     * evict an idle VM, else -EBUSY) and is programmed. 0 or a negative errno.
     */
    int vmActive(VmRef vm);

    /** {@code panthor_vm_idle()}: the VM's AS may be evicted again. */
    void vmIdle(VmRef vm);

    /** {@code vm->as.id}: the VM's address space, -1 if none. */
    int vmAs(VmRef vm);

    /** {@code panthor_vm_has_unhandled_faults()}: the scheduler kills the VM's groups. */
    boolean vmHasUnhandledFaults(VmRef vm);

    /** {@code panthor_vm_is_unusable()}: a failed asynchronous bind left the VM unusable. */
    boolean vmIsUnusable(VmRef vm);

    // ---- device hooks -------------------------------------------------------------------

    /** The MMU IRQ mask to request ({@code panthor_mmu_fault_mask(ptdev, ~0)}). */
    int irqMask();

    /**
     * {@code panthor_mmu_irq_handler()}: page faults on the address spaces in {@code status}
     * (already cleared). A faulting user VM is marked and the scheduler is told
     * ({@code Sched.reportMmuFault}).
     */
    void irq(int status);

    /** {@code panthor_mmu_pre_reset()}. */
    void preReset();

    /** {@code panthor_mmu_post_reset()}. */
    void postReset();

    /** {@code panthor_mmu_suspend()}. */
    void suspend();

    /** {@code panthor_mmu_resume()}. */
    void resume();

    /** {@code panthor_mmu_unplug()}. */
    void unplug();

    // ---- introspection (mmu:vms, mmu:as, mmu:walk) ---------------------------------------

    List<VmInfo> vms();

    List<AsSlotInfo> addressSpaces();

    /** The page-table walk of {@code va} in {@code vm}, one line per level; EINVAL for an unknown VM. */
    List<WalkLine> walk(VmRef vm, long va);
}
