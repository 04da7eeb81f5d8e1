package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPrimeHandle;
import driver.core.uapi.DrmSyncobjCreate;
import driver.core.uapi.DrmSyncobjWait;
import driver.core.uapi.DrmVersion;
import driver.core.uapi.Errno;
import driver.core.uapi.Ioc;
import driver.core.uapi.Le;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.UserProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** drm_ioctl(): selection by number, size negotiation, direction, permissions, faults. */
class DispatchTest {

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("a");

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void unknownNumbersAreEinval() {
        assertEquals(-Errno.EINVAL, a.call(Ioc.iowr('d', 0x40 + 17, 16), DrmPanthorBoCreate.ZERO).ret());
        assertEquals(-Errno.EINVAL, a.call(Ioc.iowr('d', 0x9f, 16), DrmPanthorBoCreate.ZERO).ret());
        assertEquals(-Errno.EINVAL, a.call(Ioc.iowr('d', 0x33, 16), DrmPanthorBoCreate.ZERO).ret());
        assertEquals(-Errno.EINVAL, a.call(Ioc.iowr('d', 0xCF, 16), DrmPanthorBoCreate.ZERO).ret());
    }

    @Test
    void theTypeByteDoesNotSelect() {
        int request = Ioc.iowr('x', Ioc.nr(DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE), DrmSyncobjCreate.SIZE);
        TestBed.Call c = a.call(request, DrmSyncobjCreate.ZERO);
        assertEquals(0, c.ret());
        assertEquals(1, DrmSyncobjCreate.decode(c.out()).handle());
    }

    @Test
    void smallerEncodedStructIsZeroExtended() {
        // A userspace built before deadline_nsec passes a 32-byte drm_syncobj_wait.
        int handle = a.call(DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE, new DrmSyncobjCreate(0, 1)).out()[0];
        long handles = a.p().allocBytes(new byte[] {(byte) handle, 0, 0, 0});
        byte[] old = java.util.Arrays.copyOf(new DrmSyncobjWait(handles, 0, 1, 0, 0, 0, 0).toBytes(), 32);
        TestBed.Call c = a.callBytes(Ioc.iowr('d', 0xC3, 32), old);
        assertEquals(0, c.ret());
        assertEquals(0, Le.u32(c.out(), DrmSyncobjWait.OFFSET_FIRST_SIGNALED));
    }

    @Test
    void largerEncodedStructIsAcceptedAndItsTailCopiedBackUnchanged() {
        byte[] big = new byte[DrmPanthorBoCreate.SIZE + 8];
        new DrmPanthorBoCreate(4096, 0, 0, 0, 0).encode(big, 0);
        big[DrmPanthorBoCreate.SIZE] = 0x5a;
        TestBed.Call c = a.callBytes(Ioc.iowr('d', 0x45, big.length), big);
        assertEquals(0, c.ret());
        byte[] out = c.out();
        assertEquals(1, DrmPanthorBoCreate.decode(out).handle());
        assertEquals(0x5a, out[DrmPanthorBoCreate.SIZE]);
    }

    @Test
    void withoutTheOutDirectionNothingIsCopiedBack() {
        int writeOnly = Ioc.iow('d', 0x45, DrmPanthorBoCreate.SIZE);
        TestBed.Call c = a.call(writeOnly, new DrmPanthorBoCreate(4096, 0, 0, 0, 0));
        assertEquals(0, c.ret());
        assertEquals(0, DrmPanthorBoCreate.decode(c.out()).handle());
        assertEquals(1, a.file().gemObjects().size());
        int none = Ioc.io('d', 0x45);
        assertEquals(-Errno.EINVAL, a.p().ioctl(a.fd(), none, 0));
    }

    @Test
    void badArgumentPointersAreEfault() {
        assertEquals(-Errno.EFAULT, a.p().ioctl(a.fd(), PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, 0));
        long tight = a.p().alloc(DrmPanthorBoCreate.SIZE - 1);
        assertEquals(-Errno.EFAULT, a.p().ioctl(a.fd(), PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, tight));
        assertEquals(0, a.file().gemObjects().size());
    }

