package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.DmaFence;
import driver.core.kernel.SyncFile;
import driver.core.kernel.Syncobj;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmSyncobjArray;
import driver.core.uapi.DrmSyncobjCreate;
import driver.core.uapi.DrmSyncobjDestroy;
import driver.core.uapi.DrmSyncobjHandle;
import driver.core.uapi.DrmSyncobjTimelineArray;
import driver.core.uapi.DrmSyncobjTransfer;
import driver.core.uapi.DrmSyncobjWait;
import driver.core.uapi.Errno;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncobjIoctlsTest {

    private static final int WAIT_ALL = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
    private static final int WAIT_FOR_SUBMIT = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
    private static final int WAIT_AVAILABLE = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
    private static final long MS = 1_000_000L;

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("a");
    private final TestBed.Proc b = bed.open("b");
    private final PanthorClient ca = new PanthorClient(a.p(), a.fd());
    private final PanthorClient cb = new PanthorClient(b.p(), b.fd());

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private long now() {
        return bed.model.clock().nowNanos();
    }

    private Syncobj obj(TestBed.Proc p, int handle) {
        Syncobj s = p.file().lookupSyncobj(handle);
        s.put();
        return s;
    }

    private static int errno(Runnable r) {
        return assertThrows(IoctlException.class, r::run).errno();
    }

    @Test
    void createAndDestroy() {
        int h = ca.syncobjCreate(0);
        assertEquals(1, h);
        assertEquals(2, ca.syncobjCreate(DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED));
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE, new DrmSyncobjCreate(0, 2)).ret());
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY, new DrmSyncobjDestroy(h, 1)).ret());
        assertEquals(-Errno.EINVAL, b.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY, new DrmSyncobjDestroy(h + 7, 0)).ret());
        assertEquals(2, a.file().syncobjHandles().size(), "rejected calls changed nothing");
        ca.syncobjDestroy(h);
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjDestroy(h)));
    }

    @Test
    void waitPollsTimesOutAndSeesSignals() {
        int h = ca.syncobjCreate(0);
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjWait(new int[] {h}, 0, 0)), "no fence, no WAIT_FOR_SUBMIT");
        Syncobj s = obj(a, h);
        DmaFence f = new DmaFence(DmaFence.allocContext(), 1, this::now);
        s.replaceFence(f);
        assertEquals(Errno.ETIME, errno(() -> ca.syncobjWait(new int[] {h}, 0, 0)), "poll");
        long start = now();
        assertEquals(Errno.ETIME, errno(() -> ca.syncobjWait(new int[] {h}, start + 10 * MS, 0)));
        assertEquals(start + 10 * MS, now(), "the wait used exactly its timeout of virtual time");
        bed.model.clock().schedule(3 * MS, f::signal);
        assertEquals(0, ca.syncobjWait(new int[] {h}, now() + 100 * MS, 0));
        assertEquals(start + 13 * MS, now());
    }

    @Test
    void waitAllAndFirstSignaled() {
        int h1 = ca.syncobjCreate(0);
        int h2 = ca.syncobjCreate(DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED);
        DmaFence f = new DmaFence(DmaFence.allocContext(), 1, this::now);
        obj(a, h1).replaceFence(f);
        assertEquals(1, ca.syncobjWait(new int[] {h1, h2}, 0, 0));
        assertEquals(Errno.ETIME, errno(() -> ca.syncobjWait(new int[] {h1, h2}, now() + MS, WAIT_ALL)));
        f.signal();
        assertEquals(0, ca.syncobjWait(new int[] {h1, h2}, 0, WAIT_ALL));
        DmaFence g = new DmaFence(DmaFence.allocContext(), 1, this::now);
        obj(a, h1).replaceFence(g);
        bed.model.clock().schedule(MS, g::signal);
        assertEquals(1, ca.syncobjWait(new int[] {h1, h2}, now() + 5 * MS, WAIT_ALL), "first signaled at the scan");
    }

    @Test
    void waitForSubmitCoversTheFencesArrival() {
        int h = ca.syncobjCreate(0);
        Syncobj s = obj(a, h);
        bed.model.clock().schedule(2 * MS, () -> s.replaceFence(DmaFence.signaledStub(this::now)));
        assertEquals(0, ca.syncobjWait(new int[] {h}, now() + 10 * MS, WAIT_FOR_SUBMIT));
        assertEquals(Errno.ETIME, errno(() -> ca.syncobjWait(new int[] {ca.syncobjCreate(0)}, now() + MS, WAIT_FOR_SUBMIT)));
    }

    @Test
    void waitRejectsBadArguments() {
        int h = ca.syncobjCreate(1);
        long handles = a.p().allocBytes(new byte[] {(byte) h, 0, 0, 0});
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT, new DrmSyncobjWait(handles, 0, 0, 0, 0, 0, 0)).ret());
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT,
                new DrmSyncobjWait(handles, 0, 1, WAIT_AVAILABLE, 0, 0, 0)).ret(), "WAIT_AVAILABLE is timeline-only");
        assertEquals(-Errno.EFAULT, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT, new DrmSyncobjWait(handles, 0, 2, 0, 0, 0, 0)).ret());
        assertEquals(-Errno.ENOENT, b.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT,
                new DrmSyncobjWait(b.p().allocBytes(new byte[] {9, 0, 0, 0}), 0, 1, 0, 0, 0, 0)).ret());
        assertEquals(0, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT,
                new DrmSyncobjWait(handles, 0, 1, DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE, 0, 0, 123)).ret());
    }

    @Test
    void resetAndSignal() {
        int h = ca.syncobjCreate(DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED);
        ca.syncobjReset(h);
        assertEquals(null, obj(a, h).fence());
        ca.syncobjSignal(h);
        assertTrue(obj(a, h).fence().isSignaled());
        long handles = a.p().allocBytes(new byte[] {(byte) h, 0, 0, 0});
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_RESET, new DrmSyncobjArray(handles, 1, 1)).ret());
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_SIGNAL, new DrmSyncobjArray(handles, 0, 0)).ret());
        assertTrue(obj(a, h).fence().isSignaled(), "rejected reset changed nothing");
    }

    @Test
    void timelineSignalQueryWaitAndAvailable() {
        int t = ca.syncobjCreate(0);
        ca.syncobjTimelineSignal(new int[] {t}, new long[] {3});
        assertArrayEquals(new long[] {3}, ca.syncobjQuery(new int[] {t}, 0));
        DmaFence pending = new DmaFence(DmaFence.allocContext(), 1, this::now);
        obj(a, t).addPoint(pending, 7);
        assertArrayEquals(new long[] {3}, ca.syncobjQuery(new int[] {t}, 0));
        assertArrayEquals(new long[] {7}, ca.syncobjQuery(new int[] {t}, DrmIoctls.DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED));
        assertEquals(0, ca.syncobjTimelineWait(new int[] {t}, new long[] {2}, 0, 0));
        assertEquals(Errno.ETIME, errno(() -> ca.syncobjTimelineWait(new int[] {t}, new long[] {5}, now() + MS, 0)));
        assertEquals(0, ca.syncobjTimelineWait(new int[] {t}, new long[] {7}, 0, WAIT_AVAILABLE));
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjTimelineWait(new int[] {t}, new long[] {9}, 0, 0)));
        bed.model.clock().schedule(MS, () -> obj(a, t).addPoint(DmaFence.signaledStub(this::now), 9));
        assertEquals(0, ca.syncobjTimelineWait(new int[] {t}, new long[] {9}, now() + 5 * MS, WAIT_AVAILABLE | WAIT_FOR_SUBMIT));
        pending.signal();
        assertArrayEquals(new long[] {9}, ca.syncobjQuery(new int[] {t}, 0));
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_QUERY, new DrmSyncobjTimelineArray(0, 0, 1, 2)).ret());
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, new DrmSyncobjTimelineArray(0, 0, 1, 1)).ret());
        long handles = a.p().allocBytes(new byte[] {(byte) t, 0, 0, 0});
        assertEquals(-Errno.EFAULT, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_QUERY, new DrmSyncobjTimelineArray(handles, 0x20, 1, 0)).ret());
    }

    @Test
    void transferBetweenBinaryAndTimeline() {
        int bin = ca.syncobjCreate(0);
        int tl = ca.syncobjCreate(0);
        DmaFence f = new DmaFence(DmaFence.allocContext(), 1, this::now);
        obj(a, bin).replaceFence(f);
        ca.syncobjTransfer(bin, 0, tl, 4, 0);
        assertArrayEquals(new long[] {4}, ca.syncobjQuery(new int[] {tl}, DrmIoctls.DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED));
        int bin2 = ca.syncobjCreate(0);
        ca.syncobjTransfer(tl, 4, bin2, 0, 0);
        assertFalse(obj(a, bin2).fence().isSignaled());
        f.signal();
        assertTrue(obj(a, bin2).fence().isSignaled());
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER, new DrmSyncobjTransfer(bin, tl, 0, 5, 0, 1)).ret());
        assertEquals(-Errno.ENOENT, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER, new DrmSyncobjTransfer(bin, 99, 0, 5, 0, 0)).ret());
        assertEquals(-Errno.ENOENT, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER, new DrmSyncobjTransfer(99, tl, 0, 5, 0, 0)).ret());
        int empty = ca.syncobjCreate(0);
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER, new DrmSyncobjTransfer(empty, tl, 0, 5, 0, 0)).ret());
        long before = now();
        assertEquals(-Errno.ETIME, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER,
                new DrmSyncobjTransfer(empty, tl, 0, 5, WAIT_FOR_SUBMIT, 0)).ret());
        assertEquals(before + 5_000 * MS, now(), "WAIT_FOR_SUBMIT gives up after 5 s");
    }

    @Test
    void syncobjFdsShareTheObjectBetweenProcesses() {
        int h = ca.syncobjCreate(0);
        int fd = ca.syncobjHandleToFd(h, 0, 0);
        int theirFd = a.p().sendFd(fd, b.p());
        a.p().close(fd);
        int theirs = cb.syncobjFdToHandle(theirFd, 0, 0, 0);
        assertSame(obj(a, h), obj(b, theirs));
        ca.syncobjDestroy(h);
        cb.syncobjSignal(theirs);
        assertTrue(obj(b, theirs).fence().isSignaled());
        assertEquals(Errno.EINVAL, errno(() -> cb.syncobjFdToHandle(99, 0, 0, 0)));
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjHandleToFd(h, 0, 0)), "destroyed handle");
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjHandleToFd(h, 4, 0)), "unknown flag");
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, new DrmSyncobjHandle(1, 0, 0, 1, 0)).ret());
    }

    @Test
    void syncFileExportIsASnapshotAndImportsIntoAnotherProcess() {
        int h = ca.syncobjCreate(0);
        DmaFence f = new DmaFence(DmaFence.allocContext(), 1, this::now);
        obj(a, h).replaceFence(f);
        int syncFd = ca.syncobjHandleToFd(h, DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, 0);
        assertSame(f, ((SyncFile) SyncobjIoctls.fdObject(a.p(), syncFd)).fence());
        ca.syncobjReset(h);
        int theirFd = a.p().sendFd(syncFd, b.p());
        int target = cb.syncobjCreate(0);
        cb.syncobjFdToHandle(theirFd, target, DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, 0);
        assertSame(f, obj(b, target).fence());
        assertEquals(Errno.ETIME, errno(() -> cb.syncobjWait(new int[] {target}, 0, 0)));
        f.signal();
        assertEquals(0, cb.syncobjWait(new int[] {target}, 0, 0));
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjHandleToFd(h, DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, 0)),
                "reset syncobj has no fence to export");
        assertEquals(Errno.ENOENT, errno(() -> cb.syncobjFdToHandle(theirFd, 77, DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, 0)));
        int syncobjFd = cb.syncobjHandleToFd(target, 0, 0);
        assertEquals(Errno.EINVAL, errno(() -> cb.syncobjFdToHandle(syncobjFd, target, DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, 0)),
                "a syncobj fd is not a sync_file");
    }

    @Test
    void timelinePointsExportAndImportAsSyncFiles() {
        int t = ca.syncobjCreate(0);
        DmaFence f2 = new DmaFence(DmaFence.allocContext(), 1, this::now);
        obj(a, t).addPoint(DmaFence.signaledStub(this::now), 1);
        obj(a, t).addPoint(f2, 2);
        int flags = DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE | DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE;
        int p1 = ca.syncobjHandleToFd(t, flags, 1);
        int p2 = ca.syncobjHandleToFd(t, flags, 2);
        assertTrue(((SyncFile) SyncobjIoctls.fdObject(a.p(), p1)).fence().isSignaled());
        assertFalse(((SyncFile) SyncobjIoctls.fdObject(a.p(), p2)).fence().isSignaled());
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjHandleToFd(t, flags, 3)));
        assertEquals(Errno.EINVAL, errno(() -> ca.syncobjHandleToFd(t, DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE, 2)),
                "a point without EXPORT_SYNC_FILE");
        int other = cb.syncobjCreate(0);
        int fdInB = a.p().sendFd(p2, b.p());
        cb.syncobjFdToHandle(fdInB, other, DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE
                | DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE, 10);
        assertArrayEquals(new long[] {10}, cb.syncobjQuery(new int[] {other}, DrmIoctls.DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED));
        assertArrayEquals(new long[] {0}, cb.syncobjQuery(new int[] {other}, 0));
        f2.signal();
        assertArrayEquals(new long[] {10}, cb.syncobjQuery(new int[] {other}, 0));
    }

    @Test
    void closingAllReferencesFreesTheSyncobj() {
        int h = ca.syncobjCreate(0);
        Syncobj s = obj(a, h);
        int fd = ca.syncobjHandleToFd(h, 0, 0);
        assertEquals(2, s.refCount());
        a.p().close(a.fd());
        assertEquals(1, s.refCount());
        a.p().close(fd);
        assertEquals(0, s.refCount());
    }
}
