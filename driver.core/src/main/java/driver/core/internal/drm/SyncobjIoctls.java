package driver.core.internal.drm;

import driver.core.kernel.DmaFence;
import driver.core.kernel.SyncFile;
import driver.core.kernel.Syncobj;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmSyncobjArray;
import driver.core.uapi.DrmSyncobjCreate;
import driver.core.uapi.DrmSyncobjDestroy;
import driver.core.uapi.DrmSyncobjHandle;
import driver.core.uapi.DrmSyncobjTimelineArray;
import driver.core.uapi.DrmSyncobjTimelineWait;
import driver.core.uapi.DrmSyncobjTransfer;
import driver.core.uapi.DrmSyncobjWait;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.Le;
import driver.core.user.FileOps;
import driver.core.user.UserProcess;
import hw.model.api.VirtualTime;

/**
 * DOC: Syncobj ioctls.
 *
 * The {@code drm_syncobj.c} ioctls, with their exact checks and errnos: unknown flags, a
 * non-zero pad and an empty handle array are EINVAL; a handle array that faults is EFAULT; an
 * unknown handle is ENOENT in array ioctls, TRANSFER and the sync_file import, but EINVAL in
 * DESTROY and HANDLE_TO_FD; an fd that is not a syncobj (or sync_file) fd is EINVAL.
 *
 * Waits run on virtual time: {@code timeout_nsec} is an absolute CLOCK_MONOTONIC time, which
 * here is {@link VirtualTime#nowNanos()}; 0 or a time already past polls once; a wait that
 * runs out is ETIME. Without WAIT_FOR_SUBMIT (or WAIT_AVAILABLE for timelines) a syncobj with
 * no fence for the point is EINVAL; with it, the wait also covers the fence's arrival, and
 * TRANSFER with WAIT_FOR_SUBMIT waits up to 5 s for it. {@code first_signaled} is the index of
 * the first signaled object, or ~0 when WAIT_ALL completes only after waiting. The deadline
 * hint (WAIT_DEADLINE) is accepted and has no effect. Fence errors do not fail a wait.
 */
final class SyncobjIoctls {

    /** {@code DRM_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT}: 5 s. */
    static final long WAIT_FOR_SUBMIT_TIMEOUT_NANOS = 5_000_000_000L;

    private static final int WAIT_ALL = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
    private static final int WAIT_FOR_SUBMIT = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
    private static final int WAIT_AVAILABLE = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
    private static final int WAIT_DEADLINE = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE;

    private final DrmDeviceCore device;

    SyncobjIoctls(DrmDeviceCore device) {
        this.device = device;
    }

    private VirtualTime time() {
        return device.time();
    }

    int create(DrmCall call, byte[] k) {
        DrmSyncobjCreate args = DrmSyncobjCreate.decode(k);
        if ((args.flags() & ~DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED) != 0) {
            return -Errno.EINVAL;
        }
        Syncobj s = new Syncobj((args.flags() & DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED) != 0, time()::nowNanos);
        int handle = call.file().syncobjInstall(s);
        Le.put32(k, DrmSyncobjCreate.OFFSET_HANDLE, handle);
        return 0;
    }

    int destroy(DrmCall call, byte[] k) {
        DrmSyncobjDestroy args = DrmSyncobjDestroy.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        return call.file().syncobjDestroy(args.handle()) ? 0 : -Errno.EINVAL;
    }

    int handleToFd(DrmCall call, byte[] k) {
        DrmSyncobjHandle args = DrmSyncobjHandle.decode(k);
        int valid = DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE | DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE;
        if (args.pad() != 0 || (args.flags() & ~valid) != 0) {
            return -Errno.EINVAL;
        }
        long point = (args.flags() & DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE) != 0 ? args.point() : 0;
        int fd;
        if ((args.flags() & DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE) != 0) {
            DmaFence fence = findFence(call.file(), args.handle(), point, 0);
            fd = call.caller().fdInstall(new SyncFileFile(new SyncFile(fence)));
        } else {
            if (args.point() != 0) {
                return -Errno.EINVAL;
            }
            Syncobj s = call.file().lookupSyncobj(args.handle());
            if (s == null) {
                return -Errno.EINVAL;
            }
            fd = call.caller().fdInstall(new SyncobjFile(s));
            if (fd < 0) {
                s.put();
            }
        }
        if (fd < 0) {
            return fd;
        }
        Le.put32(k, DrmSyncobjHandle.OFFSET_FD, fd);
        return 0;
    }

