package driver.core.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The UABI constants against the values a C compiler gives for panthor_drm.h and drm.h on
 * arm64 (LP64): request numbers as _IOWR('d', nr, sizeof(struct)), struct sizes and the
 * offsets of the fields that moved or were added between versions.
 */
class UapiLayoutTest {

    @Test
    void panthorRequestNumbersAreDrmIowrOfCommandBasePlusId() {
        assertEquals(0xC0106440, PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY);
        assertEquals(0xC0106441, PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE);
        assertEquals(0xC0086442, PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY);
        assertEquals(0xC0186443, PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND);
        assertEquals(0xC0086444, PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE);
        assertEquals(0xC0186445, PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE);
        assertEquals(0xC0106446, PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET);
        assertEquals(0xC0386447, PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE);
        assertEquals(0xC0086448, PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_DESTROY);
        assertEquals(0xC0186449, PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT);
        assertEquals(0xC010644A, PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE);
        assertEquals(0xC028644B, PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE);
        assertEquals(0xC008644C, PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY);
        assertEquals(0xC010644D, PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL);
        assertEquals(0xC008644E, PanthorIoctls.DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET);
        assertEquals(0xC010644F, PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SYNC);
        assertEquals(0xC0106450, PanthorIoctls.DRM_IOCTL_PANTHOR_BO_QUERY_INFO);
    }

    @Test
    void coreRequestNumbersMatchDrmH() {
        assertEquals(0xC0406400, DrmIoctls.DRM_IOCTL_VERSION);
        assertEquals(0x40086409, DrmIoctls.DRM_IOCTL_GEM_CLOSE);
        assertEquals(0xC010640C, DrmIoctls.DRM_IOCTL_GET_CAP);
        assertEquals(0xC00C642D, DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD);
        assertEquals(0xC00C642E, DrmIoctls.DRM_IOCTL_PRIME_FD_TO_HANDLE);
        assertEquals(0xC00864BF, DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE);
        assertEquals(0xC00864C0, DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY);
        assertEquals(0xC01864C1, DrmIoctls.DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD);
        assertEquals(0xC01864C2, DrmIoctls.DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE);
        assertEquals(0xC02864C3, DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT);
        assertEquals(0xC01064C4, DrmIoctls.DRM_IOCTL_SYNCOBJ_RESET);
        assertEquals(0xC01064C5, DrmIoctls.DRM_IOCTL_SYNCOBJ_SIGNAL);
        assertEquals(0xC03064CA, DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT);
        assertEquals(0xC01864CB, DrmIoctls.DRM_IOCTL_SYNCOBJ_QUERY);
        assertEquals(0xC02064CC, DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER);
        assertEquals(0xC01864CD, DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL);
    }

    @Test
    void iocFieldsDecode() {
        int r = PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE;
        assertEquals(Ioc.READ | Ioc.WRITE, Ioc.dir(r));
        assertEquals('d', Ioc.type(r));
        assertEquals(0x47, Ioc.nr(r));
        assertEquals(56, Ioc.size(r));
        assertEquals(Ioc.WRITE, Ioc.dir(DrmIoctls.DRM_IOCTL_GEM_CLOSE));
        assertEquals(0x641e, Ioc.io('d', 0x1e));
    }

    @Test
    void structSizes() {
        assertEquals(64, DrmVersion.SIZE);
        assertEquals(12, DrmPrimeHandle.SIZE);
        assertEquals(24, DrmSyncobjHandle.SIZE);
        assertEquals(40, DrmSyncobjWait.SIZE);
        assertEquals(48, DrmSyncobjTimelineWait.SIZE);
        assertEquals(24, DrmSyncobjTimelineArray.SIZE);
        assertEquals(32, DrmSyncobjTransfer.SIZE);
        assertEquals(16, DrmPanthorObjArray.SIZE);
        assertEquals(16, DrmPanthorSyncOp.SIZE);
        assertEquals(0x70, DrmPanthorGpuInfo.SIZE);
        assertEquals(24, DrmPanthorCsifInfo.SIZE);
        assertEquals(56, DrmPanthorTimestampInfo.SIZE);
        assertEquals(4, DrmPanthorGroupPrioritiesInfo.SIZE);
        assertEquals(48, DrmPanthorVmBindOp.SIZE);
        assertEquals(24, DrmPanthorBoCreate.SIZE);
        assertEquals(8, DrmPanthorQueueCreate.SIZE);
        assertEquals(56, DrmPanthorGroupCreate.SIZE);
        assertEquals(40, DrmPanthorQueueSubmit.SIZE);
        assertEquals(40, DrmPanthorTilerHeapCreate.SIZE);
        assertEquals(24, DrmPanthorBoSyncOp.SIZE);
        assertEquals(16, DrmPanthorBoQueryInfo.SIZE);
    }

