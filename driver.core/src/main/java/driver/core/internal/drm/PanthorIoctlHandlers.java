package driver.core.internal.drm;

import driver.core.api.GpuInfo;
import driver.core.kernel.GemObject;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorBoMmapOffset;
import driver.core.uapi.DrmPanthorBoQueryInfo;
import driver.core.uapi.DrmPanthorBoSetLabel;
import driver.core.uapi.DrmPanthorBoSync;
import driver.core.uapi.DrmPanthorBoSyncOp;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorDevQuery;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupDestroy;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorGroupPrioritiesInfo;
import driver.core.uapi.DrmPanthorGroupSubmit;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSetUserMmioOffset;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorTilerHeapDestroy;
import driver.core.uapi.DrmPanthorTimestampInfo;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.DrmPanthorVmDestroy;
import driver.core.uapi.DrmPanthorVmGetState;
import driver.core.subsys.mmu.VmBindException;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.Le;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Capability;
import driver.core.user.UserProcess;
import hw.model.api.Mmio;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * DOC: Panthor ioctls.
 *
 * The handlers of {@code panthor_drv.c}. DEV_QUERY, the BO ioctls and SET_USER_MMIO_OFFSET are
 * complete here. The VM, group and tiler-heap ioctls are decoded and given the checks
 * {@code panthor_drv.c} makes before calling into the MMU or scheduler, in the same order,
 * then handed to the subsystem through its port (ENODEV when it is absent).
 *
 * DEV_QUERY: with a NULL pointer it reports the kernel struct size; otherwise it copies
 * {@code min(size, sizeof)} bytes and zero-fills the rest of the user's buffer, EINVAL below
 * the minimum size (GPU_INFO up to {@code tiler_present}: 96; CSIF_INFO 24; TIMESTAMP_INFO 16;
 * GROUP_PRIORITIES_INFO 4). The size field is not updated in that case (the header says it
 * is; the driver does not). TIMESTAMP_INFO (1.8) first reads the user's struct
 * ({@code copy_struct_from_user}: E2BIG for non-zero bytes beyond it) to get {@code flags};
 * flags 0 means GPU | GPU_OFFSET | FREQ; unknown bits or CPU clock types are EINVAL.
 */
final class PanthorIoctlHandlers {

    /** GPU_CONTROL counters read by TIMESTAMP_INFO. */
    static final int GPU_TIMESTAMP_OFFSET = 0x88;
    static final int GPU_CYCLE_COUNT = 0x90;
    static final int GPU_TIMESTAMP = 0x98;

    private static final int BO_FLAGS = PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP | PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP;
    private static final int TIMESTAMP_VALID = PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU
            | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU_OFFSET
            | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_FREQ
            | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_DURATION;

    private final DrmDeviceCore device;

    PanthorIoctlHandlers(DrmDeviceCore device) {
        this.device = device;
    }

    // ------------------------------------------------------------------ DEV_QUERY

