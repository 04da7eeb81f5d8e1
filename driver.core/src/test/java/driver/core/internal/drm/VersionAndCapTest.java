package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import driver.core.uapi.DrmGetCap;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmVersion;
import driver.core.uapi.Errno;
import driver.core.user.PanthorClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VersionAndCapTest {

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("a");

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void nullBuffersReportLengthsAndVersion() {
        DrmVersion v = DrmVersion.decode(a.call(DrmIoctls.DRM_IOCTL_VERSION, DrmVersion.ZERO).out());
        assertEquals(1, v.versionMajor());
        assertEquals(8, v.versionMinor());
        assertEquals(0, v.versionPatchlevel());
        assertEquals(7, v.nameLen());
        assertEquals(1, v.dateLen());
        assertEquals("Panthor DRM driver".length(), v.descLen());
    }

    @Test
    void shortBuffersAreTruncatedButTheFullLengthIsReported() {
        long name = a.p().alloc(3);
        DrmVersion req = new DrmVersion(0, 0, 0, 3, name, 0, 0, 0, 0);
        DrmVersion v = DrmVersion.decode(a.call(DrmIoctls.DRM_IOCTL_VERSION, req).out());
        assertEquals(7, v.nameLen());
        assertEquals("pan", new String(a.p().readBytes(name, 3)));
    }

    @Test
    void typedClientGetsAllStrings() {
        PanthorClient c = new PanthorClient(a.p(), a.fd());
        PanthorClient.Version v = c.version();
        assertEquals(new PanthorClient.Version(1, 8, 0, "panthor", "0", "Panthor DRM driver"), v);
    }

    @Test
    void badStringPointerIsEfaultAfterTheLengthsBefore() {
        long desc = 0x10;
        DrmVersion req = new DrmVersion(0, 0, 0, 0, 0, 0, 0, 5, desc);
        TestBed.Call c = a.call(DrmIoctls.DRM_IOCTL_VERSION, req);
        assertEquals(-Errno.EFAULT, c.ret());
        DrmVersion v = DrmVersion.decode(c.out());
        assertEquals(7, v.nameLen());
        assertEquals(18, v.descLen());
    }

    @Test
    void renderCapabilities() {
        assertEquals(3, DrmGetCap.decode(a.call(DrmIoctls.DRM_IOCTL_GET_CAP, new DrmGetCap(DrmIoctls.DRM_CAP_PRIME, 0)).out()).value());
        assertEquals(1, DrmGetCap.decode(a.call(DrmIoctls.DRM_IOCTL_GET_CAP,
                new DrmGetCap(DrmIoctls.DRM_CAP_SYNCOBJ_TIMELINE, 0)).out()).value());
        assertEquals(-Errno.EOPNOTSUPP, a.call(DrmIoctls.DRM_IOCTL_GET_CAP, new DrmGetCap(0x1, 0)).ret());
    }
}