    @Test
    void offsetsOfMovedAndAddedFields() {
        assertEquals(0x40, DrmPanthorGpuInfo.OFFSET_AS_PRESENT);
        assertEquals(0x44, DrmPanthorGpuInfo.OFFSET_SELECTED_COHERENCY);
        assertEquals(0x48, DrmPanthorGpuInfo.OFFSET_SHADER_PRESENT);
        assertEquals(0x58, DrmPanthorGpuInfo.OFFSET_TILER_PRESENT);
        assertEquals(0x60, DrmPanthorGpuInfo.OFFSET_CORE_FEATURES);
        assertEquals(0x68, DrmPanthorGpuInfo.OFFSET_GPU_FEATURES);
        assertEquals(0x60, DrmPanthorGpuInfo.MIN_SIZE);
        assertEquals(24, DrmPanthorTimestampInfo.OFFSET_FLAGS);
        assertEquals(28, DrmPanthorTimestampInfo.OFFSET_DURATION_NSEC);
        assertEquals(32, DrmPanthorTimestampInfo.OFFSET_CYCLE_COUNT);
        assertEquals(48, DrmPanthorTimestampInfo.OFFSET_CPU_TIMESTAMP_NSEC);
        assertEquals(16, DrmPanthorTimestampInfo.MIN_SIZE);
        assertEquals(16, DrmVersion.OFFSET_NAME_LEN);
        assertEquals(56, DrmVersion.OFFSET_DESC);
        assertEquals(19, DrmPanthorGroupCreate.OFFSET_PRIORITY);
        assertEquals(48, DrmPanthorGroupCreate.OFFSET_VM_ID);
        assertEquals(32, DrmPanthorVmBindOp.OFFSET_SYNCS);
        assertEquals(48, DrmPanthorVmBindOp.MIN_SIZE);
        assertEquals(40, DrmPanthorQueueSubmit.MIN_SIZE);
        assertEquals(8, DrmPanthorQueueCreate.MIN_SIZE);
        assertEquals(16, DrmSyncobjHandle.OFFSET_POINT);
        assertEquals(32, DrmSyncobjWait.OFFSET_DEADLINE_NSEC);
    }

    @Test
    void encodeIsLittleEndianAndRoundTrips() {
        DrmPanthorBoCreate c = new DrmPanthorBoCreate(0x1122334455667788L, 3, 7, 0x0a0b0c0d, 0);
        byte[] b = c.toBytes();
        assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}, java.util.Arrays.copyOf(b, 8));
        assertEquals(0x0d, b[16]);
        assertEquals(c, DrmPanthorBoCreate.decode(b));
        DrmPanthorGroupCreate g = new DrmPanthorGroupCreate(new DrmPanthorObjArray(8, 2, 0x1000), 1, 2, 3, 4, 0,
                0x50005L, 0x50005L, 1L, 9, 0);
        assertEquals(g, DrmPanthorGroupCreate.decode(g.toBytes()));
        assertEquals(4, g.toBytes()[DrmPanthorGroupCreate.OFFSET_PRIORITY]);
    }

    @Test
    void errnoNames() {
        assertEquals("EINVAL", Errno.name(-22));
        assertEquals("ENOTSUPP", Errno.name(524));
        assertEquals("ETIME", Errno.name(Errno.ETIME));
        assertEquals("E999", Errno.name(999));
    }
}
