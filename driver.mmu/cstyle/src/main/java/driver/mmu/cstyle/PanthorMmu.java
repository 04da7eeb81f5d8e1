package driver.mmu.cstyle;

import static hw.model.regs.MaliRegs.*;

import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.kernel.GemObject;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.pgtable.Lpae;
import driver.core.slot.IncompatibleStateException;
import driver.core.slot.SlotStatus;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.AsSlotInfo;
import driver.core.subsys.mmu.Mmu;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 * <p>Lock order, as in the C driver: {@code vm->op_lock} ({@link PanthorVm#opLock}) →
 * {@code mmu->as.slots_lock} ({@link #slotsLock}) → {@link #vmsLock} (the VM table, held
 * briefly, never across hardware waits).
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
 * <p>Not yet: asynchronous binds (EINVAL), sparse mappings, the MCU VM (the firmware layer's
 * {@code FwMcuVm} still owns AS0 and the first half of the MMU IRQ). See driver.mmu/README.md.
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
    static final int DRM_PANTHOR_VM_BIND_ASYNC = 1;
    static final int PANTHOR_VM_MAP_FLAGS = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
            | DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;

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

    /** The slots, to reach the scheduler ({@code panthor_sched_report_mmu_fault()}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DriverSubsystems subsystems;

    /** Whether this instance owns the state (between importState and releaseState). */
    boolean owner;

    /**
     * The DS constructor. Activation leaves the instance inert: the hardware facts come from
     * the probed device's {@code gpu_info}, no register is touched before {@link #importState}.
     */
    @Activate
    public PanthorMmu(@Reference Mmio mmio, @Reference PhysicalMemory memory, @Reference VirtualTime time,
                      @Reference DrmDevice drm, @Reference PanthorDevice ptdev) {
        this(mmio, memory, time, drm.pageAllocator(), ptdev.gpuInfo().mmuFeatures(), ptdev.gpuInfo().asPresent());
    }

    PanthorMmu(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
               int asPresent) {
        this.mmio = mmio;
        this.memory = memory;
        this.time = time;
        this.pages = pages;
        this.vaBits = GPU_MMU_FEATURES_VA_BITS_GET(mmuFeatures);
        this.asPresent = asPresent;
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
            nextVmKey++;
            vms.put(vm.key, vm);
            return vm;
        } finally {
            vmsLock.unlock();
        }
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

    @Override
    public VmRef mcuVm() {
        /* The MCU VM is still the firmware layer's FwMcuVm (not adopted yet). */
        return null;
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
            /* Asynchronous binds (the per-VM bind queue) are not implemented yet. */
            throw new VmBindException(Errno.EINVAL, 0);
        }
        /* panthor_ioctl_vm_bind_sync() */
        for (int i = 0; i < ops.size(); i++) {
            int ret = vmBindExecSyncOp(call.file(), vm, ops.get(i));
            if (ret != 0) {
                throw new VmBindException(-ret, i);
            }
        }
    }

    /** {@code panthor_vm_bind_exec_sync_op()}. */
    int vmBindExecSyncOp(UabiFile file, PanthorVm vm, DrmPanthorVmBindOp op) {
        if (op.syncs().count() != 0) {
            return -Errno.EINVAL;
        }
        int type = op.flags() & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
        if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY) {
            if ((op.flags() & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) != 0 || op.boHandle() != 0 || op.boOffset() != 0
                    || op.va() != 0 || op.size() != 0) {
                return -Errno.EINVAL;
            }
            return 0;
        }
        if (op.size() == 0 || (op.va() | op.size() | op.boOffset()) % Lpae.SZ_4K != 0) {
            return -Errno.EINVAL;
        }
        int ret = vmCheckRange(vm, op.va(), op.size());
        if (ret != 0) {
            return ret;
        }
        if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP) {
            if ((op.flags() & ~PANTHOR_VM_MAP_FLAGS) != 0) {
                return -Errno.EINVAL;
            }
            GemObject bo = file.lookupGem(op.boHandle());
            if (bo == null) {
                return -Errno.EINVAL;
            }
            /* panthor_vm_prepare_map_op_ctx(): the lookup's reference becomes the vma's */
            if (op.size() > bo.size() || Long.compareUnsigned(op.boOffset(), bo.size() - op.size()) > 0
                    || (bo.exclusiveVm() != null && !vm.ref.equals(bo.exclusiveVm()))) {
                bo.put();
                return -Errno.EINVAL;
            }
            ret = vmMapBoRange(vm, bo, op.boOffset(), op.size(), op.va(), op.flags() & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK);
            if (ret != 0) {
                bo.put();
            }
            return ret;
        }
        if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
            if ((op.flags() & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) != 0 || op.boHandle() != 0 || op.boOffset() != 0) {
                return -Errno.EINVAL;
            }
            vm.opLock.lock();
            try {
                return vmExecUnmap(vm, op.va(), op.size());
            } finally {
                vm.opLock.unlock();
            }
        }
        return -Errno.EINVAL;
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

    /** {@code panthor_vm_map_bo_range()}: takes over the caller's BO reference on success. */
    int vmMapBoRange(PanthorVm vm, GemObject bo, long offset, long size, long va, int flags) {
        long[] phys;
        try {
            phys = bo.pages();
        } catch (ErrnoException e) {
            return -e.errno();
        }
        vm.opLock.lock();
        try {
            if (vm.unusable || vm.destroyed) {
                return -Errno.EINVAL;
            }
            PanthorVm.PanthorVma vma = new PanthorVm.PanthorVma();
            vma.va = va;
            vma.size = size;
            vma.bo = bo;
            vma.boOffset = offset;
            vma.flags = flags;
            return vmExecMap(vm, vma, phys, (int) (offset / Lpae.SZ_4K));
        } finally {
            vm.opLock.unlock();
        }
    }

    /** {@code panthor_vm_exec_op()} for a MAP: lock, drop overlaps, map, insert, unlock. Under op_lock. */
    int vmExecMap(PanthorVm vm, PanthorVm.PanthorVma vma, long[] phys, int firstPage) {
        slotsLock.lock();
        try {
            int ret = vmLockRegion(vm, vma.va, vma.size);
            if (ret != 0) {
                return ret;
            }
            ret = vmSmUnmapLocked(vm, vma.va, vma.size);
            if (ret == 0) {
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
            if (!keptBo) {
                vmaRelease(vma);
            }
        }
        return 0;
    }

    private static PanthorVm.PanthorVma vmaSplit(PanthorVm.PanthorVma vma, long va, long size) {
        PanthorVm.PanthorVma piece = new PanthorVm.PanthorVma();
        piece.va = va;
        piece.size = size;
        piece.bo = vma.bo;
        piece.boOffset = vma.boOffset + (va - vma.va);
        piece.flags = vma.flags;
        piece.kernel = vma.kernel;
        piece.kernelPages = vma.kernelPages;
        return piece;
    }

    // ------------------------------------------------------------------ AS hardware

    /** {@code wait_ready()}: AS_ACTIVE clear within 100 ms. */
    int waitReady(int as) {
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
                as = vm.forMcu ? 0 : Integer.numberOfTrailingZeros(~(allocMask | 1));
                if (as >= 32 || (asPresent & (1 << as)) == 0) {
                    PanthorVm lruVm = lruList.peekFirst();
                    if (lruVm == null) {
                        return -Errno.EBUSY;
                    }
                    as = lruVm.asId;
                    panthorMmuAsDisable(as);
                    lruVm.asId = -1;
                    lruVm.asLruOrder = -1;
                    lruList.removeFirst();
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
                    mmio.write32(MMU_INT_MASK, MMU_INT_PAGE_FAULT_MASK & ~faultyMask);
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
            if (vm.asId >= 0 && !lruList.contains(vm)) {
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
                for (PanthorVm.PanthorVma vma : vm.findOverlaps(vm.kernelVaStart, vm.kernelVaSize)) {
                    if (vma.va >= va + size) {
                        break;
                    }
                    va = vma.va + vma.size;
                }
                if (va + size > vm.kernelVaStart + vm.kernelVaSize) {
                    throw errno(-Errno.ENOMEM);
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
     * and masks the faulty AS, and keeps AS0. Here, under slots_lock: the AS joins
     * {@code faulty_mask}, its VM gets {@code unhandled_fault} and the AS is disabled to kill
     * the jobs on it; then the scheduler is told ({@code panthor_sched_report_mmu_fault()}).
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
            subsys.sched().run(s -> s.reportMmuFault(vm));
        }
    }

    @Override
    public void preReset() {
    }

    /** {@code panthor_mmu_post_reset()}: forget the AS assignments; they are re-made lazily. */
    @Override
    public void postReset() {
        slotsLock.lock();
        try {
            forgetAsLocked();
        } finally {
            slotsLock.unlock();
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
            out.add(new AsSlotInfo(s.as(), s.vmKey() < 0 ? null : new VmRef(s.vmKey()), s.active(), s.faulted(),
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
                out.add(new MmuState.AsSlotState(as, vm == null ? -1 : vm.key, vm != null && vm.asActiveCnt > 0,
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
                    vm.unusable, vm.unhandledFault, List.of()));
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
            if (!v.queuedBinds().isEmpty()) {
                throw new IncompatibleStateException("asynchronous binds are not supported by cstyle yet");
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
                }
                vm.vas.put(vma.va, vma);
            }
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
                vm.asActiveCnt = s.active() ? 1 : 0;
                vm.asLruOrder = s.lruOrder();
                if (!s.active() && s.lruOrder() >= 0) {
                    idle.add(vm);
                }
            }
            idle.sort((a, b) -> Long.compare(a.asLruOrder, b.asLruOrder));
            lruList.addAll(idle);
            lruClock = state.lruClock();
            owner = true;
        } finally {
            vmsLock.unlock();
            slotsLock.unlock();
        }
    }

    private long[] kernelPagesFromTables(PanthorVm vm, long va, long size) {
        long[] out = new long[(int) (size / Lpae.SZ_4K)];
        for (int i = 0; i < out.length; i++) {
            long pageVa = va + i * Lpae.SZ_4K;
            long table = vm.pgd;
            for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS; level++) {
                long pte = memory.read64(table + 8L * Lpae.index(pageVa, level));
                if (Lpae.isTable(pte, level)) {
                    table = Lpae.address(pte);
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
