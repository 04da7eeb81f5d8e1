package conformance.internal.cases;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.Errno;
import java.util.List;

/** PRIME: dma-buf export and import, across processes by fd passing. */
public final class PrimeCases {

    private PrimeCases() {
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_prime@export-import-cross-process", ctx -> {
            Client a = ctx.open("primea");
            Client b = ctx.open("primeb");
            Client.Bo bo = a.bo(8192);
            long pa = a.mmap(bo);
            a.process().write64(pa + 4096, 0x0123_4567_89abL);
            int fd = a.drm().primeHandleToFd(bo.handle(), DrmIoctls.DRM_CLOEXEC | DrmIoctls.DRM_RDWR);
            int fdB = a.process().sendFd(fd, b.process());
            ctx.check(fdB >= 0, "sendFd: %d", fdB);
            int h = b.drm().primeFdToHandle(fdB);
            long pb = b.mmap(new Client.Bo(h, 8192));
            ctx.checkEq(0x0123_4567_89abL, b.process().read64(pb + 4096), "exporter's data seen by the importer");
            b.process().write64(pb, 77);
            ctx.checkEq(77L, a.process().read64(pa), "importer's write seen by the exporter");
        }));
        out.add(new Case("panthor_prime@self-import-same-handle", ctx -> {
            Client c = ctx.open("primeself");
            Client.Bo bo = c.bo(4096);
            int fd = c.drm().primeHandleToFd(bo.handle(), DrmIoctls.DRM_CLOEXEC);
            ctx.checkEq(bo.handle(), c.drm().primeFdToHandle(fd), "handle of a re-imported own export");
            ctx.checkEq(1, ctx.info(c).gemHandles(), "gem handles");
        }));
        out.add(new Case("panthor_prime@import-twice-same-handle", ctx -> {
            Client a = ctx.open("prime2a");
            Client b = ctx.open("prime2b");
            Client.Bo bo = a.bo(4096);
            int fd1 = a.process().sendFd(a.drm().primeHandleToFd(bo.handle(), 0), b.process());
            int fd2 = a.process().sendFd(a.drm().primeHandleToFd(bo.handle(), 0), b.process());
            int h1 = b.drm().primeFdToHandle(fd1);
            ctx.checkEq(h1, b.drm().primeFdToHandle(fd2), "second import of the same buffer");
        }));
        out.add(new Case("panthor_prime@export-unknown", ctx -> {
            Client c = ctx.open("primeunk");
            ctx.expectErrno(Errno.ENOENT, "PRIME_HANDLE_TO_FD of handle 99", () -> c.drm().primeHandleToFd(99, 0));
        }));
        out.add(new Case("panthor_prime@export-bad-flags", ctx -> {
            Client c = ctx.open("primeflg");
            Client.Bo bo = c.bo(4096);
            ctx.expectErrno(Errno.EINVAL, "PRIME_HANDLE_TO_FD flags 1<<4", () -> c.drm().primeHandleToFd(bo.handle(), 1 << 4));
        }));
        out.add(new Case("panthor_prime@import-bad-fd", ctx -> {
            Client c = ctx.open("primebfd");
            ctx.expectErrno(Errno.EBADF, "PRIME_FD_TO_HANDLE of fd 999", () -> c.drm().primeFdToHandle(999));
        }));
        out.add(new Case("panthor_prime@import-not-dmabuf", ctx -> {
            Client c = ctx.open("primesyn");
            int fd = c.drm().syncobjHandleToFd(c.syncobj(), 0, 0);
            ctx.expectErrno(Errno.EINVAL, "PRIME_FD_TO_HANDLE of a syncobj fd", () -> c.drm().primeFdToHandle(fd));
        }));
        out.add(new Case("panthor_prime@import-after-exporter-exit", ctx -> {
            Client a = ctx.open("primexa");
            Client b = ctx.open("primexb");
            Client.Bo bo = a.bo(4096);
            a.process().write64(a.mmap(bo), 0xabcdL);
            int fdB = a.process().sendFd(a.drm().primeHandleToFd(bo.handle(), 0), b.process());
            a.exit();
            int h = b.drm().primeFdToHandle(fdB);
            ctx.checkEq(0xabcdL, b.process().read64(b.mmap(new Client.Bo(h, 4096))), "contents after the exporter exited");
        }));
        out.add(new Case("panthor_prime@export-exclusive-vm", ctx -> {
            Client c = ctx.open("primeexc");
            int vm = c.vm();
            Client.Bo bo = c.bo(4096, 0, vm);
            ctx.expectErrno(Errno.EINVAL, "PRIME_HANDLE_TO_FD of a VM-exclusive BO", () -> c.drm().primeHandleToFd(bo.handle(), 0));
        }));
    }
}