    int fdToHandle(DrmCall call, byte[] k) {
        DrmSyncobjHandle args = DrmSyncobjHandle.decode(k);
        int valid = DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE | DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE;
        if (args.pad() != 0 || (args.flags() & ~valid) != 0) {
            return -Errno.EINVAL;
        }
        long point = (args.flags() & DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE) != 0 ? args.point() : 0;
        FileOps f = call.caller().fget(args.fd());
        if ((args.flags() & DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE) != 0) {
            if (!(f instanceof SyncFileFile sf)) {
                return -Errno.EINVAL;
            }
            Syncobj s = call.file().lookupSyncobj(args.handle());
            if (s == null) {
                return -Errno.ENOENT;
            }
            try {
                if (point != 0) {
                    s.addPoint(sf.syncFile().fence(), point);
                } else {
                    s.replaceFence(sf.syncFile().fence());
                }
            } finally {
                s.put();
            }
            return 0;
        }
        if (args.point() != 0) {
            return -Errno.EINVAL;
        }
        if (!(f instanceof SyncobjFile sof)) {
            return -Errno.EINVAL;
        }
        Syncobj s = sof.syncobj().get();
        int handle = call.file().syncobjInstall(s);
        Le.put32(k, DrmSyncobjHandle.OFFSET_HANDLE, handle);
        return 0;
    }

    int transfer(DrmCall call, byte[] k) {
        DrmSyncobjTransfer args = DrmSyncobjTransfer.decode(k);
        if (args.pad() != 0) {
            return -Errno.EINVAL;
        }
        Syncobj dst = call.file().lookupSyncobj(args.dstHandle());
        if (dst == null) {
            return -Errno.ENOENT;
        }
        try {
            DmaFence fence = findFence(call.file(), args.srcHandle(), args.srcPoint(), args.flags());
            if (args.dstPoint() != 0) {
                dst.addPoint(fence, args.dstPoint());
            } else {
                dst.replaceFence(fence);
            }
        } finally {
            dst.put();
        }
        return 0;
    }