    @Test
    void inCopyFaultLeavesNoTrace() {
        UserProcess p = a.p();
        long addr = p.allocStruct(new DrmPanthorBoCreate(4096, 0, 0, 0, 0));
        int bigger = Ioc.iowr('d', 0x45, DrmPanthorBoCreate.SIZE + 8);
        assertEquals(-Errno.EFAULT, p.ioctl(a.fd(), bigger, addr));
        assertEquals(0, a.file().gemObjects().size());
    }

    @Test
    void faultOnCopyBackIsEfaultEvenWhenTheHandlerSucceeded() {
        UserProcess p = a.p();
        TestBed.Call bo = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, new DrmPanthorBoCreate(4096, 0, 0, 0, 0));
        int handle = DrmPanthorBoCreate.decode(bo.out()).handle();
        long offset = driver.core.uapi.DrmPanthorBoMmapOffset.decode(a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET,
                new driver.core.uapi.DrmPanthorBoMmapOffset(handle, 0, 0)).out()).offset();
        long rw = p.mmap(a.fd(), offset, 4096, UserProcess.PROT_READ | UserProcess.PROT_WRITE);
        long ro = p.mmap(a.fd(), offset, 4096, UserProcess.PROT_READ);
        p.writeStruct(rw, new DrmPanthorBoCreate(8192, 0, 0, 0, 0));
        assertEquals(-Errno.EFAULT, p.ioctl(a.fd(), PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, ro));
        // As on Linux, the object was created; only the reply was lost.
        assertEquals(2, a.file().gemObjects().size());
        assertEquals(0, DrmPanthorBoCreate.decode(p.readBytes(ro, DrmPanthorBoCreate.SIZE)).handle());
    }

    @Test
    void renderClientsOnlyGetRenderAllowIoctls() {
        assertEquals(-Errno.EACCES, a.p().ioctl(a.fd(), CoreIoctls.DRM_IOCTL_GET_UNIQUE, a.p().alloc(16)));
        TestBed.Proc primary = bed.open("x", Credentials.user(), DrmDeviceCore.PRIMARY_NODE);
        assertEquals(0, primary.p().ioctl(primary.fd(), CoreIoctls.DRM_IOCTL_GET_UNIQUE, primary.p().alloc(16)));
    }

    @Test
    void primeNeedsAuthenticationOnThePrimaryNode() {
        TestBed.Proc plain = bed.open("x", Credentials.user(), DrmDeviceCore.PRIMARY_NODE);
        int h = DrmPanthorBoCreate.decode(plain.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE,
                new DrmPanthorBoCreate(4096, 0, 0, 0, 0)).out()).handle();
        assertEquals(-Errno.EACCES, plain.call(DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD, new DrmPrimeHandle(h, 0, 0)).ret());
        TestBed.Proc master = bed.open("compositor", Credentials.drmMasterUser(), DrmDeviceCore.PRIMARY_NODE);
        int mh = DrmPanthorBoCreate.decode(master.call(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE,
                new DrmPanthorBoCreate(4096, 0, 0, 0, 0)).out()).handle();
        assertEquals(0, master.call(DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD, new DrmPrimeHandle(mh, 0, 0)).ret());
    }

    @Test
    void unpluggedDeviceIsEnodevForEverything() {
        bed.device.unplug();
        assertEquals(-Errno.ENODEV, a.call(DrmIoctls.DRM_IOCTL_VERSION, DrmVersion.ZERO).ret());
        assertEquals(-Errno.ENODEV, a.p().mmap(a.fd(), PanthorIoctls.DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET, 4096,
                UserProcess.PROT_READ));
        assertEquals(-Errno.ENODEV, bed.process("late").open(DrmDeviceCore.RENDER_NODE));
    }

    @Test
    void eachOpenIsANewFileWithItsOwnClientId() {
        TestBed.Proc b = bed.open("b");
        assertNotEquals(a.file().clientId(), b.file().clientId());
        assertEquals(2, bed.device.files().size());
        b.p().close(b.fd());
        assertEquals(1, bed.device.files().size());
    }
}
