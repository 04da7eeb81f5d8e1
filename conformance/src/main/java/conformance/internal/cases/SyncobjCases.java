package conformance.internal.cases;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmSyncobjDestroy;
import driver.core.uapi.Errno;
import driver.core.user.PanthorClient;
import java.util.List;

/** DRM syncobjs: binary and timeline, wait/signal/reset/transfer/query, fd and sync_file passing between processes. */
public final class SyncobjCases {

    private static final int WAIT_ALL = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
    private static final int WAIT_FOR_SUBMIT = DrmIoctls.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
    private static final long MS = 1_000_000L;

    private SyncobjCases() {
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_syncobj@create-destroy", ctx -> {
            Client c = ctx.open("sycreate");
            int s = c.syncobj();
            ctx.check(s >= 1, "handle %d", s);
            c.drm().syncobjDestroy(s);
            ctx.expectErrno(Errno.EINVAL, "second SYNCOBJ_DESTROY", () -> c.drm().syncobjDestroy(s));
            ctx.expectErrno(Errno.EINVAL, "SYNCOBJ_CREATE flags 2", () -> c.drm().syncobjCreate(2));
        }));
        out.add(new Case("panthor_syncobj@destroy-nonzero-pad", ctx -> {
            Client c = ctx.open("sypad");
            int s = c.syncobj();
            ctx.expectResult(Errno.EINVAL, "SYNCOBJ_DESTROY with pad 1",
                    c.raw(DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY, new DrmSyncobjDestroy(s, 1).toBytes(), null));
            ctx.checkEq(1, ctx.info(c).syncobjs(), "syncobjs after the rejected destroy");
        }));
        out.add(new Case("panthor_syncobj@create-signaled", ctx -> {
            Client c = ctx.open("sysig");
            int s = c.syncobjSignaled();
            ctx.checkEq(0, c.drm().syncobjWait(new int[] {s}, 0, 0), "first_signaled of a signaled syncobj");
        }));
        out.add(new Case("panthor_syncobj@wait-no-fence", ctx -> {
            PanthorClient c = ctx.open("sywnf").drm();
            int s = c.syncobjCreate(0);
            ctx.expectErrno(Errno.EINVAL, "SYNCOBJ_WAIT on a syncobj without a fence",
                    () -> c.syncobjWait(new int[] {s}, 0, 0));
            long deadline = ctx.time().nowNanos() + MS;
            ctx.expectErrno(Errno.ETIME, "WAIT_FOR_SUBMIT that runs out",
                    () -> c.syncobjWait(new int[] {s}, deadline, WAIT_FOR_SUBMIT));
        }));
        out.add(new Case("panthor_syncobj@signal-reset", ctx -> {
            Client c = ctx.open("sysigrst");
            int s = c.syncobj();
            c.drm().syncobjSignal(s);
            ctx.check(c.isSignaled(s), "not signaled after SYNCOBJ_SIGNAL");
            c.drm().syncobjReset(s);
            ctx.expectErrno(Errno.EINVAL, "SYNCOBJ_WAIT after SYNCOBJ_RESET", () -> c.drm().syncobjWait(new int[] {s}, 0, 0));
        }));
        out.add(new Case("panthor_syncobj@wait-any-all", ctx -> {
            PanthorClient c = ctx.open("syanyall").drm();
            int pending = c.syncobjCreate(0);
            int done = c.syncobjCreate(DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED);
            ctx.checkEq(1, c.syncobjWait(new int[] {pending, done}, 0, WAIT_FOR_SUBMIT), "first_signaled of WAIT any");
            long deadline = ctx.time().nowNanos() + MS;
            ctx.expectErrno(Errno.ETIME, "WAIT_ALL with one syncobj never signaled",
                    () -> c.syncobjWait(new int[] {pending, done}, deadline, WAIT_ALL | WAIT_FOR_SUBMIT));
        }));
        out.add(new Case("panthor_syncobj@wait-bad-args", ctx -> {
            PanthorClient c = ctx.open("sywbad").drm();
            int s = c.syncobjCreate(DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED);
            ctx.expectErrno(Errno.EINVAL, "SYNCOBJ_WAIT of no handles", () -> c.syncobjWait(new int[0], 0, 0));
            ctx.expectErrno(Errno.ENOENT, "SYNCOBJ_WAIT of handle 99", () -> c.syncobjWait(new int[] {s, 99}, 0, 0));
            ctx.expectErrno(Errno.EINVAL, "SYNCOBJ_WAIT flags 1<<6", () -> c.syncobjWait(new int[] {s}, 0, 1 << 6));
            ctx.expectErrno(Errno.ENOENT, "SYNCOBJ_SIGNAL of handle 99", () -> c.syncobjSignal(99));
        }));
        out.add(new Case("panthor_syncobj@timeline-signal-query", ctx -> {
            Client c = ctx.open("sytl");
            int t = c.syncobj();
            c.drm().syncobjTimelineSignal(new int[] {t}, new long[] {3});
            ctx.checkEq(3L, c.drm().syncobjQuery(new int[] {t}, 0)[0], "SYNCOBJ_QUERY point");
            ctx.check(c.isPointSignaled(t, 3), "point 3 not signaled");
            ctx.check(c.isPointSignaled(t, 2), "point 2 (below the last) not signaled");
            long deadline = ctx.time().nowNanos() + MS;
            ctx.expectErrno(Errno.ETIME, "WAIT_FOR_SUBMIT on point 4", () -> c.drm().syncobjTimelineWait(new int[] {t},
                    new long[] {4}, deadline, WAIT_FOR_SUBMIT));
            c.drm().syncobjTimelineSignal(new int[] {t}, new long[] {7});
            ctx.checkEq(7L, c.drm().syncobjQuery(new int[] {t}, 0)[0], "point after a second signal");
        }));
        out.add(new Case("panthor_syncobj@transfer-binary-to-timeline", ctx -> {
            Client c = ctx.open("sytrbt");
            int bin = c.syncobjSignaled();
            int tl = c.syncobj();
            c.drm().syncobjTransfer(bin, 0, tl, 5, 0);
            ctx.checkEq(5L, c.drm().syncobjQuery(new int[] {tl}, 0)[0], "timeline point after TRANSFER");
            ctx.check(c.isPointSignaled(tl, 5), "transferred point 5 not signaled");
        }));
        out.add(new Case("panthor_syncobj@transfer-timeline-to-binary", ctx -> {
            Client c = ctx.open("sytrtb");
            int tl = c.syncobj();
            c.drm().syncobjTimelineSignal(new int[] {tl}, new long[] {2});
            int bin = c.syncobj();
            c.drm().syncobjTransfer(tl, 2, bin, 0, 0);
            ctx.check(c.isSignaled(bin), "binary syncobj not signaled after TRANSFER of a signaled point");
        }));
        out.add(new Case("panthor_syncobj@transfer-errors", ctx -> {
            Client c = ctx.open("sytrerr");
            int empty = c.syncobj();
            int dst = c.syncobj();
            ctx.expectErrno(Errno.ENOENT, "TRANSFER to handle 99", () -> c.drm().syncobjTransfer(empty, 0, 99, 0, 0));
            ctx.expectErrno(Errno.EINVAL, "TRANSFER from a syncobj without a fence",
                    () -> c.drm().syncobjTransfer(empty, 0, dst, 0, 0));
        }));
        out.add(new Case("panthor_syncobj@fd-across-processes", ctx -> {
            Client a = ctx.open("syfda");
            Client b = ctx.open("syfdb");
            int s = a.syncobj();
            int fd = a.drm().syncobjHandleToFd(s, 0, 0);
            int fdB = a.process().sendFd(fd, b.process());
            int h = b.drm().syncobjFdToHandle(fdB, 0, 0, 0);
            ctx.check(!b.isSignaled(h), "imported syncobj signaled before anybody signaled it");
            a.drm().syncobjSignal(s);
            ctx.check(b.isSignaled(h), "the importer does not see the exporter's signal");
            b.drm().syncobjReset(h);
            ctx.check(!a.isSignaled(s), "the exporter does not see the importer's reset");
        }));
        out.add(new Case("panthor_syncobj@sync-file-across-processes", ctx -> {
            Client a = ctx.open("sysfa");
            Client b = ctx.open("sysfb");
            int s = a.syncobjSignaled();
            int sf = a.drm().syncobjHandleToFd(s, DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, 0);
            int sfB = a.process().sendFd(sf, b.process());
            int h = b.syncobj();
            b.drm().syncobjFdToHandle(sfB, h, DrmIoctls.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, 0);
            ctx.check(b.isSignaled(h), "syncobj not signaled after importing a signaled sync_file");
        }));
        out.add(new Case("panthor_syncobj@sync-file-export-no-fence", ctx -> {
            Client c = ctx.open("sysfnf");
            int s = c.syncobj();
            ctx.expectErrno(Errno.EINVAL, "EXPORT_SYNC_FILE of a syncobj without a fence",
                    () -> c.drm().syncobjHandleToFd(s, DrmIoctls.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, 0));
        }));
        out.add(new Case("panthor_syncobj@import-wrong-fd", ctx -> {
            Client c = ctx.open("sywrongfd");
            int dmabuf = c.drm().primeHandleToFd(c.bo(4096).handle(), 0);
            ctx.expectErrno(Errno.EINVAL, "FD_TO_HANDLE of a dma-buf fd", () -> c.drm().syncobjFdToHandle(dmabuf, 0, 0, 0));
        }));
        out.add(new Case("panthor_syncobj@fd-outlives-handle", ctx -> {
            Client a = ctx.open("syfdkeep");
            Client b = ctx.open("syfdkeep2");
            int s = a.syncobjSignaled();
            int fdB = a.process().sendFd(a.drm().syncobjHandleToFd(s, 0, 0), b.process());
            a.drm().syncobjDestroy(s);
            int h = b.drm().syncobjFdToHandle(fdB, 0, 0, 0);
            ctx.check(b.isSignaled(h), "syncobj imported after the exporter destroyed its handle is not signaled");
        }));
    }
}