    int devQuery(DrmCall call, byte[] k) {
        DrmPanthorDevQuery args = DrmPanthorDevQuery.decode(k);
        if (args.pointer() == 0) {
            int size;
            switch (args.type()) {
                case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO: size = DrmPanthorGpuInfo.SIZE; break;
                case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_CSIF_INFO: size = DrmPanthorCsifInfo.SIZE; break;
                case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO: size = DrmPanthorTimestampInfo.SIZE; break;
                case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO: size = DrmPanthorGroupPrioritiesInfo.SIZE; break;
                default: return -Errno.EINVAL;
            }
            Le.put32(k, DrmPanthorDevQuery.OFFSET_SIZE, size);
            return 0;
        }
        UserProcess caller = call.caller();
        switch (args.type()) {
            case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO:
                return UabiCopy.setUobj(caller, args.pointer(), args.size(), DrmPanthorGpuInfo.MIN_SIZE,
                        gpuInfo(device.gpuInfo()).toBytes());
            case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
                return UabiCopy.setUobj(caller, args.pointer(), args.size(), DrmPanthorCsifInfo.MIN_SIZE,
                        device.csifInfo().toBytes());
            case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO: {
                byte[] in = UabiCopy.copyStructFromUser(caller, DrmPanthorTimestampInfo.SIZE, args.pointer(),
                        Integer.toUnsignedLong(args.size()));
                DrmPanthorTimestampInfo info = timestampInfo(DrmPanthorTimestampInfo.decode(in));
                return UabiCopy.setUobj(caller, args.pointer(), args.size(), DrmPanthorTimestampInfo.MIN_SIZE,
                        info.toBytes());
            }
            case PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO: {
                int mask = 0;
                for (int prio = PanthorIoctls.PANTHOR_GROUP_PRIORITY_REALTIME; prio >= 0; prio--) {
                    if (groupPriorityPermit(call, prio) == 0) {
                        mask |= 1 << prio;
                    }
                }
                return UabiCopy.setUobj(caller, args.pointer(), args.size(), DrmPanthorGroupPrioritiesInfo.MIN_SIZE,
                        new DrmPanthorGroupPrioritiesInfo(mask, 0, 0, 0).toBytes());
            }
            default:
                return -Errno.EINVAL;
        }
    }

    /**
     * {@code ptdev->gpu_info}: the probe registers, plus {@code selected_coherency} (NONE: the
     * RK3588 GPU is not DMA-coherent) and {@code gpu_features} (a register of arch 11+; 0 here).
     */
    static DrmPanthorGpuInfo gpuInfo(GpuInfo g) {
        int[] tex = g.textureFeatures();
        return new DrmPanthorGpuInfo(g.gpuId(), g.gpuRev(), g.csfId(), g.l2Features(), g.tilerFeatures(),
                g.memFeatures(), g.mmuFeatures(), g.threadFeatures(), g.maxThreads(), g.threadMaxWorkgroupSize(),
                g.threadMaxBarrierSize(), g.coherencyFeatures(), tex[0], tex[1], tex[2], tex[3], g.asPresent(),
                PanthorIoctls.DRM_PANTHOR_GPU_COHERENCY_NONE, g.shaderPresent(), g.l2Present(), g.tilerPresent(),
                g.coreFeatures(), 0, 0L);
    }

    /** {@code panthor_query_timestamp_info()} (UABI 1.8). */
    private DrmPanthorTimestampInfo timestampInfo(DrmPanthorTimestampInfo in) {
        int flags = in.flags() != 0 ? in.flags()
                : PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU_OFFSET
                        | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_FREQ;
        int cpuType = flags & PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK;
        if (cpuType != PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_NONE
                && cpuType != PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC
                && cpuType != PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW) {
            throw new ErrnoException(Errno.EINVAL, "CPU clock type");
        }
        if ((flags & ~TIMESTAMP_VALID) != 0) {
            throw new ErrnoException(Errno.EINVAL, "timestamp flags");
        }
        // panthor_query_timestamp_info() holds a runtime-PM reference around the register reads.
        int ret = device.power().get();
        if (ret != 0) {
            throw new ErrnoException(-ret, "runtime resume");
        }
        long frequency;
        long offset;
        long timestamp;
        long cpu;
        long cycles;
        int duration;
        try {
            Mmio mmio = device.mmio();
            frequency = (flags & PanthorIoctls.DRM_PANTHOR_TIMESTAMP_FREQ) != 0 ? device.timestampFrequencyHz() : 0;
            offset = (flags & PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU_OFFSET) != 0 ? mmio.read64Raw(GPU_TIMESTAMP_OFFSET) : 0;
            long start = device.time().nowNanos();
            timestamp = (flags & PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU) != 0 ? read64NoTearing(mmio, GPU_TIMESTAMP) : 0;
            cpu = device.time().nowNanos();
            cycles = (flags & PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT) != 0 ? read64NoTearing(mmio, GPU_CYCLE_COUNT) : 0;
            duration = (flags & PanthorIoctls.DRM_PANTHOR_TIMESTAMP_DURATION) != 0
                    ? (int) (device.time().nowNanos() - start) : 0;
        } finally {
            device.power().put();
        }
        long cpuSec = 0;
        long cpuNsec = 0;
        if (cpuType != PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_NONE) {
            cpuSec = cpu / 1_000_000_000L;
            cpuNsec = cpu % 1_000_000_000L;
        }
        return new DrmPanthorTimestampInfo(frequency, timestamp, offset, in.flags(), duration, cycles, cpuSec, cpuNsec);
    }

