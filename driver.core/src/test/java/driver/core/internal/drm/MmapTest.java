package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.GemObject;
import driver.core.uapi.DrmGemClose;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorBoMmapOffset;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.PanthorClient;
import driver.core.user.SegmentationFault;
import driver.core.user.UserProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** mmap of BOs (pages shared with the GPU) and of the LATEST_FLUSH_ID page. */
class MmapTest {

    private static final int RW = UserProcess.PROT_READ | UserProcess.PROT_WRITE;

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("a");
    private final PanthorClient client = new PanthorClient(a.p(), a.fd());

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void cpuWritesThroughTheMappingAreVisibleAtTheBosPhysicalAddress() {
        DrmPanthorBoCreate bo = client.boCreate(3 * 4096, 0, 0);
        long addr = client.mmapBo(bo.handle(), bo.size());
        a.p().write32(addr + 2 * 4096 + 12, 0x12345678);
        GemObject obj = a.file().gemObjects().get(bo.handle());
        long pa = obj.physicalAddress(2 * 4096 + 12);
        assertTrue(bed.pages.contains(pa));
        assertEquals(0x12345678, bed.model.memory().read32(pa));
        bed.model.memory().write32(obj.physicalAddress(0), 0xfeedface);
        assertEquals(0xfeedface, a.p().read32(addr));
    }

    @Test
    void aMappingKeepsTheObjectAliveAfterGemClose() {
        DrmPanthorBoCreate bo = client.boCreate(4096, 0, 0);
        long addr = client.mmapBo(bo.handle(), 4096);
        a.p().write32(addr, 42);
        client.gemClose(bo.handle());
        assertEquals(42, a.p().read32(addr));
        assertEquals(1, bed.pages.stats().usedPages());
        assertEquals(0, a.p().munmap(addr, 4096));
        assertEquals(0, bed.pages.stats().usedPages());
    }

    @Test
    void gemMmapErrors() {
        DrmPanthorBoCreate bo = client.boCreate(8192, 0, 0);
        long offset = client.boMmapOffset(bo.handle());
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), offset, 8192, RW, UserProcess.MAP_PRIVATE));
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), offset, 3 * 4096, RW));
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), offset + (1L << 30), 4096, RW));
        long inner = a.p().mmap(a.fd(), offset + 4096, 4096, RW);
        assertTrue(inner > 0, "a sub-range of the object");
        TestBed.Proc b = bed.open("b");
        assertEquals(-Errno.EACCES, b.p().mmap(b.fd(), offset, 8192, RW), "offset guessed by another file");
    }

    @Test
    void flushIdPageReadsTheRegisterAndIsReadOnly() {
        long addr = client.mapFlushId();
        assertEquals(bed.model.mmio().read32(0x10000), a.p().read32(addr));
        bed.model.mmio().write32(0x30, 4 | (3 << 8));
        bed.model.clock().advance(1_000_000L);
        int after = bed.model.mmio().read32(0x10000);
        assertEquals(after, a.p().read32(addr));
        assertThrows(SegmentationFault.class, () -> a.p().write32(addr, 1));
        long flushId = PanthorIoctls.DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET;
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), flushId, 4096, RW));
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), flushId, 8192, UserProcess.PROT_READ));
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), flushId, 4096, UserProcess.PROT_READ, UserProcess.MAP_PRIVATE));
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), flushId + 4096, 4096, UserProcess.PROT_READ));
    }

    @Test
    void theUserMmioOffsetCanBeMovedPerFile() {
        client.setUserMmioOffset(PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT);
        long addr = a.p().mmap(a.fd(), PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT, 4096, UserProcess.PROT_READ);
        assertTrue(addr > 0);
        assertEquals(bed.model.mmio().read32(0x10000), a.p().read32(addr));
    }

    @Test
    void boMmapOffsetThenCloseFreesTheOffset() {
        TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, new DrmPanthorBoCreate(4096, 0, 0, 0, 0));
        int h = DrmPanthorBoCreate.decode(c.out()).handle();
        long off = DrmPanthorBoMmapOffset.decode(a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET,
                new DrmPanthorBoMmapOffset(h, 0, 0)).out()).offset();
        a.call(DrmIoctls.DRM_IOCTL_GEM_CLOSE, new DrmGemClose(h, 0));
        assertEquals(-Errno.EINVAL, a.p().mmap(a.fd(), off, 4096, RW));
    }
}
