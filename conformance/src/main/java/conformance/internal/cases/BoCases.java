package conformance.internal.cases;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorBoQueryInfo;
import driver.core.uapi.DrmPanthorBoSyncOp;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.util.List;

/** GEM objects: BO_CREATE, BO_MMAP_OFFSET and mmap, GEM_CLOSE, BO_SET_LABEL, BO_QUERY_INFO, BO_SYNC, exclusive VMs. */
public final class BoCases {

    private static final int NO_MMAP = PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP;
    private static final int WB_MMAP = PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP;

    private BoCases() {
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_bo@create-basic", ctx -> {
            Client c = ctx.open("bocreate");
            Client.Bo a = c.bo(4096);
            Client.Bo b = c.bo(4096);
            ctx.check(a.handle() >= 1, "handle %d", a.handle());
            ctx.check(a.handle() != b.handle(), "two BOs share handle %d", a.handle());
            ctx.checkEq(4096L, a.size(), "size");
        }));
        out.add(new Case("panthor_bo@create-rounds-up", ctx -> {
            Client c = ctx.open("boround");
            ctx.checkEq(4096L, c.bo(1).size(), "size of a 1-byte BO");
            ctx.checkEq(8192L, c.bo(4097).size(), "size of a 4097-byte BO");
        }));
        out.add(new Case("panthor_bo@create-huge-is-lazy", ctx -> {
            Client c = ctx.open("bohuge");
            // Like shmem, pages come at first use: an object far larger than memory can be created.
            Client.Bo bo = c.bo(16L << 30);
            ctx.checkEq(16L << 30, bo.size(), "size of a 16 GiB BO");
            ctx.checkEq(0L, ctx.info(c).residentBytes(), "resident bytes of an unused BO");
            c.drm().gemClose(bo.handle());
        }));
        out.add(new Case("panthor_bo@create-zero-size", ctx -> {
            Client c = ctx.open("bozero");
            ctx.expectErrno(Errno.EINVAL, "BO_CREATE size 0", () -> c.bo(0));
        }));
        out.add(new Case("panthor_bo@create-bad-flags", ctx -> {
            Client c = ctx.open("boflags");
            ctx.expectErrno(Errno.EINVAL, "BO_CREATE flags 1<<7", () -> c.bo(4096, 1 << 7, 0));
            ctx.expectErrno(Errno.EINVAL, "BO_CREATE NO_MMAP|WB_MMAP", () -> c.bo(4096, NO_MMAP | WB_MMAP, 0));
            ctx.checkEq(0, ctx.info(c).gemHandles(), "handles after rejected creates");
        }));
        out.add(new Case("panthor_bo@create-nonzero-pad", ctx -> {
            Client c = ctx.open("bopad");
            byte[] arg = new DrmPanthorBoCreate(4096, 0, 0, 0, 1).toBytes();
            ctx.expectResult(Errno.EINVAL, "BO_CREATE with pad 1", c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, arg, null));
        }));
        out.add(new Case("panthor_bo@create-exclusive-unknown-vm", ctx -> {
            Client c = ctx.open("boexclx");
            ctx.expectErrno(Errno.EINVAL, "BO_CREATE exclusive to VM 7 of none", () -> c.bo(4096, 0, 7));
        }));
        out.add(new Case("panthor_bo@mmap-offset", ctx -> {
            PanthorClient c = ctx.open("bomoff").drm();
            Client.Bo a = new Client.Bo(c.boCreate(4096, 0, 0).handle(), 4096);
            Client.Bo b = new Client.Bo(c.boCreate(4096, 0, 0).handle(), 4096);
            long oa = c.boMmapOffset(a.handle());
            ctx.check(oa != 0 && oa % UserProcess.PAGE_SIZE == 0, "offset 0x%x", oa);
            ctx.checkEq(oa, c.boMmapOffset(a.handle()), "offset of the same BO asked twice");
            ctx.check(c.boMmapOffset(b.handle()) != oa, "two BOs share fake offset 0x%x", oa);
        }));
        out.add(new Case("panthor_bo@mmap-read-write", ctx -> {
            Client c = ctx.open("bommap");
            Client.Bo bo = c.bo(3 * 4096);
            long a = c.mmap(bo);
            long b = c.mmap(bo);
            ctx.checkEq(0L, c.process().read64(a + 8192), "fresh BO contents");
            c.process().write64(a + 8192, 0xfeed_beefL);
            ctx.checkEq(0xfeed_beefL, c.process().read64(b + 8192), "the write through the other mapping");
        }));
        out.add(new Case("panthor_bo@mmap-no-mmap", ctx -> {
            Client c = ctx.open("bonommap");
            Client.Bo bo = c.bo(4096, NO_MMAP, 0);
            ctx.expectErrno(Errno.EPERM, "BO_MMAP_OFFSET of a NO_MMAP BO", () -> c.drm().boMmapOffset(bo.handle()));
        }));
        out.add(new Case("panthor_bo@mmap-offset-unknown", ctx -> {
            Client c = ctx.open("bomunk");
            ctx.expectErrno(Errno.ENOENT, "BO_MMAP_OFFSET of handle 77", () -> c.drm().boMmapOffset(77));
        }));
        out.add(new Case("panthor_bo@mmap-other-file", ctx -> {
            Client a = ctx.open("bomofa");
            Client b = ctx.open("bomofb");
            long off = a.drm().boMmapOffset(a.bo(4096).handle());
            long r = b.process().mmap(b.drm().fd(), off, 4096, UserProcess.PROT_READ | UserProcess.PROT_WRITE,
                    UserProcess.MAP_SHARED);
            ctx.checkEq((long) -Errno.EACCES, r, "mmap of another file's fake offset");
        }));
        out.add(new Case("panthor_bo@close", ctx -> {
            Client c = ctx.open("boclose");
            Client.Bo bo = c.bo(4096);
            c.drm().gemClose(bo.handle());
            ctx.expectErrno(Errno.ENOENT, "BO_MMAP_OFFSET after GEM_CLOSE", () -> c.drm().boMmapOffset(bo.handle()));
            ctx.expectErrno(Errno.EINVAL, "second GEM_CLOSE", () -> c.drm().gemClose(bo.handle()));
        }));
        out.add(new Case("panthor_bo@close-unknown", ctx -> {
            Client c = ctx.open("boclunk");
            ctx.expectErrno(Errno.EINVAL, "GEM_CLOSE of handle 99", () -> c.drm().gemClose(99));
        }));
        out.add(new Case("panthor_bo@mapping-outlives-close", ctx -> {
            Client c = ctx.open("bokeep");
            Client.Bo bo = c.bo(4096);
            long a = c.mmap(bo);
            c.process().write64(a, 0x5a5a_5a5aL);
            c.drm().gemClose(bo.handle());
            ctx.checkEq(0x5a5a_5a5aL, c.process().read64(a), "contents after GEM_CLOSE through a live mapping");
            ctx.checkEq(0, c.process().munmap(a, 4096), "munmap");
        }));
        out.add(new Case("panthor_bo@set-label", ctx -> {
            Client c = ctx.open("bolabel");
            Client.Bo bo = c.bo(4096);
            c.drm().boSetLabel(bo.handle(), "conformance vertex buffer");
            c.drm().boSetLabel(bo.handle(), null);
            ctx.expectErrno(Errno.ENOENT, "BO_SET_LABEL of handle 99", () -> c.drm().boSetLabel(99, "x"));
        }));
        out.add(new Case("panthor_bo@set-label-too-long", ctx -> {
            Client c = ctx.open("bolablong");
            Client.Bo bo = c.bo(4096);
            c.drm().boSetLabel(bo.handle(), "l".repeat(PanthorIoctls.PANTHOR_BO_LABEL_MAXLEN - 1));
            ctx.expectErrno(Errno.E2BIG, "a 4096-character label",
                    () -> c.drm().boSetLabel(bo.handle(), "l".repeat(PanthorIoctls.PANTHOR_BO_LABEL_MAXLEN)));
        }));
        out.add(new Case("panthor_bo@query-info", ctx -> {
            Client c = ctx.open("boquery");
            Client.Bo plain = c.bo(4096);
            Client.Bo nommap = c.bo(4096, NO_MMAP, 0);
            DrmPanthorBoQueryInfo p = c.drm().boQueryInfo(plain.handle());
            DrmPanthorBoQueryInfo n = c.drm().boQueryInfo(nommap.handle());
            ctx.checkEq(0, p.createFlags(), "create_flags of a plain BO");
            ctx.checkEq(NO_MMAP, n.createFlags(), "create_flags of a NO_MMAP BO");
            ctx.checkEq(0, p.extraFlags(), "extra_flags of a local BO");
            ctx.expectErrno(Errno.ENOENT, "BO_QUERY_INFO of handle 99", () -> c.drm().boQueryInfo(99));
        }));
        out.add(new Case("panthor_bo@sync", ctx -> {
            Client c = ctx.open("bosync");
            Client.Bo bo = c.bo(8192);
            c.drm().boSync(List.of(new DrmPanthorBoSyncOp(bo.handle(),
                    PanthorIoctls.DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 4096, 4096)));
            ctx.expectErrno(Errno.EINVAL, "BO_SYNC past the end", () -> c.drm().boSync(List.of(
                    new DrmPanthorBoSyncOp(bo.handle(), PanthorIoctls.DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 4096, 8192))));
            ctx.expectErrno(Errno.ENOENT, "BO_SYNC of handle 99", () -> c.drm().boSync(List.of(
                    new DrmPanthorBoSyncOp(99, PanthorIoctls.DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0, 4096))));
        }));
        out.add(new Case("panthor_bo@exclusive-vm", ctx -> {
            Client c = ctx.open("boexcl");
            int vm = c.vm();
            int other = c.vm();
            Client.Bo bo = c.bo(64 * 1024, 0, vm);
            c.map(vm, bo, 0x100_0000L);
            ctx.expectErrno(Errno.EINVAL, "MAP of an exclusive BO into another VM", () -> c.map(other, bo, 0x100_0000L));
        }));
    }
}
