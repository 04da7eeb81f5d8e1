package conformance.internal;

import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * DOC: A simulated process of a case, with the calls the cases repeat.
 *
 * Wraps a {@link PanthorClient} (so every call goes through the ioctl byte path with the real
 * request numbers) and adds the small compositions a Mesa-like client makes: a VM, a BO mapped
 * for the CPU, a MAP/UNMAP, a group with sane core masks, a job submit with sync ops, a poll of
 * a syncobj. Nothing here checks results: the cases do.
 */
public final class Client {

    /** A BO: its handle and page-aligned size. */
    public record Bo(int handle, long size) {
    }

    /** One queue submit of a GROUP_SUBMIT. */
    public record Job(int queue, long streamVa, int streamSize, List<DrmPanthorSyncOp> syncs) {
        public Job withSyncs(DrmPanthorSyncOp... ops) {
            return new Job(queue, streamVa, streamSize, List.of(ops));
        }
    }

    public static final int MAP = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
    public static final int UNMAP = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
    public static final int SYNC_ONLY = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY;
    public static final int ASYNC = PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC;

    private final CaseContext ctx;
    private final PanthorClient drm;
    private DrmPanthorGpuInfo gpuInfo;

    Client(CaseContext ctx, PanthorClient drm) {
        this.ctx = ctx;
        this.drm = drm;
    }

    public PanthorClient drm() {
        return drm;
    }

    public UserProcess process() {
        return drm.process();
    }

    public DrmPanthorGpuInfo gpuInfo() {
        if (gpuInfo == null) {
            gpuInfo = drm.gpuInfo();
        }
        return gpuInfo;
    }

    public int vaBits() {
        return gpuInfo().mmuFeatures() & 0xff;
    }

    /** A raw ioctl: the struct bytes in, {@code out} receives them after the call; 0 or -errno. */
    public int raw(int request, byte[] arg, byte[] out) {
        return drm.ioctlBytes(request, arg, out);
    }

    // ------------------------------------------------------------------ BOs and VMs

    public Bo bo(long size) {
        return bo(size, 0, 0);
    }

    public Bo bo(long size, int flags, int exclusiveVm) {
        DrmPanthorBoCreate r = drm.boCreate(size, flags, exclusiveVm);
        return new Bo(r.handle(), r.size());
    }

    /** BO_MMAP_OFFSET + a shared read/write mapping of the whole BO; the CPU address. */
    public long mmap(Bo bo) {
        return drm.mmapBo(bo.handle(), bo.size());
    }

    public int vm() {
        return drm.vmCreate(0).id();
    }

    public static DrmPanthorVmBindOp mapOp(Bo bo, long boOffset, long va, long size, int flags) {
        return new DrmPanthorVmBindOp(MAP | flags, bo.handle(), boOffset, va, size, DrmPanthorObjArray.EMPTY);
    }

    public static DrmPanthorVmBindOp unmapOp(long va, long size) {
        return new DrmPanthorVmBindOp(UNMAP, 0, 0, va, size, DrmPanthorObjArray.EMPTY);
    }

    /** A synchronous MAP of the whole BO at {@code va}. */
    public void map(int vm, Bo bo, long va) {
        map(vm, bo, 0, va, bo.size(), 0);
    }

    public void map(int vm, Bo bo, long boOffset, long va, long size, int flags) {
        drm.vmBind(vm, 0, List.of(mapOp(bo, boOffset, va, size, flags)));
    }

    public void unmap(int vm, long va, long size) {
        drm.vmBind(vm, 0, List.of(unmapOp(va, size)));
    }

    /** VM_BIND through the raw path: {result, ops.count after the call}. */
    public int[] bindRaw(int vm, int flags, List<DrmPanthorVmBindOp> ops, int stride) {
        DrmPanthorObjArray written = drm.objArray(ops, Math.max(stride, DrmPanthorVmBindOp.SIZE));
        DrmPanthorObjArray array = new DrmPanthorObjArray(stride, written.count(), written.array());
        DrmPanthorVmBind args = new DrmPanthorVmBind(vm, flags, array);
        byte[] out = new byte[DrmPanthorVmBind.SIZE];
        int ret = drm.ioctlBytes(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, args.toBytes(), out);
        return new int[] {ret, DrmPanthorVmBind.decode(out).ops().count()};
    }

    /** VM_BIND with each op's sync ops written in turn; the errno, 0 on success. */
    public int bindWithSyncs(int vm, int flags, DrmPanthorVmBindOp op, DrmPanthorSyncOp... syncs) {
        DrmPanthorObjArray s = drm.objArray(List.of(syncs), DrmPanthorSyncOp.SIZE);
        return ctx.errnoOf(() -> drm.vmBind(vm, flags, List.of(op.withSyncs(s))));
    }