    /**
     * {@code drm_syncobj_find_fence()}: ENOENT for an unknown handle, EINVAL if no fence is
     * there for the point, unless WAIT_FOR_SUBMIT, which waits up to 5 s (ETIME).
     */
    private DmaFence findFence(DrmFile file, int handle, long point, int flags) {
        Syncobj s = file.lookupSyncobj(handle);
        if (s == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        try {
            try {
                return s.findFence(point);
            } catch (Syncobj.NoFenceException e) {
                if ((flags & WAIT_FOR_SUBMIT) == 0) {
                    throw new ErrnoException(Errno.EINVAL, e.getMessage());
                }
            }
            if (!time().await(() -> s.hasFenceFor(point), WAIT_FOR_SUBMIT_TIMEOUT_NANOS)) {
                throw new ErrnoException(Errno.ETIME);
            }
            try {
                return s.findFence(point);
            } catch (Syncobj.NoFenceException e) {
                throw new ErrnoException(Errno.ETIME);
            }
        } finally {
            s.put();
        }
    }

    int reset(DrmCall call, byte[] k) {
        DrmSyncobjArray args = DrmSyncobjArray.decode(k);
        if (args.pad() != 0 || args.countHandles() == 0) {
            return -Errno.EINVAL;
        }
        Syncobj[] objs = findArray(call, args.handles(), args.countHandles());
        try {
            for (Syncobj s : objs) {
                s.replaceFence(null);
            }
        } finally {
            putAll(objs);
        }
        return 0;
    }

    int signal(DrmCall call, byte[] k) {
        DrmSyncobjArray args = DrmSyncobjArray.decode(k);
        if (args.pad() != 0 || args.countHandles() == 0) {
            return -Errno.EINVAL;
        }
        Syncobj[] objs = findArray(call, args.handles(), args.countHandles());
        try {
            for (Syncobj s : objs) {
                s.signalNow();
            }
        } finally {
            putAll(objs);
        }
        return 0;
    }

    int timelineSignal(DrmCall call, byte[] k) {
        DrmSyncobjTimelineArray args = DrmSyncobjTimelineArray.decode(k);
        if (args.flags() != 0 || args.countHandles() == 0) {
            return -Errno.EINVAL;
        }
        Syncobj[] objs = findArray(call, args.handles(), args.countHandles());
        try {
            long[] points = args.points() == 0 ? new long[objs.length]
                    : UabiCopy.copyU64Array(call.caller(), args.points(), objs.length);
            for (int i = 0; i < objs.length; i++) {
                objs[i].addPoint(DmaFence.signaledStub(time()::nowNanos), points[i]);
            }
        } finally {
            putAll(objs);
        }
        return 0;
    }

    int query(DrmCall call, byte[] k) {
        DrmSyncobjTimelineArray args = DrmSyncobjTimelineArray.decode(k);
        if ((args.flags() & ~DrmIoctls.DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED) != 0 || args.countHandles() == 0) {
            return -Errno.EINVAL;
        }
        boolean lastSubmitted = (args.flags() & DrmIoctls.DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED) != 0;
        Syncobj[] objs = findArray(call, args.handles(), args.countHandles());
        try {
            byte[] one = new byte[8];
            for (int i = 0; i < objs.length; i++) {
                Le.put64(one, 0, objs[i].queryPoint(lastSubmitted));
                if (!call.caller().copyToUser(args.points() + 8L * i, one, 0, 8)) {
                    return -Errno.EFAULT;
                }
            }
        } finally {
            putAll(objs);
        }
        return 0;
    }

    int waitIoctl(DrmCall call, byte[] k) {
        DrmSyncobjWait args = DrmSyncobjWait.decode(k);
        if ((args.flags() & ~(WAIT_ALL | WAIT_FOR_SUBMIT | WAIT_DEADLINE)) != 0 || args.countHandles() == 0) {
            return -Errno.EINVAL;
        }
        Syncobj[] objs = findArray(call, args.handles(), args.countHandles());
        try {
            int[] first = {~0};
            arrayWait(objs, new long[objs.length], args.flags(), args.timeoutNsec(), first);
            Le.put32(k, DrmSyncobjWait.OFFSET_FIRST_SIGNALED, first[0]);
        } finally {
            putAll(objs);
        }
        return 0;
    }

    int timelineWait(DrmCall call, byte[] k) {
        DrmSyncobjTimelineWait args = DrmSyncobjTimelineWait.decode(k);
        if ((args.flags() & ~(WAIT_ALL | WAIT_FOR_SUBMIT | WAIT_AVAILABLE | WAIT_DEADLINE)) != 0
                || args.countHandles() == 0) {
            return -Errno.EINVAL;
        }
        Syncobj[] objs = findArray(call, args.handles(), args.countHandles());
        try {
            long[] points = args.points() == 0 ? new long[objs.length]
                    : UabiCopy.copyU64Array(call.caller(), args.points(), objs.length);
            int[] first = {~0};
            arrayWait(objs, points, args.flags(), args.timeoutNsec(), first);
            Le.put32(k, DrmSyncobjTimelineWait.OFFSET_FIRST_SIGNALED, first[0]);
        } finally {
            putAll(objs);
        }
        return 0;
    }

    /** {@code drm_syncobj_array_find()}: EFAULT, ENOENT; every returned syncobj holds a reference. */
    private static Syncobj[] findArray(DrmCall call, long handlesPtr, int count) {
        int[] handles = UabiCopy.copyU32Array(call.caller(), handlesPtr, count);
        Syncobj[] objs = new Syncobj[count];
        for (int i = 0; i < count; i++) {
            objs[i] = call.file().lookupSyncobj(handles[i]);
            if (objs[i] == null) {
                for (int j = 0; j < i; j++) {
                    objs[j].put();
                }
                throw new ErrnoException(Errno.ENOENT, "no syncobj " + handles[i]);
            }
        }
        return objs;
    }

    private static void putAll(Syncobj[] objs) {
        for (Syncobj s : objs) {
            s.put();
        }
    }

    /** {@code drm_syncobj_array_wait_timeout()} with {@code drm_timeout_abs_to_jiffies()}. */
    private void arrayWait(Syncobj[] objs, long[] points, int flags, long timeoutNsec, int[] first) {
        long timeout = 0;
        if (timeoutNsec != 0) {
            long now = time().nowNanos();
            if (timeoutNsec > now) {
                timeout = Math.min(timeoutNsec - now, Long.MAX_VALUE / 4);
            }
        }
        int count = objs.length;
        DmaFence[] fences = new DmaFence[count];
        int signaled = 0;
        for (int i = 0; i < count; i++) {
            try {
                fences[i] = objs[i].findFence(points[i]);
            } catch (Syncobj.NoFenceException e) {
                if ((flags & (WAIT_FOR_SUBMIT | WAIT_AVAILABLE)) != 0) {
                    continue;
                }
                throw new ErrnoException(Errno.EINVAL, "syncobj without a fence");
            }
            if ((flags & WAIT_AVAILABLE) != 0 || fences[i].isSignaled()) {
                if (signaled == 0) {
                    first[0] = i;
                }
                signaled++;
            }
        }
        if (signaled == count || (signaled > 0 && (flags & WAIT_ALL) == 0)) {
            return;
        }
        boolean done = time().await(() -> {
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (fences[i] == null && (flags & WAIT_FOR_SUBMIT) != 0) {
                    try {
                        fences[i] = objs[i].findFence(points[i]);
                    } catch (Syncobj.NoFenceException e) {
                        continue;
                    }
                }
                DmaFence f = fences[i];
                if (f == null) {
                    continue;
                }
                if ((flags & WAIT_AVAILABLE) != 0 || f.isSignaled()) {
                    if ((flags & WAIT_ALL) != 0) {
                        n++;
                    } else {
                        first[0] = i;
                        return true;
                    }
                }
            }
            return n == count;
        }, timeout);
        if (!done) {
            throw new ErrnoException(Errno.ETIME);
        }
    }

    /** For tests and listings: what a process's fd refers to, if it is a syncobj or sync_file fd. */
    static Object fdObject(UserProcess process, int fd) {
        FileOps f = process.fget(fd);
        if (f instanceof SyncobjFile s) {
            return s.syncobj();
        }
        if (f instanceof SyncFileFile s) {
            return s.syncFile();
        }
        return null;
    }
}
