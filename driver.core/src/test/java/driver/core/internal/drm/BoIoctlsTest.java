package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.GemObject;
import driver.core.uapi.DrmGemClose;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorBoMmapOffset;
import driver.core.uapi.DrmPanthorBoQueryInfo;
import driver.core.uapi.DrmPanthorBoSetLabel;
import driver.core.uapi.DrmPanthorBoSync;
import driver.core.uapi.DrmPanthorBoSyncOp;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSetUserMmioOffset;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.DrmPrimeHandle;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BO_CREATE, BO_MMAP_OFFSET, BO_SET_LABEL, SET_USER_MMIO_OFFSET, BO_SYNC, BO_QUERY_INFO, GEM_CLOSE. */
class BoIoctlsTest {

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("a");
    private final TestBed.Proc b = bed.open("b");

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private int create(TestBed.Proc p, long size, int flags) {
        TestBed.Call c = p.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, new DrmPanthorBoCreate(size, flags, 0, 0, 0));
        assertEquals(0, c.ret());
        return DrmPanthorBoCreate.decode(c.out()).handle();
    }

    private int boCreateRet(DrmPanthorBoCreate args) {
        return a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, args).ret();
    }

    @Test
    void createRoundsUpToPagesAndHandlesStartAtOne() {
        TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, new DrmPanthorBoCreate(5000, 0, 0, 0, 0));
        DrmPanthorBoCreate out = DrmPanthorBoCreate.decode(c.out());
        assertEquals(8192, out.size());
        assertEquals(1, out.handle());
        assertEquals(2, create(a, 1, 0));
        assertEquals(1, create(b, 1, 0));
        GemObject obj = a.file().gemObjects().get(1);
        assertEquals(8192, obj.size());
        assertTrue(!obj.hasPages(), "pages are allocated lazily");
    }

    @Test
    void createRejectsBadArgumentsWithoutCreatingAnything() {
        assertEquals(-Errno.EINVAL, boCreateRet(new DrmPanthorBoCreate(0, 0, 0, 0, 0)));
        assertEquals(-Errno.EINVAL, boCreateRet(new DrmPanthorBoCreate(4096, 0, 0, 0, 1)));
        assertEquals(-Errno.EINVAL, boCreateRet(new DrmPanthorBoCreate(4096, 1 << 2, 0, 0, 0)));
        assertEquals(-Errno.EINVAL, boCreateRet(new DrmPanthorBoCreate(4096,
                PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP | PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP, 0, 0, 0)));
        assertEquals(-Errno.EINVAL, boCreateRet(new DrmPanthorBoCreate(-1L, 0, 0, 0, 0)));
        assertEquals(-Errno.ENODEV, boCreateRet(new DrmPanthorBoCreate(4096, 0, 1, 0, 0)), "no MMU yet");
        assertEquals(0, a.file().gemObjects().size());
        assertEquals(0, boCreateRet(new DrmPanthorBoCreate(4096, PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP, 0, 0, 0)));
    }

    @Test
    void exclusiveVmIsLookedUpThroughTheMmuAndBlocksExport() {
        FakeMmu mmu = new FakeMmu();
        bed.device.setVmPort(SubsystemPort.of(mmu));
        int vm = DrmPanthorVmCreate.decode(a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO).out()).id();
        assertEquals(-Errno.EINVAL, boCreateRet(new DrmPanthorBoCreate(4096, 0, vm + 1, 0, 0)));
        assertEquals(-Errno.EINVAL, b.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE,
                new DrmPanthorBoCreate(4096, 0, vm, 0, 0)).ret(), "another file's VM id");
        TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, new DrmPanthorBoCreate(4096, 0, vm, 0, 0));
        assertEquals(0, c.ret());
        int handle = DrmPanthorBoCreate.decode(c.out()).handle();
        assertEquals(mmu.vm(a.file(), vm), a.file().gemObjects().get(handle).exclusiveVm());
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD, new DrmPrimeHandle(handle, 0, 0)).ret());
    }

    @Test
    void mmapOffsetChecks() {
        int h = create(a, 4096, 0);
        int noMmap = create(a, 4096, PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP);
        TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, new DrmPanthorBoMmapOffset(h, 0, 0));
        assertEquals(0, c.ret());
        long offset = DrmPanthorBoMmapOffset.decode(c.out()).offset();
        assertEquals(1L << 32, offset);
        assertEquals(offset, DrmPanthorBoMmapOffset.decode(a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET,
                new DrmPanthorBoMmapOffset(h, 0, 0)).out()).offset(), "stable");
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, new DrmPanthorBoMmapOffset(h, 1, 0)).ret());
        assertEquals(-Errno.ENOENT, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, new DrmPanthorBoMmapOffset(99, 0, 0)).ret());
        assertEquals(-Errno.EPERM, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, new DrmPanthorBoMmapOffset(noMmap, 0, 0)).ret());
        assertEquals(-Errno.ENOENT, b.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, new DrmPanthorBoMmapOffset(h + 5, 0, 0)).ret());
    }

    @Test
    void labels() {
        int h = create(a, 4096, 0);
        GemObject obj = a.file().gemObjects().get(h);
        long label = a.p().allocCString("vertex buffer");
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, new DrmPanthorBoSetLabel(h, 0, label)).ret());
        assertEquals("vertex buffer", obj.label());
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, new DrmPanthorBoSetLabel(h, 0, 0)).ret());
        assertNull(obj.label());
        char[] max = new char[4095];
        Arrays.fill(max, 'x');
        long ok = a.p().allocCString(new String(max));
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, new DrmPanthorBoSetLabel(h, 0, ok)).ret());
        assertEquals(4095, obj.label().length());
        long tooLong = a.p().allocCString(new String(max) + "y");
        assertEquals(-Errno.E2BIG, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, new DrmPanthorBoSetLabel(h, 0, tooLong)).ret());
        assertEquals(4095, obj.label().length(), "unchanged");
        long unterminated = a.p().allocBytes(new byte[] {'a', 'b'});
        assertEquals(-Errno.EFAULT, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, new DrmPanthorBoSetLabel(h, 0, unterminated)).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, new DrmPanthorBoSetLabel(h, 7, label)).ret());
        assertEquals(-Errno.ENOENT, b.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, new DrmPanthorBoSetLabel(h + 1, 0, label)).ret());
    }

    @Test
    void userMmioOffsetAcceptsOnlyTheTwoConstants() {
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, new DrmPanthorSetUserMmioOffset(1L << 40)).ret());
        assertEquals(1L << 56, a.file().userMmioOffset());
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET,
                new DrmPanthorSetUserMmioOffset(PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT)).ret());
        assertEquals(1L << 43, a.file().userMmioOffset());
    }

    private int sync(TestBed.Proc p, int stride, byte[] elements, int count) {
        long arr = p.p().allocBytes(elements);
        return p.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SYNC, new DrmPanthorBoSync(new DrmPanthorObjArray(stride, count, arr))).ret();
    }

    @Test
    void boSyncValidatesEveryOp() {
        int h = create(a, 8192, 0);
        byte[] ok = new DrmPanthorBoSyncOp(h, PanthorIoctls.DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0, 8192).toBytes();
        assertEquals(0, sync(a, 24, ok, 1));
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SYNC, new DrmPanthorBoSync(new DrmPanthorObjArray(0, 0, 0x10))).ret(),
                "count 0 is a no-op whatever the stride and pointer");
        assertEquals(-Errno.EINVAL, sync(a, 16, ok, 1), "stride below the op size");
        assertEquals(-Errno.EFAULT, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SYNC,
                new DrmPanthorBoSync(new DrmPanthorObjArray(24, 1, 0x10))).ret());
        assertEquals(-Errno.EINVAL, sync(a, 24, new DrmPanthorBoSyncOp(h, 0, 4096, 4097).toBytes(), 1));
        assertEquals(-Errno.EINVAL, sync(a, 24, new DrmPanthorBoSyncOp(h, 0, -1L, 2).toBytes(), 1));
        assertEquals(-Errno.EINVAL, sync(a, 24, new DrmPanthorBoSyncOp(h, 2, 0, 4096).toBytes(), 1));
        assertEquals(-Errno.ENOENT, sync(b, 24, ok, 1), "another file's handle");
        byte[] wide = Arrays.copyOf(ok, 32);
        assertEquals(0, sync(a, 32, wide, 1), "larger stride, zero tail");
        wide[30] = 1;
        assertEquals(-Errno.E2BIG, sync(a, 32, wide, 1));
    }

    @Test
    void queryInfoReportsCreationFlags() {
        int h = create(a, 4096, PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP);
        TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_QUERY_INFO, new DrmPanthorBoQueryInfo(h, 0xff, 0xff, 0xff));
        assertEquals(0, c.ret());
        assertEquals(new DrmPanthorBoQueryInfo(h, 0, PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP, 0), DrmPanthorBoQueryInfo.decode(c.out()));
        assertEquals(-Errno.ENOENT, b.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_QUERY_INFO, new DrmPanthorBoQueryInfo(h + 3, 0, 0, 0)).ret());
    }

    @Test
    void gemCloseFreesTheObjectAndOnlyWorksOnOwnHandles() {
        int h = create(a, 4096, 0);
        GemObject obj = a.file().gemObjects().get(h);
        obj.pages();
        assertEquals(1, bed.pages.stats().usedPages());
        assertEquals(-Errno.EINVAL, b.call(DrmIoctls.DRM_IOCTL_GEM_CLOSE, new DrmGemClose(h, 0)).ret());
        assertEquals(0, a.call(DrmIoctls.DRM_IOCTL_GEM_CLOSE, new DrmGemClose(h, 0)).ret());
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_GEM_CLOSE, new DrmGemClose(h, 0)).ret());
        assertEquals(0, bed.pages.stats().usedPages());
        assertEquals(1, create(a, 4096, 0), "the handle is reused");
    }

    @Test
    void closingTheFileReleasesEverything() {
        int h = create(a, 4096 * 4, 0);
        a.file().gemObjects().get(h).pages();
        a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE, new driver.core.uapi.DrmSyncobjCreate(0, 0));
        assertEquals(4, bed.pages.stats().usedPages());
        a.p().close(a.fd());
        assertEquals(0, bed.pages.stats().usedPages());
    }
}