    /** {@code gpu_read64_counter()}: hi, lo, hi until the two hi reads agree. */
    static long read64NoTearing(Mmio mmio, int offset) {
        while (true) {
            int hi = mmio.read32(offset + 4);
            int lo = mmio.read32(offset);
            if (mmio.read32(offset + 4) == hi) {
                return ((long) hi << 32) | (lo & 0xffff_ffffL);
            }
        }
    }

    /** {@code group_priority_permit()}: 0, EINVAL (unknown priority) or EACCES. */
    static int groupPriorityPermit(DrmCall call, int priority) {
        if (priority > PanthorIoctls.PANTHOR_GROUP_PRIORITY_REALTIME) {
            return -Errno.EINVAL;
        }
        if (priority <= PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM) {
            return 0;
        }
        if (call.caller().capable(Capability.CAP_SYS_NICE) || call.file().isMaster()) {
            return 0;
        }
        return -Errno.EACCES;
    }

    // ------------------------------------------------------------------ BOs

    int boCreate(DrmCall call, byte[] k) {
        DrmPanthorBoCreate args = DrmPanthorBoCreate.decode(k);
        if (args.size() == 0 || args.pad() != 0 || (args.flags() & ~BO_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        if ((args.flags() & PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP) != 0
                && (args.flags() & PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP) != 0) {
            return -Errno.EINVAL;
        }
        Object vm = null;
        if (args.exclusiveVmId() != 0) {
            vm = device.vmPort().call(mmu -> mmu.requireVm(call.file(), args.exclusiveVmId()));
        }
        long size = args.size();
        if (size < 0 || size > Long.MAX_VALUE - (UserProcess.PAGE_SIZE - 1)) {
            return -Errno.EINVAL;
        }
        long aligned = (size + UserProcess.PAGE_SIZE - 1) & ~(long) (UserProcess.PAGE_SIZE - 1);
        GemObject obj = device.createGem(aligned, args.flags(), vm);
        int handle;
        try {
            handle = call.file().gemHandleCreate(obj);
        } finally {
            obj.put();
        }
        Le.put64(k, DrmPanthorBoCreate.OFFSET_SIZE, aligned);
        Le.put32(k, DrmPanthorBoCreate.OFFSET_HANDLE, handle);
        return 0;
    }

    int boMmapOffset(DrmCall call, byte[] k) {
        DrmPanthorBoMmapOffset args = DrmPanthorBoMmapOffset.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        GemObject obj = call.file().lookupGem(args.handle());
        if (obj == null) {
            return -Errno.ENOENT;
        }
        try {
            if ((obj.flags() & PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP) != 0) {
                return -Errno.EPERM;
            }
            Le.put64(k, DrmPanthorBoMmapOffset.OFFSET_OFFSET, device.mmapOffset(obj));
            return 0;
        } finally {
            obj.put();
        }
    }

    int boSetLabel(DrmCall call, byte[] k) {
        DrmPanthorBoSetLabel args = DrmPanthorBoSetLabel.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        GemObject obj = call.file().lookupGem(args.handle());
        if (obj == null) {
            return -Errno.ENOENT;
        }
        try {
            String label = null;
            if (args.label() != 0) {
                long n = call.caller().strnlenUser(args.label(), PanthorIoctls.PANTHOR_BO_LABEL_MAXLEN);
                if (n == 0) {
                    return -Errno.EFAULT;
                }
                if (n > PanthorIoctls.PANTHOR_BO_LABEL_MAXLEN) {
                    return -Errno.E2BIG;
                }
                byte[] bytes = new byte[(int) n - 1];
                if (!call.caller().copyFromUser(args.label(), bytes, 0, bytes.length)) {
                    return -Errno.EFAULT;
                }
                label = new String(bytes, StandardCharsets.UTF_8);
            }
            obj.setLabel(label);
            return 0;
        } finally {
            obj.put();
        }
    }

    int setUserMmioOffset(DrmCall call, byte[] k) {
        long offset = DrmPanthorSetUserMmioOffset.decode(k).offset();
        if (offset != PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT
                && offset != PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT) {
            return -Errno.EINVAL;
        }
        call.file().setUserMmioOffset(offset);
        return 0;
    }

    /**
     * BO_SYNC: every op is checked before it runs, in order, and the first failure ends the
     * call (ENOENT unknown handle; EINVAL range past the object, imported object, unknown
     * type). CPU cache maintenance itself is a no-op: the model's memory is coherent.
     */
    int boSync(DrmCall call, byte[] k) {
        DrmPanthorBoSync args = DrmPanthorBoSync.decode(k);
        if (args.ops().count() == 0) {
            return 0;
        }
        List<DrmPanthorBoSyncOp> ops = call.copyArray(args.ops(), DrmPanthorBoSyncOp.MIN_SIZE,
                DrmPanthorBoSyncOp.SIZE, DrmPanthorBoSyncOp::decode);
        for (DrmPanthorBoSyncOp op : ops) {
            GemObject obj = call.file().lookupGem(op.handle());
            if (obj == null) {
                return -Errno.ENOENT;
            }
            try {
                long end = op.offset() + op.size();
                if (Long.compareUnsigned(end, op.offset()) < 0 || Long.compareUnsigned(end, obj.size()) > 0) {
                    return -Errno.EINVAL;
                }
                if (obj.isImported()) {
                    return -Errno.EINVAL;
                }
                if (op.type() != PanthorIoctls.DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH
                        && op.type() != PanthorIoctls.DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE) {
                    return -Errno.EINVAL;
                }
            } finally {
                obj.put();
            }
        }
        return 0;
    }

    int boQueryInfo(DrmCall call, byte[] k) {
        DrmPanthorBoQueryInfo args = DrmPanthorBoQueryInfo.decode(k);
        GemObject obj = call.file().lookupGem(args.handle());
        if (obj == null) {
            return -Errno.ENOENT;
        }
        try {
            int extra = obj.isImported() ? PanthorIoctls.DRM_PANTHOR_BO_IS_IMPORTED : 0;
            new DrmPanthorBoQueryInfo(args.handle(), extra, obj.flags(), 0).encode(k, 0);
            return 0;
        } finally {
            obj.put();
        }
    }

    // ------------------------------------------------------------------ VM (MMU)

    int vmCreate(DrmCall call, byte[] k) {
        DrmPanthorVmCreate args = DrmPanthorVmCreate.decode(k);
        if (args.flags() != 0) {
            return -Errno.EINVAL;
        }
        DrmPanthorVmCreate out = device.vmPort().call(mmu -> mmu.vmCreate(call, args));
        Le.put32(k, DrmPanthorVmCreate.OFFSET_ID, out.id());
        Le.put64(k, DrmPanthorVmCreate.OFFSET_USER_VA_RANGE, out.userVaRange());
        return 0;
    }

    int vmDestroy(DrmCall call, byte[] k) {
        DrmPanthorVmDestroy args = DrmPanthorVmDestroy.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        device.vmPort().run(mmu -> mmu.vmDestroy(call, args.id()));
        return 0;
    }

    /**
     * VM_BIND: the VM must exist (EINVAL), then the op array is copied; a synchronous bind
     * that fails writes the failing op's index to {@code ops.count}. Unknown bind flags are not
     * rejected: {@code panthor_ioctl_vm_bind()} only looks at ASYNC.
     */
    int vmBind(DrmCall call, byte[] k) {
        DrmPanthorVmBind args = DrmPanthorVmBind.decode(k);
        try {
            device.vmPort().run(mmu -> {
                mmu.requireVm(call.file(), args.vmId());
                List<DrmPanthorVmBindOp> ops = call.copyArray(args.ops(), DrmPanthorVmBindOp.MIN_SIZE,
                        DrmPanthorVmBindOp.SIZE, DrmPanthorVmBindOp::decode);
                mmu.vmBind(call, args, ops);
            });
            return 0;
        } catch (VmBindException f) {
            Le.put32(k, DrmPanthorVmBind.OFFSET_OPS + 4, f.failedOp());
            return -f.errno();
        }
    }

    int vmGetState(DrmCall call, byte[] k) {
        DrmPanthorVmGetState args = DrmPanthorVmGetState.decode(k);
        int state = device.vmPort().call(mmu -> mmu.vmGetState(call, args.vmId()));
        Le.put32(k, DrmPanthorVmGetState.OFFSET_STATE, state);
        return 0;
    }

    // ------------------------------------------------------------------ groups (scheduler)

    int groupCreate(DrmCall call, byte[] k) {
        DrmPanthorGroupCreate args = DrmPanthorGroupCreate.decode(k);
        if (args.queues().count() == 0) {
            return -Errno.EINVAL;
        }
        List<DrmPanthorQueueCreate> queues = call.copyArray(args.queues(), DrmPanthorQueueCreate.MIN_SIZE,
                DrmPanthorQueueCreate.SIZE, DrmPanthorQueueCreate::decode);
        int permit = groupPriorityPermit(call, args.priority());
        if (permit != 0) {
            return permit;
        }
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        int handle = device.groupPort().call(sched -> sched.groupCreate(call, args, queues));
        Le.put32(k, DrmPanthorGroupCreate.OFFSET_GROUP_HANDLE, handle);
        return 0;
    }

    int groupDestroy(DrmCall call, byte[] k) {
        DrmPanthorGroupDestroy args = DrmPanthorGroupDestroy.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        device.groupPort().run(sched -> sched.groupDestroy(call, args.groupHandle()));
        return 0;
    }

    /** GROUP_SUBMIT: an empty submit succeeds without looking at the group, as in panthor_drv.c. */
    int groupSubmit(DrmCall call, byte[] k) {
        DrmPanthorGroupSubmit args = DrmPanthorGroupSubmit.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        List<DrmPanthorQueueSubmit> submits = call.copyArray(args.queueSubmits(), DrmPanthorQueueSubmit.MIN_SIZE,
                DrmPanthorQueueSubmit.SIZE, DrmPanthorQueueSubmit::decode);
        if (submits.isEmpty()) {
            return 0;
        }
        device.groupPort().run(sched -> sched.groupSubmit(call, args.groupHandle(), submits));
        return 0;
    }

    int groupGetState(DrmCall call, byte[] k) {
        DrmPanthorGroupGetState args = DrmPanthorGroupGetState.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        DrmPanthorGroupGetState out = device.groupPort().call(sched -> sched.groupGetState(call, args));
        out.withPad(0).encode(k, 0);
        return 0;
    }

    // ------------------------------------------------------------------ tiler heaps

    int tilerHeapCreate(DrmCall call, byte[] k) {
        DrmPanthorTilerHeapCreate args = DrmPanthorTilerHeapCreate.decode(k);
        Object vm = device.vmPort().call(mmu -> mmu.requireVm(call.file(), args.vmId()));
        DrmPanthorTilerHeapCreate out = device.heapPort().call(heaps -> heaps.heapCreate(call, vm, args));
        out.encode(k, 0);
        return 0;
    }

    int tilerHeapDestroy(DrmCall call, byte[] k) {
        DrmPanthorTilerHeapDestroy args = DrmPanthorTilerHeapDestroy.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        Object vm = device.vmPort().call(mmu -> mmu.requireVm(call.file(), args.handle() >>> 16));
        device.heapPort().run(heaps -> heaps.heapDestroy(call, vm, args.handle()));
        return 0;
    }
}
