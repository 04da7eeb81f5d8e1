package conformance.internal.cases;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.api.DrmClientInfo;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorSetUserMmioOffset;
import driver.core.uapi.Errno;
import driver.core.uapi.Ioc;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.util.List;

/** DRM core behaviour of the render node: version, capabilities, dispatch, user MMIO, fdinfo, release. */
public final class CoreCases {

    private CoreCases() {
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_core@version", ctx -> {
            PanthorClient.Version v = ctx.open("version").drm().version();
            ctx.checkEq("panthor", v.name(), "DRM_IOCTL_VERSION name");
            ctx.checkEq(1, v.major(), "major version");
            ctx.check(v.minor() >= 0, "minor version %d", v.minor());
            ctx.check(!v.desc().isEmpty(), "empty description");
        }));
        out.add(new Case("panthor_core@get-cap", ctx -> {
            PanthorClient c = ctx.open("getcap").drm();
            ctx.checkEq(DrmIoctls.DRM_PRIME_CAP_IMPORT | DrmIoctls.DRM_PRIME_CAP_EXPORT, c.getCap(DrmIoctls.DRM_CAP_PRIME),
                    "DRM_CAP_PRIME");
            ctx.checkEq(1L, c.getCap(DrmIoctls.DRM_CAP_SYNCOBJ), "DRM_CAP_SYNCOBJ");
            ctx.checkEq(1L, c.getCap(DrmIoctls.DRM_CAP_SYNCOBJ_TIMELINE), "DRM_CAP_SYNCOBJ_TIMELINE");
        }));
        out.add(new Case("panthor_core@unknown-ioctl", ctx -> {
            Client c = ctx.open("badioctl");
            int beyond = Ioc.iowr(DrmIoctls.BASE, DrmIoctls.COMMAND_BASE + PanthorIoctls.COUNT, 16);
            ctx.expectResult(Errno.EINVAL, "panthor ioctl nr 0x40+" + PanthorIoctls.COUNT, c.raw(beyond, new byte[16], null));
        }));
        out.add(new Case("panthor_core@user-mmio-flush-id", ctx -> {
            Client c = ctx.open("flushid");
            long addr = c.drm().mapFlushId();
            c.process().read32(addr);
            UserProcess p = c.process();
            long rw = p.mmap(c.drm().fd(), PanthorIoctls.DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET, UserProcess.PAGE_SIZE,
                    UserProcess.PROT_READ | UserProcess.PROT_WRITE, UserProcess.MAP_SHARED);
            ctx.checkEq((long) -Errno.EINVAL, rw, "writable mapping of the FLUSH_ID page");
            long two = p.mmap(c.drm().fd(), PanthorIoctls.DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET, 2L * UserProcess.PAGE_SIZE,
                    UserProcess.PROT_READ, UserProcess.MAP_SHARED);
            ctx.checkEq((long) -Errno.EINVAL, two, "two-page mapping of the FLUSH_ID page");
        }));
        out.add(new Case("panthor_core@set-user-mmio-offset", ctx -> {
            Client c = ctx.open("mmiooff");
            ctx.expectResult(Errno.EINVAL, "offset 1<<40", c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET,
                    new DrmPanthorSetUserMmioOffset(1L << 40).toBytes(), null));
            c.drm().setUserMmioOffset(PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT);
        }));
        out.add(new Case("panthor_core@fdinfo-objects", ctx -> {
            Client c = ctx.open("fdinfo");
            Client.Bo bo = c.bo(64 * 1024);
            int s = c.syncobj();
            DrmClientInfo info = ctx.info(c);
            ctx.checkEq(1, info.gemHandles(), "drm-client gem handles");
            ctx.checkEq(1, info.syncobjs(), "drm-client syncobjs");
            ctx.checkEq("render", info.node(), "node");
            c.drm().gemClose(bo.handle());
            c.drm().syncobjDestroy(s);
            info = ctx.info(c);
            ctx.checkEq(0, info.gemHandles(), "gem handles after GEM_CLOSE");
            ctx.checkEq(0, info.syncobjs(), "syncobjs after SYNCOBJ_DESTROY");
        }));
        out.add(new Case("panthor_core@exit-releases-file", ctx -> {
            Client c = ctx.open("exit");
            c.bo(4096);
            c.syncobj();
            long addr = c.mmap(c.bo(8192));
            c.process().write64(addr, 42);
            int pid = c.process().pid();
            c.exit();
            for (DrmClientInfo i : ctx.drm().clients()) {
                ctx.check(i.pid() != pid, "DRM file of pid %d still listed after exit", pid);
            }
        }));
        out.add(new Case("panthor_core@close-fd-keeps-mapping", ctx -> {
            Client c = ctx.open("closefd");
            Client.Bo bo = c.bo(4096);
            long addr = c.mmap(bo);
            c.process().write64(addr, 0x1234_5678_9abcL);
            ctx.checkEq(0, c.process().close(c.drm().fd()), "close(drm fd)");
            ctx.checkEq(0x1234_5678_9abcL, c.process().read64(addr), "BO contents through a mapping that outlives the fd");
        }));
    }
}
