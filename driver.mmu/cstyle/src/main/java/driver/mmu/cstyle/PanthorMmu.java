package driver.mmu.cstyle;

import static hw.model.regs.MaliRegs.*;

import driver.core.api.DrmClientInfo;
import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.kernel.DmaFence;
import driver.core.kernel.GemObject;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.WorkQueue;
import driver.core.kernel.pgtable.Lpae;
import driver.core.slot.IncompatibleStateException;
import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.AsSlotInfo;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuIrq;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmBindException;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import hw.model.csf.CsfLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * DOC: panthor_mmu.c, C style.
 *
 * The MMU subsystem the way {@code panthor_mmu.c} is written: {@code struct panthor_mmu}
 * (this class: the VM table, the AS slot table with its {@code alloc_mask} and LRU list) and
 * {@code struct panthor_vm} ({@link PanthorVm}). Functions carry the C names in camelCase
 * ({@code panthor_vm_active} → {@link #vmActive}); internal functions return 0 or a negative
 * errno and unwind by early returns; the contract methods turn a negative result into an
 * {@link ErrnoException}.
 *
 * <p>Lock order, as in the C driver: the bind queue's {@link PanthorVm#bindQueueLock} (arm
 * and push of asynchronous jobs, the part the VM's resv lock plays in C) →
 * {@code vm->op_lock} ({@link PanthorVm#opLock}) → {@code mmu->as.slots_lock}
 * ({@link #slotsLock}) → {@link #vmsLock} (the VM table, held briefly, never across hardware
 * waits).
 *
 * <p>A synchronous VM_BIND op runs {@code panthor_vm_exec_op()}: if the VM has an AS the
 * region is locked first ({@code panthor_vm_lock_region()}: AS_LOCKADDR = the naturally
 * aligned power of two ≥ 32 KiB covering it, LOCK, wait !AS_ACTIVE), the page tables are
 * updated (unmap of the overlapped ranges, keeping the pieces before and after, then the new
 * map), and {@code panthor_vm_unlock_region()} flushes L2 and LSC (clean + invalidate,
 * GPU_CMD FLUSH_CACHES) and UNLOCKs, which drops the region's TLB entries: no stale
 * translation survives the ioctl.
 *
 * <p>Address spaces: AS0 is reserved for the MCU; {@code panthor_vm_active()} takes
 * {@code ffz(alloc_mask | 1)}, else evicts the head of the LRU list (the VM idle the
 * longest), else -EBUSY.
 *
 * <p>Asynchronous VM_BIND ({@code panthor_ioctl_vm_bind_async()}): one job per op
 * ({@link PanthorVm.PanthorVmBindJob}), everything that can fail done up front (op checks, BO
 * lookup and pages, sync ops through a {@link PanthorSubmitCtx}), so a refused bind changes
 * nothing; then the jobs join the VM's bind queue ({@code vm->entity}, one job at a time like
 * the C's 1:1 drm_sched with {@code credit_limit = 1}) and their fences are published on the
 * signal syncobjs. A job runs when its wait fences have signaled, on {@code mmu->vm.wq}
 * (here one ordered {@link WorkQueue} for all VMs, entered through the mmu slot), with the
 * same {@code panthor_vm_exec_op()} as a synchronous op; a failure marks the VM unusable and
 * goes to the job's fence; later jobs still run (a MAP then fails with EINVAL, an UNMAP
 * works), so every fence signals. Reset stops the queues until post-reset.
 *
 * <p>Sparse maps ({@code DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE}, needs NOEXEC and no BO) point
 * every page of the range at the VM's zeroed dummy page.
 *
 * <p>Divergences (driver.mmu/README.md): the MCU VM's AS0 and tables stay the firmware
 * layer's interim {@code FwMcuVm}, which also takes the first half of the MMU IRQ;
 * {@link #mcuVm()} names them in the VM table. No page-table pre-allocation.
 */
@Component(service = Mmu.class, property = {"subsystem=mmu", "impl=cstyle", "service.ranking:Integer=0"})
public final class PanthorMmu implements Mmu {

    static final int DRM_PANTHOR_VM_BIND_OP_MAP_READONLY = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
    static final int DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
    static final int DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
    static final int DRM_PANTHOR_VM_BIND_OP_TYPE_MASK = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
    static final int DRM_PANTHOR_VM_BIND_OP_TYPE_MAP = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
    static final int DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
    static final int DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY;
    static final int DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
    static final int DRM_PANTHOR_VM_BIND_ASYNC = PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC;
    static final int PANTHOR_VM_MAP_FLAGS = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
            | DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;

    /** {@code PANTHOR_VM_KERNEL_MIN_VA_SIZE}. */
    static final long PANTHOR_VM_KERNEL_MIN_VA_SIZE = 256L << 20;
    static final long SZ_4G = 1L << 32;
    /** The MCU VM spans 4 GiB (Cortex-M7). */
    static final long MCU_VA_RANGE = SZ_4G;
    /** {@code wait_ready()} timeout. */
    static final long AS_READY_TIMEOUT_NS = 100_000_000L;
    /** {@code panthor_gpu_flush_caches()} timeout. */
    static final long FLUSH_TIMEOUT_NS = 100_000_000L;

    final Mmio mmio;
    final PhysicalMemory memory;
    final VirtualTime time;
    final PageAllocator pages;
    final int vaBits;
    final int asPresent;
    final boolean coherent = false;
    /* mmu->irq */
    final MmuIrq irq;

    /* mmu->as */
    final ReentrantLock slotsLock = new ReentrantLock();
    int allocMask;
    int faultyMask;
    final PanthorVm[] slots = new PanthorVm[32];
    final LinkedList<PanthorVm> lruList = new LinkedList<>();
    long lruClock;

    /* the VM table (the state every VmRef names) */
    final ReentrantLock vmsLock = new ReentrantLock();
    final Map<Long, PanthorVm> vms = new HashMap<>();
    long nextVmKey = 1;

    /* mmu->vm.wq: runs the VMs' bind queues (and the post-import sweep); created with the instance */
    final WorkQueue bindWq;
    /** {@code panthor_vm_stop()} on every VM between pre- and post-reset. Under no lock (volatile). */
    volatile boolean bindQueuesStopped;
    /** Whether a DRM client id still has an open file (for the post-import sweep); null: unknown. */
    final IntPredicate clientOpen;

    /** The slots, to reach the scheduler ({@code panthor_sched_report_mmu_fault()}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DriverSubsystems subsystems;

    /** Whether this instance owns the state (between importState and releaseState). */
    volatile boolean owner;

    /**
     * The DS constructor. Activation leaves the instance inert: the hardware facts come from
     * the probed device's {@code gpu_info}, no register is touched before {@link #importState}.
     */
    @Activate
    public PanthorMmu(@Reference Mmio mmio, @Reference PhysicalMemory memory, @Reference VirtualTime time,
                      @Reference DrmDevice drm, @Reference PanthorDevice ptdev) {
        this(mmio, memory, time, drm.pageAllocator(), ptdev.gpuInfo().mmuFeatures(), ptdev.gpuInfo().asPresent(), drm,
                ptdev.mmuIrq());
    }

    /** Plain construction without a DRM device (no post-import sweep of closed files' VMs). */
    public PanthorMmu(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                      int asPresent) {
        this(mmio, memory, time, pages, mmuFeatures, asPresent, null, null);
    }

    /** Plain construction over the registers alone (no device MMU line). */
    public PanthorMmu(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                      int asPresent, DrmDevice drm) {
        this(mmio, memory, time, pages, mmuFeatures, asPresent, drm, null);
    }

    /**
     * Plain construction (tests, the harness). {@code drm} (may be null) tells which DRM
     * clients are still open, for dropping, after an import, the VMs of files that closed
     * while the state was parked. Call {@link #setSubsystems} to reach the scheduler.
     * {@code irq} is the device's MMU line (null: the registers alone, for unit tests).
     */
    public PanthorMmu(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                      int asPresent, DrmDevice drm, MmuIrq irq) {
        this.mmio = mmio;
        this.irq = irq != null ? irq : MmuIrq.registersOnly(mmio);
        this.memory = memory;
        this.time = time;
        this.pages = pages;
        this.vaBits = GPU_MMU_FEATURES_VA_BITS_GET(mmuFeatures);
        this.asPresent = asPresent;
        this.clientOpen = drm == null ? null : clientId -> {
            for (DrmClientInfo c : drm.clients()) {
                if (c.clientId() == clientId) {
                    return true;
                }
            }
            return false;
        };
        this.bindWq = new WorkQueue("panthor-vm-bind", time);
    }

    /** The driver's slots outside DS (DS injects {@link #subsystems} itself). */
    public void setSubsystems(DriverSubsystems subsystems) {
        this.subsystems = subsystems;
    }

    /** {@code destroy_workqueue(mmu->vm.wq)} when the component goes. */
    @Deactivate
    public void deactivate() {
        bindWq.destroy();
    }

    @Override
    public String impl() {
        return "cstyle";
    }

    private static ErrnoException errno(int ret) {
        return new ErrnoException(-ret);
    }

    private PanthorVm vmFromRef(VmRef ref) {
        if (ref == null) {
            return null;
        }
        vmsLock.lock();
        try {
            return vms.get(ref.key());
        } finally {
            vmsLock.unlock();
        }
    }

    // ------------------------------------------------------------------ VM creation

    /**
     * {@code panthor_vm_create_check_args()}: the user range (default: half the GPU range when it
     * is above 4 GiB, else the range minus 256 MiB) must leave at least 256 MiB; the kernel range
     * is {@code rounddown_pow_of_two(full - user)} at the top. Returns {user, kernelStart} or
     * null for EINVAL.
     */
    long[] vmCreateCheckArgs(long requestedUserVaRange) {
        long fullVaRange = 1L << vaBits;
        long userVaRange;
        if (fullVaRange < PANTHOR_VM_KERNEL_MIN_VA_SIZE) {
            return null;
        }
        if (requestedUserVaRange != 0) {
            userVaRange = requestedUserVaRange;
        } else if (fullVaRange > SZ_4G) {
            userVaRange = fullVaRange / 2;
        } else {
            userVaRange = fullVaRange - PANTHOR_VM_KERNEL_MIN_VA_SIZE;
        }
        if (Long.compareUnsigned(userVaRange, fullVaRange - PANTHOR_VM_KERNEL_MIN_VA_SIZE) > 0) {
            return null;
        }
        long kernelVaRange = Long.highestOneBit(fullVaRange - userVaRange);
        return new long[] {userVaRange, fullVaRange - kernelVaRange, kernelVaRange};
    }

    /** {@code panthor_vm_create()}: a VM with its level-0 table, in the VM table. */
    PanthorVm vmCreateLocked(boolean forMcu, long userVaRange, long kernelVaStart, long kernelVaSize) {
        vmsLock.lock();
        try {
            PanthorVm vm = new PanthorVm(nextVmKey, forMcu, userVaRange, kernelVaStart, kernelVaSize, vaBits,
                    memory, pages);
            if (vm.allocPgd() != 0) {
                return null;
            }
            vmInitBindQueue(vm);
            nextVmKey++;
            vms.put(vm.key, vm);
            return vm;
        } finally {
            vmsLock.unlock();
        }
    }

    /** {@code drm_sched_init()} + {@code drm_sched_entity_init()}: the VM's run-job work. */
    void vmInitBindQueue(PanthorVm vm) {
        vm.bindWork = new WorkQueue.Work(() -> vmBindWork(vm));
    }

    @Override
    public DrmPanthorVmCreate vmCreate(UabiCall call, DrmPanthorVmCreate args) {
        long[] range = vmCreateCheckArgs(args.userVaRange());
        if (range == null) {
            throw errno(-Errno.EINVAL);
        }
        PanthorVm vm = vmCreateLocked(false, range[0], range[1], range[2]);
        if (vm == null) {
            throw errno(-Errno.ENOMEM);
        }
        UabiFile file = call.file();
        int id;
        try {
            id = file.vms().alloc(vm.ref);
        } catch (ErrnoException e) {
            vmPut(vm.ref);
            throw e;
        }
        vm.clientId = file.clientId();
        vm.handle = id;
        /* args->user_va_range = kernel_va_start */
        return args.withId(id).withUserVaRange(range[1]);
    }

    /** {@code panthor_vm_destroy()}: unmap everything, drop the pool's reference. */
    void vmDestroyLocked(PanthorVm vm) {
        vm.opLock.lock();
        try {
            if (vm.destroyed) {
                return;
            }
            vm.destroyed = true;
            vm.handle = 0;
            if (!vm.vas.isEmpty()) {
                long start = vm.vas.firstKey();
                PanthorVm.PanthorVma last = vm.vas.lastEntry().getValue();
                vmExecUnmap(vm, start, last.va + last.size - start);
            }
        } finally {
            vm.opLock.unlock();
        }
        vmPut(vm.ref);
    }

    @Override
    public void vmDestroy(UabiCall call, int vmId) {
        Object ref = call.file().vms().remove(vmId);
        PanthorVm vm = ref instanceof VmRef r ? vmFromRef(r) : null;
        if (vm == null) {
            throw errno(-Errno.EINVAL);
        }
        vmDestroyLocked(vm);
    }

    @Override
    public int vmGetState(UabiCall call, int vmId) {
        PanthorVm vm = vmFromRef(lookupVm(call.file(), vmId));
        if (vm == null) {
            throw errno(-Errno.EINVAL);
        }
        return vm.unusable ? PanthorIoctls.DRM_PANTHOR_VM_STATE_UNUSABLE : PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE;
    }

    @Override
    public VmRef lookupVm(UabiFile file, int vmId) {
        Object ref = file.vms().get(vmId);
        if (!(ref instanceof VmRef r) || vmFromRef(r) == null) {
            return null;
        }
        return r;
    }

    @Override
    public void fileClosed(UabiFile file) {
        for (Integer id : file.vms().snapshot().keySet()) {
            Object ref = file.vms().remove(id);
            PanthorVm vm = ref instanceof VmRef r ? vmFromRef(r) : null;
            if (vm != null) {
                vmDestroyLocked(vm);
            }
        }
    }

    /**
     * {@code panthor_fw_vm()}. The firmware boots before any MMU implementation arrives, so
     * the MCU's page tables and AS0 belong to the firmware layer's interim {@code FwMcuVm}.
     * The first call names them here: a VM of the table ({@code for_mcu}, the 4 GiB MCU range,
     * auto-VA range the shared region) whose level-0 table is read back from AS0's TRANSTAB,
     * bound to AS0 and always active. It owns only the page-table pages it adds itself (for
     * kernel BOs mapped through {@link #kernelBoCreate}); AS0's programming, its faults and
     * the firmware's own mappings stay FwMcuVm's. Null while AS0 is not set up.
     */
    @Override
    public VmRef mcuVm() {
        vmsLock.lock();
        try {
            for (PanthorVm vm : vms.values()) {
                if (vm.forMcu) {
                    return vm.ref;
                }
            }
        } finally {
            vmsLock.unlock();
        }
        long transtab = mmio.read64Raw(AS_TRANSTAB(0)) & Lpae.PTE_ADDR_MASK;
        if (transtab == 0) {
            return null;
        }
        PanthorVm vm;
        slotsLock.lock();
        vmsLock.lock();
        try {
            for (PanthorVm other : vms.values()) {
                if (other.forMcu) {
                    return other.ref;
                }
            }
            vm = new PanthorVm(nextVmKey++, true, 0, CsfLayout.CSF_MCU_SHARED_REGION_START,
                    CsfLayout.CSF_MCU_SHARED_REGION_SIZE, vaBits, memory, pages);
            vm.pgd = transtab;
            vmInitBindQueue(vm);
            vms.put(vm.key, vm);
            vm.asId = 0;
            vm.asActiveCnt = 1;
            slots[0] = vm;
            allocMask |= 1;
        } finally {
            vmsLock.unlock();
            slotsLock.unlock();
        }
        return vm.ref;
    }

    /** The first VA in [va, va + size) the page tables already map (the firmware's own mappings in the MCU VM), or -1. */
    private long firstMappedInTables(PanthorVm vm, long va, long size) {
        for (long page = va; page < va + size; page += Lpae.SZ_4K) {
            long table = vm.pgd;
            for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS; level++) {
                long pte = memory.read64(table + 8L * Lpae.index(page, level));
                if (!Lpae.isValid(pte)) {
                    break;
                }
                if (!Lpae.isTable(pte, level)) {
                    return page;
                }
                table = Lpae.address(pte);
            }
        }
        return -1;
    }

    @Override
    public void vmGet(VmRef ref) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null) {
            throw errno(-Errno.EINVAL);
        }
        vm.opLock.lock();
        vm.refs++;
        vm.opLock.unlock();
    }

    /** {@code panthor_vm_put()}: the last reference releases the AS, the tables and the mappings. */
    @Override
    public void vmPut(VmRef ref) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null) {
            return;
        }
        vm.opLock.lock();
        try {
            if (--vm.refs > 0) {
                return;
            }
            if (vm.forMcu) {
                /* The MCU VM lives as long as the device (its AS0 and tables are FwMcuVm's). */
                vm.refs = 1;
                return;
            }
            slotsLock.lock();
            try {
                if (vm.asId >= 0) {
                    panthorMmuAsDisable(vm.asId);
                    allocMask &= ~(1 << vm.asId);
                    slots[vm.asId] = null;
                    vm.asId = -1;
                    lruList.remove(vm);
                }
            } finally {
                slotsLock.unlock();
            }
            for (PanthorVm.PanthorVma vma : vm.vas.values()) {
                vmaRelease(vma);
            }
            vm.vas.clear();
            vm.freePgtable();
            vmsLock.lock();
            vms.remove(vm.key);
            vmsLock.unlock();
        } finally {
            vm.opLock.unlock();
        }
    }

    private void vmaRelease(PanthorVm.PanthorVma vma) {
        if (vma.bo != null) {
            vma.bo.put();
        } else if (vma.kernelPages != null && vma.kernel) {
            pages.freePages(vma.kernelPages);
        }
    }

    // ------------------------------------------------------------------ VM_BIND

    @Override
    public void vmBind(UabiCall call, DrmPanthorVmBind args, List<DrmPanthorVmBindOp> ops) {
        PanthorVm vm = vmFromRef(lookupVm(call.file(), args.vmId()));
        if (vm == null) {
            throw errno(-Errno.EINVAL);
        }
        if ((args.flags() & DRM_PANTHOR_VM_BIND_ASYNC) != 0) {
            int ret = vmBindAsync(call, vm, ops);
            if (ret != 0) {
                throw errno(ret);
            }
            return;
        }
        /* panthor_ioctl_vm_bind_sync() */
        for (int i = 0; i < ops.size(); i++) {
            int ret = vmBindExecSyncOp(call.file(), vm, ops.get(i));
            if (ret != 0) {
                throw new VmBindException(-ret, i);
            }
        }
    }

    /** {@code panthor_vm_bind_exec_sync_op()}: prepare, execute, clean up. */
    int vmBindExecSyncOp(UabiFile file, PanthorVm vm, DrmPanthorVmBindOp op) {
        /* No sync objects allowed on synchronous operations. */
        if (op.syncs().count() != 0) {
            return -Errno.EINVAL;
        }
        if (op.size() == 0) {
            return 0;
        }
        PanthorVm.PanthorVmBindJob ctx = new PanthorVm.PanthorVmBindJob(vm, op);
        int ret = vmBindPrepareOpCtx(file, vm, op, ctx);
        if (ret != 0) {
            return ret;
        }
        ret = vmExecOp(vm, ctx, false);
        vmCleanupOpCtx(ctx);
        return ret;
    }

    /**
     * {@code panthor_vm_bind_prepare_op_ctx()}: everything that can fail before the op runs.
     * A MAP looks its BO up (the reference goes to {@code ctx.bo}) and gets its pages
     * (pinned for the BO's life by {@code GemObject}). 0 or a negative errno; on failure
     * nothing is held.
     */
    int vmBindPrepareOpCtx(UabiFile file, PanthorVm vm, DrmPanthorVmBindOp op, PanthorVm.PanthorVmBindJob ctx) {
        int type = op.flags() & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
        if ((op.va() | op.size()) % Lpae.SZ_4K != 0) {
            return -Errno.EINVAL;
        }
        switch (type) {
            case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
                return vmPrepareMapOpCtx(file, vm, op, ctx);
            case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
                if ((op.flags() & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) != 0) {
                    return -Errno.EINVAL;
                }
                if (op.boHandle() != 0 || op.boOffset() != 0) {
                    return -Errno.EINVAL;
                }
                if (op.size() == 0) {
                    return -Errno.EINVAL;
                }
                return vmCheckRange(vm, op.va(), op.size());
            case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
                if ((op.flags() & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) != 0) {
                    return -Errno.EINVAL;
                }
                if (op.boHandle() != 0 || op.boOffset() != 0) {
                    return -Errno.EINVAL;
                }
                if (op.va() != 0 || op.size() != 0) {
                    return -Errno.EINVAL;
                }
                if (op.syncs().count() == 0) {
                    return -Errno.EINVAL;
                }
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /**
     * {@code panthor_vm_prepare_map_op_ctx()}. A sparse MAP needs NOEXEC, bo_handle 0 and
     * bo_offset 0 and takes no BO.
     */
    int vmPrepareMapOpCtx(UabiFile file, PanthorVm vm, DrmPanthorVmBindOp op, PanthorVm.PanthorVmBindJob ctx) {
        int flags = op.flags();
        if ((flags & ~PANTHOR_VM_MAP_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        if (op.size() == 0 || op.boOffset() % Lpae.SZ_4K != 0) {
            return -Errno.EINVAL;
        }
        int ret = vmCheckRange(vm, op.va(), op.size());
        if (ret != 0) {
            return ret;
        }
        if ((flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) != 0) {
            if ((flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) == 0 || op.boHandle() != 0 || op.boOffset() != 0) {
                return -Errno.EINVAL;
            }
            return 0;
        }
        GemObject bo = file.lookupGem(op.boHandle());
        if (bo == null) {
            return -Errno.EINVAL;
        }
        /* Make sure the VA and size are aligned and in-bounds. */
        if (op.size() > bo.size() || Long.compareUnsigned(op.boOffset(), bo.size() - op.size()) > 0) {
            bo.put();
            return -Errno.EINVAL;
        }
        /* If the BO has an exclusive VM attached, it can't be mapped to other VMs. */
        if (bo.exclusiveVm() != null && !vm.ref.equals(bo.exclusiveVm())) {
            bo.put();
            return -Errno.EINVAL;
        }
        try {
            ctx.phys = bo.pages();
        } catch (ErrnoException e) {
            bo.put();
            return -e.errno();
        }
        ctx.bo = bo;
        return 0;
    }

    /** {@code panthor_vm_cleanup_op_ctx()}: a BO reference no vma took over is dropped. */
    void vmCleanupOpCtx(PanthorVm.PanthorVmBindJob ctx) {
        if (ctx.bo != null) {
            ctx.bo.put();
            ctx.bo = null;
        }
        ctx.phys = null;
    }

    /**
     * {@code panthor_vm_exec_op()}: under op_lock. A MAP on an unusable VM is refused; a
     * failure of an asynchronous op ({@code flagVmUnusableOnFailure}) makes the VM unusable.
     */
    int vmExecOp(PanthorVm vm, PanthorVm.PanthorVmBindJob ctx, boolean flagVmUnusableOnFailure) {
        DrmPanthorVmBindOp op = ctx.op;
        int type = op.flags() & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
        if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY) {
            return 0;
        }
        int ret;
        vm.opLock.lock();
        try {
            switch (type) {
                case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
                    if (vm.unusable || vm.destroyed) {
                        ret = -Errno.EINVAL;
                        break;
                    }
                    ret = vmExecMapOp(vm, ctx);
                    break;
                case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
                    ret = vmExecUnmap(vm, op.va(), op.size());
                    break;
                default:
                    ret = -Errno.EINVAL;
                    break;
            }
            if (ret != 0 && flagVmUnusableOnFailure) {
                vm.unusable = true;
            }
        } finally {
            vm.opLock.unlock();
        }
        return ret;
    }

    /** The MAP step: a BO range (the vma takes the op's BO reference) or a sparse range. */
    private int vmExecMapOp(PanthorVm vm, PanthorVm.PanthorVmBindJob ctx) {
        DrmPanthorVmBindOp op = ctx.op;
        PanthorVm.PanthorVma vma = new PanthorVm.PanthorVma();
        vma.va = op.va();
        vma.size = op.size();
        vma.flags = op.flags() & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
        if ((op.flags() & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) != 0) {
            return vmExecMap(vm, vma, null, 0);
        }
        vma.bo = ctx.bo;
        vma.boOffset = op.boOffset();
        int ret = vmExecMap(vm, vma, ctx.phys, (int) (op.boOffset() / Lpae.SZ_4K));
        if (ret == 0) {
            ctx.bo = null;
        }
        return ret;
    }

    // ------------------------------------------------------------------ asynchronous VM_BIND

    /**
     * {@code panthor_ioctl_vm_bind_async()}: one job per op, prepared up front
     * ({@code panthor_vm_bind_job_create()}: EINVAL on a destroyed or unusable VM, then the op
     * checks), sync ops copied and resolved through a {@link PanthorSubmitCtx}, fences armed;
     * only when nothing can fail any more are the jobs pushed to the VM's bind queue and their
     * fences published to the signal syncobjs. A refused bind changes nothing. 0 or a negative
     * errno (the ops count is not written back, as in C).
     */
    int vmBindAsync(UabiCall call, PanthorVm vm, List<DrmPanthorVmBindOp> ops) {
        PanthorSubmitCtx ctx = new PanthorSubmitCtx(call);
        List<PanthorVm.PanthorVmBindJob> jobs = new ArrayList<>();
        boolean pushed = false;
        int ret = 0;
        try {
            for (DrmPanthorVmBindOp op : ops) {
                PanthorVm.PanthorVmBindJob job = new PanthorVm.PanthorVmBindJob(vm, op);
                ret = vmBindJobCreate(call.file(), vm, job);
                if (ret != 0) {
                    return ret;
                }
                jobs.add(job);
                ret = ctx.addJob(job, op.syncs());
                if (ret != 0) {
                    return ret;
                }
            }
            ret = ctx.collectJobsSignalOps();
            if (ret != 0) {
                return ret;
            }
            /* The queue lock plays the VM resv's part: arm and push are not interleaved with
             * another bind on the same VM, so fence seqnos follow queue order. */
            vm.bindQueueLock.lock();
            try {
                ret = ctx.addDepsAndArmJobs(job -> vmBindJobArm(vm, job));
                if (ret != 0) {
                    return ret;
                }
                /* Nothing can fail after that point. */
                for (PanthorVm.PanthorVmBindJob job : jobs) {
                    vmBindJobPushLocked(vm, job);
                }
                pushed = true;
            } finally {
                vm.bindQueueLock.unlock();
            }
            ctx.pushFences();
            queueBindWork(vm);
            return 0;
        } finally {
            ctx.cleanup();
            if (!pushed) {
                for (PanthorVm.PanthorVmBindJob job : jobs) {
                    vmCleanupOpCtx(job);
                }
            }
        }
    }

    /** {@code panthor_vm_bind_job_create()}. */
    int vmBindJobCreate(UabiFile file, PanthorVm vm, PanthorVm.PanthorVmBindJob job) {
        vm.opLock.lock();
        try {
            if (vm.destroyed || vm.unusable) {
                return -Errno.EINVAL;
            }
        } finally {
            vm.opLock.unlock();
        }
        return vmBindPrepareOpCtx(file, vm, job.op, job);
    }

    /** {@code drm_sched_job_arm()}: the job's done fence on the VM's bind timeline. Under bindQueueLock. */
    private void vmBindJobArm(PanthorVm vm, PanthorVm.PanthorVmBindJob job) {
        job.seqno = ++vm.bindSeqno;
        job.doneFence = new DmaFence(vm.bindFenceContext, job.seqno, time::nowNanos);
    }

    /**
     * {@code drm_sched_entity_push_job()}: the job joins the queue holding a VM reference;
     * each of its wait fences wakes the queue when it signals. Under bindQueueLock.
     */
    private void vmBindJobPushLocked(PanthorVm vm, PanthorVm.PanthorVmBindJob job) {
        vm.opLock.lock();
        vm.refs++;
        vm.opLock.unlock();
        vm.bindQueue.addLast(job);
        vmBindJobAddDepCallbacks(vm, job);
    }

    private void vmBindJobAddDepCallbacks(PanthorVm vm, PanthorVm.PanthorVmBindJob job) {
        job.depCallback = fence -> queueBindWork(vm);
        for (DmaFence f : job.waitFences) {
            f.addCallback(job.depCallback);
        }
    }

    private void vmBindJobRemoveDepCallbacks(PanthorVm.PanthorVmBindJob job) {
        if (job.depCallback != null) {
            for (DmaFence f : job.waitFences) {
                f.removeCallback(job.depCallback);
            }
            job.depCallback = null;
        }
    }

    private static boolean vmBindJobReady(PanthorVm.PanthorVmBindJob job) {
        for (DmaFence f : job.waitFences) {
            if (!f.isSignaled()) {
                return false;
            }
        }
        return true;
    }

    /** Queues the VM's run-job work on {@code mmu->vm.wq}. */
    void queueBindWork(PanthorVm vm) {
        WorkQueue wq = bindWq;
        WorkQueue.Work work = vm.bindWork;
        if (wq != null && work != null) {
            wq.queueWork(work);
        }
    }

    /**
     * The bind queue's work function. It enters the MMU through the mmu slot like every other
     * way in, so a swap drains a running job; a work item of an instance that no longer owns
     * the state does nothing (the next owner imported the queue and runs it).
     */
    void vmBindWork(PanthorVm vm) {
        DriverSubsystems subsys = subsystems;
        if (!owner) {
            return;
        }
        if (subsys == null) {
            vmBindRunQueue(vm);
            return;
        }
        try {
            subsys.mmu().run(m -> {
                if (m == this) {
                    vmBindRunQueue(vm);
                }
            });
        } catch (SubsystemUnavailableException e) {
            /* parked: the next owner runs the imported queue */
        }
    }

    /**
     * {@code drm_sched} run-job loop with {@code credit_limit = 1}: runs the head job while its
     * dependencies have signaled, in queue order. {@code panthor_vm_bind_run_job()} executes
     * the op (a failure makes the VM unusable); the job's fence signals, with the error if it
     * failed; the job's VM reference is dropped.
     */
    void vmBindRunQueue(PanthorVm vm) {
        while (true) {
            PanthorVm.PanthorVmBindJob job;
            vm.bindQueueLock.lock();
            try {
                if (!owner || bindQueuesStopped) {
                    return;
                }
                job = vm.bindQueue.peekFirst();
                if (job == null || !vmBindJobReady(job)) {
                    return;
                }
            } finally {
                vm.bindQueueLock.unlock();
            }
            int ret = vmExecOp(vm, job, true);
            vmCleanupOpCtx(job);
            vm.bindQueueLock.lock();
            try {
                vm.bindQueue.pollFirst();
                vmBindJobRemoveDepCallbacks(job);
            } finally {
                vm.bindQueueLock.unlock();
            }
            if (ret != 0) {
                job.doneFence.signalWithError(ret);
            } else {
                job.doneFence.signal();
            }
            vmPut(vm.ref);
        }
    }

    /** Runs every VM's bind queue until nothing is ready (tests and benchmarks without a slot). */
    public void flushBindQueues() {
        WorkQueue wq = bindWq;
        if (wq != null) {
            wq.drain();
        }
    }

    /** User binds: inside the VA space, no overflow, never in the kernel range. */
    int vmCheckRange(PanthorVm vm, long va, long size) {
        long end = va + size;
        if (Long.compareUnsigned(end, va) < 0 || Long.compareUnsigned(end, 1L << vaBits) > 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(end, vm.kernelVaStart) > 0) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * {@code panthor_vm_exec_op()} for a MAP: lock, drop overlaps, map, insert, unlock. Under
     * op_lock. {@code phys} null maps the range sparse (over the VM's dummy page).
     */
    int vmExecMap(PanthorVm vm, PanthorVm.PanthorVma vma, long[] phys, int firstPage) {
        slotsLock.lock();
        try {
            int ret = vmLockRegion(vm, vma.va, vma.size);
            if (ret != 0) {
                return ret;
            }
            ret = vmSmUnmapLocked(vm, vma.va, vma.size);
            if (ret == 0 && phys == null) {
                long dummy = vm.getDummyPage();
                ret = dummy == 0 ? -Errno.ENOMEM
                        : vm.vmMapSparse(vma.va, PanthorVm.protFromFlags(vma.flags), dummy, vma.size);
            } else if (ret == 0) {
                ret = vm.vmMapPages(vma.va, PanthorVm.protFromFlags(vma.flags), phys, firstPage, vma.size);
            }
            if (ret == 0) {
                vm.vas.put(vma.va, vma);
            }
            /* As in C, the op's result is the page-table update's: a flush or UNLOCK that times
             * out is a GPU hang, for the reset path (which is not this subsystem's). */
            vmUnlockRegion(vm, vma.va, vma.size);
            return ret;
        } finally {
            slotsLock.unlock();
        }
    }

    /** {@code panthor_vm_exec_op()} for an UNMAP. Under op_lock. */
    int vmExecUnmap(PanthorVm vm, long va, long size) {
        slotsLock.lock();
        try {
            int ret = vmLockRegion(vm, va, size);
            if (ret != 0) {
                return ret;
            }
            ret = vmSmUnmapLocked(vm, va, size);
            vmUnlockRegion(vm, va, size);
            return ret;
        } finally {
            slotsLock.unlock();
        }
    }

    /**
     * {@code drm_gpuvm_sm_unmap()} with {@code panthor_gpuva_sm_step_unmap/remap()}: every vma
     * overlapping [va, va + size) loses the overlap in the page tables; pieces before and after
     * stay mapped and become vmas of their own.
     */
    int vmSmUnmapLocked(PanthorVm vm, long va, long size) {
        long end = va + size;
        for (PanthorVm.PanthorVma vma : vm.findOverlaps(va, size)) {
            long unmapStart = Math.max(va, vma.va);
            long unmapEnd = Math.min(end, vma.va + vma.size);
            int ret = vm.vmUnmapPages(unmapStart, unmapEnd - unmapStart);
            if (ret != 0) {
                return ret;
            }
            vm.vas.remove(vma.va);
            boolean keptBo = false;
            if (vma.va < unmapStart) {
                PanthorVm.PanthorVma prev = vmaSplit(vma, vma.va, unmapStart - vma.va);
                vm.vas.put(prev.va, prev);
                keptBo = true;
            }
            if (unmapEnd < vma.va + vma.size) {
                PanthorVm.PanthorVma next = vmaSplit(vma, unmapEnd, vma.va + vma.size - unmapEnd);
                if (keptBo && next.bo != null) {
                    next.bo.get();
                }
                vm.vas.put(next.va, next);
                keptBo = true;
            }
            if (vma.kernel && vma.kernelPages != null) {
                /* a kernel BO's pieces own their own pages: free exactly the unmapped ones */
                pages.freePages(vmaPageSlice(vma, unmapStart, unmapEnd));
            } else if (!keptBo) {
                vmaRelease(vma);
            }
        }
        return 0;
    }

    /** The kernel pages of {@code vma} backing [start, end). */
    private static long[] vmaPageSlice(PanthorVm.PanthorVma vma, long start, long end) {
        return java.util.Arrays.copyOfRange(vma.kernelPages, (int) ((start - vma.va) / Lpae.SZ_4K),
                (int) ((end - vma.va) / Lpae.SZ_4K));
    }

    private static PanthorVm.PanthorVma vmaSplit(PanthorVm.PanthorVma vma, long va, long size) {
        PanthorVm.PanthorVma piece = new PanthorVm.PanthorVma();
        piece.va = va;
        piece.size = size;
        piece.bo = vma.bo;
        piece.boOffset = vma.boOffset + (va - vma.va);
        piece.flags = vma.flags;
        piece.kernel = vma.kernel;
        piece.kernelPages = vma.kernelPages == null ? null : vmaPageSlice(vma, va, va + size);
        return piece;
    }

    // ------------------------------------------------------------------ AS hardware

    /**
     * {@code wait_ready()}: AS_ACTIVE clear within 100 ms. Like
     * {@code readx_poll_timeout()}, the status is read once before any waiting: an idle AS
     * costs one register read, not a trip through the clock.
     */
    int waitReady(int as) {
        if ((mmio.read32(AS_STATUS(as)) & AS_STATUS_AS_ACTIVE) == 0) {
            return 0;
        }
        if (!time.await(() -> (mmio.read32(AS_STATUS(as)) & AS_STATUS_AS_ACTIVE) == 0, AS_READY_TIMEOUT_NS)) {
            return -Errno.ETIMEDOUT;
        }
        return 0;
    }

    /** {@code write_cmd()}. */
    int writeCmd(int as, int cmd) {
        int ret = waitReady(as);
        if (ret == 0) {
            mmio.write32(AS_COMMAND(as), cmd);
        }
        return ret;
    }

    /** {@code lock_region()} + LOCK: AS_LOCKADDR = {@code log2(size) - 1 | base}, ≥ 32 KiB. */
    int lockRegion(int as, long region, long size) {
        int ret = waitReady(as);
        if (ret != 0) {
            return ret;
        }
        mmio.write64(AS_LOCKADDR(as), Lpae.lockRegion(region, size));
        ret = writeCmd(as, AS_COMMAND_LOCK);
        if (ret != 0) {
            return ret;
        }
        return waitReady(as);
    }

    /** {@code panthor_vm_lock_region()}: under slots_lock; nothing to do without an AS. */
    int vmLockRegion(PanthorVm vm, long start, long size) {
        if (vm.asId < 0 || size == 0) {
            return 0;
        }
        return lockRegion(vm.asId, start, size);
    }

    /**
     * {@code panthor_vm_unlock_region()}: GPU_CMD FLUSH_CACHES (L2 and LSC clean+invalidate),
     * then AS UNLOCK, which drops the locked region's TLB entries.
     */
    int vmUnlockRegion(PanthorVm vm, long start, long size) {
        if (vm.asId < 0 || size == 0) {
            return 0;
        }
        int ret = gpuFlushCaches(CACHE_CLEAN_INV, CACHE_CLEAN_INV, 0);
        if (ret != 0) {
            return ret;
        }
        ret = writeCmd(vm.asId, AS_COMMAND_UNLOCK);
        if (ret != 0) {
            return ret;
        }
        return waitReady(vm.asId);
    }

    /**
     * {@code panthor_gpu_flush_caches()}: GPU_CMD FLUSH_CACHES and wait for it to complete. The
     * device's {@code PanthorGpu} is not exported, so completion is observed on
     * CSF_GPU_LATEST_FLUSH_ID (incremented by each completed flush) instead of the IRQ.
     */
    int gpuFlushCaches(int l2, int lsc, int other) {
        int before = mmio.read32(CSF_GPU_LATEST_FLUSH_ID);
        mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(l2, lsc, other));
        if (!time.await(() -> mmio.read32(CSF_GPU_LATEST_FLUSH_ID) != before, FLUSH_TIMEOUT_NS)) {
            return -Errno.ETIMEDOUT;
        }
        return 0;
    }

    /** {@code mmu_hw_do_operation_locked()} over the whole address space. */
    int mmuHwDoOperationLocked(int as, int op) {
        int ret = lockRegion(as, 0, ~0L);
        if (ret != 0) {
            return ret;
        }
        ret = writeCmd(as, op);
        if (ret != 0) {
            return ret;
        }
        return waitReady(as);
    }

    /** {@code panthor_mmu_as_enable()}: FLUSH_MEM, TRANSTAB/MEMATTR/TRANSCFG, UPDATE. */
    int panthorMmuAsEnable(int as, long transtab, long transcfg, long memattr) {
        int ret = mmuHwDoOperationLocked(as, AS_COMMAND_FLUSH_MEM);
        if (ret != 0) {
            return ret;
        }
        mmio.write64(AS_TRANSTAB(as), transtab);
        mmio.write64(AS_MEMATTR(as), memattr);
        mmio.write64(AS_TRANSCFG(as), transcfg);
        ret = writeCmd(as, AS_COMMAND_UPDATE);
        if (ret != 0) {
            return ret;
        }
        return waitReady(as);
    }

    /** {@code panthor_mmu_as_disable()}. */
    int panthorMmuAsDisable(int as) {
        int ret = mmuHwDoOperationLocked(as, AS_COMMAND_FLUSH_MEM);
        if (ret != 0) {
            return ret;
        }
        mmio.write64(AS_TRANSTAB(as), 0);
        mmio.write64(AS_MEMATTR(as), 0);
        mmio.write64(AS_TRANSCFG(as), AS_TRANSCFG_ADRMODE_UNMAPPED);
        ret = writeCmd(as, AS_COMMAND_UPDATE);
        if (ret != 0) {
            return ret;
        }
        return waitReady(as);
    }

    // ------------------------------------------------------------------ AS slots

    /** {@code panthor_vm_active()}. */
    @Override
    public int vmActive(VmRef ref) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null) {
            return -Errno.EINVAL;
        }
        int ret = 0;
        slotsLock.lock();
        try {
            if (vm.asActiveCnt > 0) {
                vm.asActiveCnt++;
                return 0;
            }
            int as = vm.asId;
            boolean enable = true;
            if (as >= 0) {
                enable = (faultyMask & (1 << as)) != 0;
            } else {
                /*
                 * Not in panthor_mmu.c: an AS whose page fault has not reached
                 * panthor_mmu_irq_handler() yet is not handed to another VM, or the handler
                 * would charge the fault to the new VM.
                 */
                int undelivered = irq.undeliveredFaults() & ~faultyMask;
                as = vm.forMcu ? 0 : Integer.numberOfTrailingZeros(~(allocMask | undelivered | 1));
                if (as >= 32 || (asPresent & (1 << as)) == 0) {
                    PanthorVm lruVm = null;
                    for (PanthorVm idleVm : lruList) {
                        if ((undelivered & (1 << idleVm.asId)) == 0) {
                            lruVm = idleVm;
                            break;
                        }
                    }
                    if (lruVm == null) {
                        return -Errno.EBUSY;
                    }
                    as = lruVm.asId;
                    panthorMmuAsDisable(as);
                    lruVm.asId = -1;
                    lruVm.asLruOrder = -1;
                    lruList.remove(lruVm);
                } else {
                    allocMask |= 1 << as;
                }
                vm.asId = as;
                slots[as] = vm;
            }
            if (enable) {
                vm.unhandledFault = false;
                if ((faultyMask & (1 << as)) != 0) {
                    mmio.write32(MMU_INT_CLEAR, 1 << as);
                    faultyMask &= ~(1 << as);
                    irq.enableFaults(1 << as);
                }
                ret = panthorMmuAsEnable(as, vm.pgd, Lpae.transcfg(vaBits, coherent),
                        Lpae.mairToMemattr(Lpae.MAIR, coherent));
            }
            if (ret == 0) {
                vm.asActiveCnt = 1;
                lruList.remove(vm);
                vm.asLruOrder = -1;
            }
            return ret;
        } finally {
            slotsLock.unlock();
        }
    }

    /** {@code panthor_vm_idle()}: the VM goes to the LRU tail and keeps its AS until evicted. */
    @Override
    public void vmIdle(VmRef ref) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null) {
            return;
        }
        slotsLock.lock();
        try {
            if (vm.asActiveCnt == 0 || --vm.asActiveCnt > 0) {
                return;
            }
            if (vm.asId >= 0 && !vm.forMcu && !lruList.contains(vm)) {
                lruList.addLast(vm);
                vm.asLruOrder = lruClock++;
            }
        } finally {
            slotsLock.unlock();
        }
    }

    @Override
    public int vmAs(VmRef ref) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null) {
            return -1;
        }
        slotsLock.lock();
        try {
            return vm.asId;
        } finally {
            slotsLock.unlock();
        }
    }

    @Override
    public boolean vmHasUnhandledFaults(VmRef ref) {
        PanthorVm vm = vmFromRef(ref);
        return vm != null && vm.unhandledFault;
    }

    @Override
    public boolean vmIsUnusable(VmRef ref) {
        PanthorVm vm = vmFromRef(ref);
        return vm != null && vm.unusable;
    }

    // ------------------------------------------------------------------ kernel BOs

    @Override
    public KernelMapping kernelBoCreate(VmRef ref, long size, int flags, long gpuVa) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null || size <= 0 || size % Lpae.SZ_4K != 0) {
            throw errno(-Errno.EINVAL);
        }
        vm.opLock.lock();
        try {
            long va = gpuVa;
            if (va == KERNEL_AUTO_VA) {
                va = vm.kernelVaStart;
                while (true) {
                    for (PanthorVm.PanthorVma vma : vm.findOverlaps(vm.kernelVaStart, vm.kernelVaSize)) {
                        if (vma.va >= va + size) {
                            break;
                        }
                        if (vma.va + vma.size > va) {
                            va = vma.va + vma.size;
                        }
                    }
                    if (va + size > vm.kernelVaStart + vm.kernelVaSize) {
                        throw errno(-Errno.ENOMEM);
                    }
                    /* The MCU VM also holds the firmware's mappings, which are not vmas here. */
                    long busy = vm.forMcu ? firstMappedInTables(vm, va, size) : -1;
                    if (busy < 0) {
                        break;
                    }
                    va = busy + Lpae.SZ_4K;
                }
            } else if (va % Lpae.SZ_4K != 0 || !vm.findOverlaps(va, size).isEmpty()
                    || Long.compareUnsigned(va + size, 1L << vaBits) > 0) {
                throw errno(-Errno.EINVAL);
            }
            long[] phys = pages.allocPages((int) (size / Lpae.SZ_4K));
            PanthorVm.PanthorVma vma = new PanthorVm.PanthorVma();
            vma.va = va;
            vma.size = size;
            vma.kernel = true;
            vma.kernelPages = phys;
            vma.flags = flags;
            int ret = vmExecMap(vm, vma, phys, 0);
            if (ret != 0) {
                pages.freePages(phys);
                throw errno(ret);
            }
            return new KernelMapping(memory, phys, va);
        } finally {
            vm.opLock.unlock();
        }
    }

    @Override
    public void kernelBoDestroy(VmRef ref, long gpuVa) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null) {
            throw errno(-Errno.EINVAL);
        }
        vm.opLock.lock();
        try {
            if (vm.destroyed) {
                /* panthor_vm_destroy() unmapped the whole range, kernel BOs included. */
                return;
            }
            PanthorVm.PanthorVma vma = vm.vas.get(gpuVa);
            if (vma == null || !vma.kernel) {
                throw errno(-Errno.EINVAL);
            }
            int ret = vmExecUnmap(vm, vma.va, vma.size);
            if (ret != 0) {
                throw errno(ret);
            }
        } finally {
            vm.opLock.unlock();
        }
    }

    // ------------------------------------------------------------------ device hooks

    @Override
    public int irqMask() {
        slotsLock.lock();
        try {
            return MMU_INT_PAGE_FAULT_MASK & ~faultyMask;
        } finally {
            slotsLock.unlock();
        }
    }

    /**
     * {@code panthor_mmu_irq_handler()} for the user address spaces in {@code status} (already
     * cleared). The interim {@code FwMcuVm} gets the line first: it logs "Unhandled Page fault"
     * and keeps AS0. Here, under slots_lock: the AS joins {@code faulty_mask} and its fault is
     * masked ({@code mmu->irq.mask}), its VM gets {@code unhandled_fault} and the AS is
     * disabled to kill the jobs on it; then the scheduler is told
     * ({@code panthor_sched_report_mmu_fault()}).
     * The next {@link #vmActive} of the VM clears the fault and re-enables the AS.
     */
    @Override
    public void irq(int status) {
        boolean hasUnhandledFaults = false;
        List<VmRef> faulted = new ArrayList<>();
        status &= MMU_INT_PAGE_FAULT_MASK & ~1;
        while (status != 0) {
            int as = Integer.numberOfTrailingZeros(status);
            int mask = 1 << as;
            slotsLock.lock();
            try {
                faultyMask |= mask;
                irq.disableFaults(mask);
                PanthorVm vm = as < slots.length ? slots[as] : null;
                if (vm != null) {
                    vm.unhandledFault = true;
                    faulted.add(vm.ref);
                    hasUnhandledFaults = true;
                }
                /* Disable the MMU to kill jobs on this AS. */
                panthorMmuAsDisable(as);
            } finally {
                slotsLock.unlock();
            }
            status &= ~mask;
        }
        if (hasUnhandledFaults) {
            schedReportMmuFault(faulted);
        }
    }

    /**
     * {@code panthor_sched_report_mmu_fault()} through the sched slot, only when a scheduler is
     * there: an IRQ handler must not wait for one to arrive.
     */
    void schedReportMmuFault(List<VmRef> faulted) {
        DriverSubsystems subsys = subsystems;
        if (subsys == null || subsys.sched().info().status() != SlotStatus.ACTIVE) {
            return;
        }
        for (VmRef vm : faulted) {
            subsys.sched().runIfPresent(s -> s.reportMmuFault(vm));
        }
    }

    /** {@code panthor_mmu_pre_reset()}: stop the bind queues ({@code panthor_vm_stop()}). */
    @Override
    public void preReset() {
        bindQueuesStopped = true;
    }

    /**
     * {@code panthor_mmu_post_reset()}: forget the AS assignments (they are re-made lazily)
     * and restart the bind queues.
     */
    @Override
    public void postReset() {
        slotsLock.lock();
        try {
            forgetAsLocked();
        } finally {
            slotsLock.unlock();
        }
        bindQueuesStopped = false;
        for (PanthorVm vm : vmsSnapshot()) {
            queueBindWork(vm);
        }
    }

    private List<PanthorVm> vmsSnapshot() {
        vmsLock.lock();
        try {
            List<PanthorVm> all = new ArrayList<>(vms.values());
            all.sort((a, b) -> Long.compare(a.key, b.key));
            return all;
        } finally {
            vmsLock.unlock();
        }
    }

    private void forgetAsLocked() {
        for (int as = 1; as < slots.length; as++) {
            PanthorVm vm = slots[as];
            if (vm != null) {
                vm.asId = -1;
                vm.asLruOrder = -1;
                slots[as] = null;
            }
        }
        allocMask &= 1;
        faultyMask = 0;
        lruList.clear();
    }

    /** {@code panthor_mmu_suspend()}: disable and release every user AS. */
    @Override
    public void suspend() {
        slotsLock.lock();
        try {
            for (int as = 1; as < slots.length; as++) {
                if (slots[as] != null) {
                    panthorMmuAsDisable(as);
                }
            }
            forgetAsLocked();
        } finally {
            slotsLock.unlock();
        }
    }

    @Override
    public void resume() {
        slotsLock.lock();
        try {
            faultyMask = 0;
        } finally {
            slotsLock.unlock();
        }
    }

    @Override
    public void unplug() {
    }

    // ------------------------------------------------------------------ introspection

    @Override
    public List<VmInfo> vms() {
        List<PanthorVm> all;
        vmsLock.lock();
        try {
            all = new ArrayList<>(vms.values());
        } finally {
            vmsLock.unlock();
        }
        all.sort((a, b) -> Long.compare(a.key, b.key));
        List<VmInfo> out = new ArrayList<>();
        for (PanthorVm vm : all) {
            String state = vm.unusable ? "unusable" : vm.unhandledFault ? "faulted" : "usable";
            out.add(new VmInfo(vm.ref, vm.clientId, vm.handle, vm.userVaRange, vm.kernelVaStart, vm.vas.size(),
                    vm.mappedBytes(), vm.ptPages.size(), vm.asId, vm.refs, state));
        }
        return out;
    }

    @Override
    public List<AsSlotInfo> addressSpaces() {
        List<AsSlotInfo> out = new ArrayList<>();
        for (MmuState.AsSlotState s : exportAsSlots()) {
            out.add(new AsSlotInfo(s.as(), s.vmKey() < 0 ? null : new VmRef(s.vmKey()), s.activeCount() > 0, s.faulted(),
                    s.lruOrder()));
        }
        return out;
    }

    @Override
    public List<WalkLine> walk(VmRef ref, long va) {
        PanthorVm vm = vmFromRef(ref);
        if (vm == null) {
            throw errno(-Errno.EINVAL);
        }
        List<WalkLine> out = new ArrayList<>();
        vm.opLock.lock();
        try {
            long table = vm.pgd;
            for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS; level++) {
                int index = Lpae.index(va, level);
                long pte = memory.read64(table + 8L * index);
                String meaning;
                if (!Lpae.isValid(pte)) {
                    meaning = "invalid";
                } else if (Lpae.isTable(pte, level)) {
                    meaning = "table";
                } else {
                    meaning = (level == 3 ? "page 4K" : level == 2 ? "block 2M" : "block 1G")
                            + ((pte & Lpae.PTE_AP_RDONLY) != 0 ? " ro" : " rw")
                            + ((pte & Lpae.PTE_XN) != 0 ? " xn" : "");
                }
                out.add(new WalkLine(level, table, index, pte, meaning));
                if (!Lpae.isTable(pte, level)) {
                    break;
                }
                table = Lpae.address(pte);
            }
        } finally {
            vm.opLock.unlock();
        }
        return out;
    }

    // ------------------------------------------------------------------ state hand-over

    private int asCount() {
        return 32 - Integer.numberOfLeadingZeros(asPresent);
    }

    private List<MmuState.AsSlotState> exportAsSlots() {
        List<MmuState.AsSlotState> out = new ArrayList<>();
        slotsLock.lock();
        try {
            for (int as = 0; as < asCount(); as++) {
                PanthorVm vm = slots[as];
                out.add(new MmuState.AsSlotState(as, vm == null ? -1 : vm.key, vm == null ? 0 : vm.asActiveCnt,
                        (faultyMask & (1 << as)) != 0, vm == null ? -1 : vm.asLruOrder));
            }
        } finally {
            slotsLock.unlock();
        }
        return out;
    }

    @Override
    public MmuState exportState() {
        List<PanthorVm> all;
        long next;
        vmsLock.lock();
        try {
            all = new ArrayList<>(vms.values());
            next = nextVmKey;
        } finally {
            vmsLock.unlock();
        }
        all.sort((a, b) -> Long.compare(a.key, b.key));
        List<MmuState.VmState> states = new ArrayList<>();
        for (PanthorVm vm : all) {
            List<MmuState.MappingState> maps = new ArrayList<>();
            for (PanthorVm.PanthorVma vma : vm.vas.values()) {
                maps.add(new MmuState.MappingState(vma.va, vma.size, vma.bo, vma.boOffset, vma.flags, vma.kernel));
            }
            states.add(new MmuState.VmState(vm.key, vm.forMcu, vm.clientId, vm.handle, vm.userVaRange,
                    vm.kernelVaStart, vm.kernelVaSize, vm.pgd, new ArrayList<>(vm.ptPages), maps, vm.refs,
                    vm.unusable, vm.unhandledFault, exportQueuedBinds(vm)));
        }
        long clock;
        slotsLock.lock();
        try {
            clock = lruClock;
        } finally {
            slotsLock.unlock();
        }
        return new MmuState(MmuState.VERSION, next, states, exportAsSlots(), clock);
    }

    /** The bind queue as {@code QueuedBind}s: one per job (one op), the MAP's BO in {@code bos}. */
    private List<MmuState.QueuedBind> exportQueuedBinds(PanthorVm vm) {
        List<MmuState.QueuedBind> out = new ArrayList<>();
        vm.bindQueueLock.lock();
        try {
            for (PanthorVm.PanthorVmBindJob job : vm.bindQueue) {
                out.add(new MmuState.QueuedBind(job.seqno, List.of(job.op), job.waitFences, job.doneFence,
                        job.bo == null ? List.of() : List.of(job.bo)));
            }
        } finally {
            vm.bindQueueLock.unlock();
        }
        return out;
    }

    /**
     * Adopts the VMs, their page-table pages (left where they are in GPU memory) and the AS
     * table. Nothing is written to memory or registers. Kernel mappings have no BO in the state:
     * their pages are recovered from the page tables.
     */
    @Override
    public void importState(MmuState state) throws IncompatibleStateException {
        if (state.version() != MmuState.VERSION) {
            throw new IncompatibleStateException("MmuState version " + state.version());
        }
        for (MmuState.VmState v : state.vms()) {
            for (MmuState.QueuedBind qb : v.queuedBinds()) {
                if (qb.ops().size() != 1) {
                    throw new IncompatibleStateException("a queued bind of " + qb.ops().size()
                            + " ops (cstyle queues one job per op)");
                }
                DrmPanthorVmBindOp op = qb.ops().get(0);
                boolean takesBo = (op.flags() & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
                        && (op.flags() & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) == 0;
                if (qb.bos().size() != (takesBo ? 1 : 0)) {
                    throw new IncompatibleStateException("queued bind " + qb.seqno() + " holds "
                            + qb.bos().size() + " BOs");
                }
            }
        }
        if (state.addressSpaces().size() > asCount()) {
            throw new IncompatibleStateException("more address spaces than AS_PRESENT");
        }
        Map<Long, PanthorVm> adopted = new HashMap<>();
        for (MmuState.VmState v : state.vms()) {
            PanthorVm vm = new PanthorVm(v.key(), v.forMcu(), v.userVaRange(), v.kernelVaStart(), v.kernelVaSize(),
                    vaBits, memory, pages);
            vm.clientId = v.clientId();
            vm.handle = v.handle();
            vm.pgd = v.pgd();
            vm.ptPages.addAll(v.pageTablePages());
            vm.refs = v.refs();
            vm.unusable = v.unusable();
            vm.unhandledFault = v.unhandledFault();
            vmInitBindQueue(vm);
            for (MmuState.QueuedBind qb : v.queuedBinds()) {
                PanthorVm.PanthorVmBindJob job = new PanthorVm.PanthorVmBindJob(vm, qb.ops().get(0));
                job.seqno = qb.seqno();
                job.doneFence = qb.doneFence();
                job.waitFences.addAll(qb.waitFences());
                if (!qb.bos().isEmpty()) {
                    job.bo = qb.bos().get(0);
                    try {
                        job.phys = job.bo.pages();
                    } catch (ErrnoException e) {
                        throw new IncompatibleStateException("queued bind " + qb.seqno() + ": BO pages: " + e);
                    }
                }
                vm.bindQueue.addLast(job);
                vm.bindSeqno = Math.max(vm.bindSeqno, qb.seqno());
            }
            for (MmuState.MappingState m : v.mappings()) {
                PanthorVm.PanthorVma vma = new PanthorVm.PanthorVma();
                vma.va = m.va();
                vma.size = m.size();
                vma.bo = m.bo();
                vma.boOffset = m.boOffset();
                vma.flags = m.flags();
                vma.kernel = m.kernel();
                if (m.kernel()) {
                    vma.kernelPages = kernelPagesFromTables(vm, m.va(), m.size());
                } else if (m.bo() == null && vm.dummyPage == 0) {
                    vm.dummyPage = kernelPagesFromTables(vm, m.va(), Lpae.SZ_4K)[0];
                }
                vm.vas.put(vma.va, vma);
            }
            vm.dummyPageUnknown = vm.dummyPage == 0 && !vm.ptPages.isEmpty();
            adopted.put(vm.key, vm);
        }
        slotsLock.lock();
        vmsLock.lock();
        try {
            vms.clear();
            vms.putAll(adopted);
            nextVmKey = state.nextVmKey();
            allocMask = 0;
            faultyMask = 0;
            lruList.clear();
            java.util.Arrays.fill(slots, null);
            List<PanthorVm> idle = new ArrayList<>();
            for (MmuState.AsSlotState s : state.addressSpaces()) {
                if (s.faulted()) {
                    faultyMask |= 1 << s.as();
                }
                if (s.vmKey() < 0) {
                    continue;
                }
                PanthorVm vm = adopted.get(s.vmKey());
                if (vm == null) {
                    continue;
                }
                slots[s.as()] = vm;
                allocMask |= 1 << s.as();
                vm.asId = s.as();
                vm.asActiveCnt = s.activeCount();
                vm.asLruOrder = s.lruOrder();
                if (s.activeCount() == 0 && s.lruOrder() >= 0) {
                    idle.add(vm);
                }
            }
            idle.sort((a, b) -> Long.compare(a.asLruOrder, b.asLruOrder));
            lruList.addAll(idle);
            lruClock = state.lruClock();
            owner = true;
            bindQueuesStopped = false;
        } finally {
            vmsLock.unlock();
            slotsLock.unlock();
        }
        /*
         * Re-arm: the queued binds wait for their fences again; the work runs once the slot opens.
         * An empty queue gets no work item (it would only wake the worker during the pause).
         */
        for (PanthorVm vm : adopted.values()) {
            boolean queued;
            vm.bindQueueLock.lock();
            try {
                for (PanthorVm.PanthorVmBindJob job : vm.bindQueue) {
                    vmBindJobAddDepCallbacks(vm, job);
                }
                queued = !vm.bindQueue.isEmpty();
            } finally {
                vm.bindQueueLock.unlock();
            }
            if (queued) {
                queueBindWork(vm);
            }
        }
        vmQueueClosedFilesSweep(adopted.values());
    }

    /**
     * After an import: the VMs of files that closed while the state was parked (their
     * postclose found no MMU to call) are destroyed as {@code panthor_vm_pool_destroy()} would
     * have, by a work item that enters through the slot once the swap is over (the import
     * itself must export what it imported). Which clients are open is asked outside the slot.
     */
    private void vmQueueClosedFilesSweep(java.util.Collection<PanthorVm> adopted) {
        if (clientOpen == null) {
            return;
        }
        Map<Long, Integer> candidates = new HashMap<>();
        for (PanthorVm vm : adopted) {
            if (!vm.forMcu && vm.clientId != 0 && vm.handle != 0) {
                candidates.put(vm.key, vm.clientId);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        bindWq.queueWork(new WorkQueue.Work(() -> {
            java.util.Set<Integer> closed = new java.util.HashSet<>();
            for (int clientId : candidates.values()) {
                if (!clientOpen.test(clientId)) {
                    closed.add(clientId);
                }
            }
            if (closed.isEmpty()) {
                return;
            }
            Runnable sweep = () -> {
                for (Map.Entry<Long, Integer> c : candidates.entrySet()) {
                    PanthorVm vm = vmFromRef(new VmRef(c.getKey()));
                    if (vm != null && closed.contains(c.getValue()) && vm.handle != 0) {
                        vmDestroyLocked(vm);
                    }
                }
            };
            DriverSubsystems subsys = subsystems;
            if (subsys == null) {
                if (owner) {
                    sweep.run();
                }
                return;
            }
            try {
                subsys.mmu().run(m -> {
                    if (m == this && owner) {
                        sweep.run();
                    }
                });
            } catch (SubsystemUnavailableException e) {
                /* parked again: the next owner sweeps */
            }
        }));
    }

    /**
     * The physical page behind every 4 KiB page of [va, va + size) (0 where nothing is mapped),
     * read back from the VM's tables: one full walk per 2 MiB, the level-3 table reused.
     */
    private long[] kernelPagesFromTables(PanthorVm vm, long va, long size) {
        long[] out = new long[(int) (size / Lpae.SZ_4K)];
        long l3Region = -1;
        long l3 = 0;
        for (int i = 0; i < out.length; i++) {
            long pageVa = va + i * Lpae.SZ_4K;
            if (pageVa >>> 21 == l3Region) {
                long pte = memory.read64(l3 + 8L * Lpae.index(pageVa, 3));
                out[i] = Lpae.isValid(pte) ? Lpae.address(pte) : 0;
                continue;
            }
            long table = vm.pgd;
            for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS; level++) {
                long pte = memory.read64(table + 8L * Lpae.index(pageVa, level));
                if (Lpae.isTable(pte, level)) {
                    table = Lpae.address(pte);
                    if (level == 2) {
                        l3Region = pageVa >>> 21;
                        l3 = table;
                    }
                    continue;
                }
                if (Lpae.isValid(pte)) {
                    out[i] = Lpae.address(pte) + (pageVa & (Lpae.blockSize(level) - 1));
                }
                break;
            }
        }
        return out;
    }

    @Override
    public void releaseState() {
        for (PanthorVm vm : vmsSnapshot()) {
            vm.bindQueueLock.lock();
            try {
                for (PanthorVm.PanthorVmBindJob job : vm.bindQueue) {
                    vmBindJobRemoveDepCallbacks(job);
                }
                vm.bindQueue.clear();
            } finally {
                vm.bindQueueLock.unlock();
            }
            if (vm.bindWork != null) {
                bindWq.cancel(vm.bindWork);
            }
        }
        slotsLock.lock();
        vmsLock.lock();
        try {
            vms.clear();
            java.util.Arrays.fill(slots, null);
            allocMask = 0;
            faultyMask = 0;
            lruList.clear();
            owner = false;
        } finally {
            vmsLock.unlock();
            slotsLock.unlock();
        }
    }
}