    // ------------------------------------------------------------------ groups

    public static DrmPanthorQueueCreate queue(int priority, int ringSize) {
        return new DrmPanthorQueueCreate(priority, 0, 0, 0, ringSize);
    }

    /** GROUP_CREATE arguments using every present core, MEDIUM priority, on {@code vm}. */
    public DrmPanthorGroupCreate groupArgs(int vm) {
        DrmPanthorGpuInfo g = gpuInfo();
        int shaders = Long.bitCount(g.shaderPresent());
        return DrmPanthorGroupCreate.ZERO
                .withMaxComputeCores(shaders).withMaxFragmentCores(shaders)
                .withMaxTilerCores(Long.bitCount(g.tilerPresent()))
                .withPriority(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM)
                .withComputeCoreMask(g.shaderPresent()).withFragmentCoreMask(g.shaderPresent())
                .withTilerCoreMask(g.tilerPresent()).withVmId(vm);
    }

    /** A group of {@code queues} queues (priority 1, 16 KiB rings) on {@code vm}. */
    public int group(int vm, int queues) {
        List<DrmPanthorQueueCreate> q = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            q.add(queue(1, 16 * 1024));
        }
        return drm.groupCreate(groupArgs(vm), q);
    }

    public int group(int vm) {
        return group(vm, 1);
    }

    public int groupState(int group) {
        return drm.groupGetState(group).state();
    }

    // ------------------------------------------------------------------ submits and syncobjs

    public static Job job(int queue, long streamVa, int instructions) {
        return new Job(queue, streamVa, instructions * 8, List.of());
    }

    /** GROUP_SUBMIT of {@code jobs}, each with its sync ops. */
    public void submit(int group, Job... jobs) {
        List<DrmPanthorQueueSubmit> submits = new ArrayList<>();
        for (Job j : jobs) {
            DrmPanthorObjArray syncs = drm.objArray(j.syncs(), DrmPanthorSyncOp.SIZE);
            submits.add(new DrmPanthorQueueSubmit(j.queue(), j.streamSize(), j.streamVa(), 0, 0, syncs));
        }
        drm.groupSubmit(group, submits);
    }

    public int submitErrno(int group, Job... jobs) {
        return ctx.errnoOf(() -> submit(group, jobs));
    }

    public static DrmPanthorSyncOp signal(int syncobj) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL
                | PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, syncobj, 0);
    }

    public static DrmPanthorSyncOp await(int syncobj) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_WAIT
                | PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, syncobj, 0);
    }

    public static DrmPanthorSyncOp signalPoint(int syncobj, long point) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL
                | PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, syncobj, point);
    }

    public static DrmPanthorSyncOp awaitPoint(int syncobj, long point) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_WAIT
                | PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, syncobj, point);
    }

    public int syncobj() {
        return drm.syncobjCreate(0);
    }

    public int syncobjSignaled() {
        return drm.syncobjCreate(DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED);
    }

    /** One poll (absolute timeout 0): whether the syncobj holds a signaled fence. */
    public boolean isSignaled(int syncobj) {
        try {
            drm.syncobjWait(new int[] {syncobj}, 0, 0);
            return true;
        } catch (IoctlException e) {
            if (e.errno() == Errno.ETIME || e.errno() == Errno.EINVAL) {
                return false;
            }
            throw e;
        }
    }

    public boolean isPointSignaled(int syncobj, long point) {
        try {
            drm.syncobjTimelineWait(new int[] {syncobj}, new long[] {point}, 0, 0);
            return true;
        } catch (IoctlException e) {
            if (e.errno() == Errno.ETIME || e.errno() == Errno.EINVAL) {
                return false;
            }
            throw e;
        }
    }

    /** Lets time pass until the syncobj is signaled, at most {@code timeoutMs} of virtual time. */
    public void awaitSignaled(int syncobj, long timeoutMs, String what) {
        if (!ctx.time().untilMs(() -> isSignaled(syncobj), timeoutMs)) {
            throw ctx.fail("%s: syncobj %d not signaled after %d ms", what, syncobj, timeoutMs);
        }
    }

    /** Lets time pass until the syncobj is signaled, at most {@code timeoutMs}; whether it was. */
    public boolean awaitSignaledQuietly(int syncobj, long timeoutMs) {
        return ctx.time().untilMs(() -> isSignaled(syncobj), timeoutMs);
    }

    public void awaitSignaled(int syncobj, String what) {
        awaitSignaled(syncobj, 1000, what);
    }

    /** Exits the process (closing its DRM file). */
    public void exit() {
        process().exit();
    }
}
