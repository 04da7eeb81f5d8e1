package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import driver.core.kernel.GemObject;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPrimeHandle;
import driver.core.uapi.Errno;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dma-buf export/import between processes (PRIME). */
class PrimeTest {

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("producer");
    private final TestBed.Proc b = bed.open("consumer");
    private final PanthorClient ca = new PanthorClient(a.p(), a.fd());
    private final PanthorClient cb = new PanthorClient(b.p(), b.fd());

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void exportImportSharesTheSameObjectAndPages() {
        int h = ca.boCreate(8192, 0, 0).handle();
        long mine = ca.mmapBo(h, 8192);
        a.p().write32(mine + 4100, 0xabcd);
        int dmabuf = ca.primeHandleToFd(h, DrmIoctls.DRM_CLOEXEC | DrmIoctls.DRM_RDWR);
        int theirFd = a.p().sendFd(dmabuf, b.p());
        int theirs = cb.primeFdToHandle(theirFd);
        GemObject obj = a.file().gemObjects().get(h);
        assertSame(obj, b.file().gemObjects().get(theirs));
        assertEquals(theirs, cb.primeFdToHandle(theirFd), "importing again gives the same handle");
        long view = cb.mmapBo(theirs, 8192);
        assertEquals(0xabcd, b.p().read32(view + 4100));
        long direct = b.p().mmap(theirFd, 4096, 4096, UserProcess.PROT_READ);
        assertEquals(0xabcd, b.p().read32(direct + 4));
        assertEquals(h, ca.primeFdToHandle(dmabuf), "self-import in the exporter gives its own handle");
    }

    @Test
    void theObjectLivesWhileAnyFdOrHandleDoes() {
        int h = ca.boCreate(4096, 0, 0).handle();
        GemObject obj = a.file().gemObjects().get(h);
        obj.pages();
        int dmabuf = ca.primeHandleToFd(h, 0);
        ca.gemClose(h);
        assertEquals(1, bed.pages.stats().usedPages());
        int theirs = cb.primeFdToHandle(a.p().sendFd(dmabuf, b.p()));
        a.p().close(dmabuf);
        assertEquals(1, bed.pages.stats().usedPages());
        b.p().exit();
        assertEquals(0, bed.pages.stats().usedPages());
        assertEquals(0, obj.refCount());
        assertEquals(1, theirs);
    }

    @Test
    void exportAndImportErrors() {
        int h = ca.boCreate(4096, 0, 0).handle();
        assertEquals(-Errno.EINVAL, a.call(DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD, new DrmPrimeHandle(h, 4, 0)).ret());
        assertEquals(-Errno.ENOENT, b.call(DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD, new DrmPrimeHandle(h + 1, 0, 0)).ret());
        assertEquals(-Errno.EBADF, b.call(DrmIoctls.DRM_IOCTL_PRIME_FD_TO_HANDLE, new DrmPrimeHandle(0, 0, 55)).ret());
        assertEquals(-Errno.EINVAL, b.call(DrmIoctls.DRM_IOCTL_PRIME_FD_TO_HANDLE, new DrmPrimeHandle(0, 0, b.fd())).ret(),
                "a DRM fd is not a dma-buf");
        int fd = ca.primeHandleToFd(h, 0);
        assertEquals(-Errno.EBADF, b.call(DrmIoctls.DRM_IOCTL_PRIME_FD_TO_HANDLE, new DrmPrimeHandle(0, 0, fd + 10)).ret());
        assertEquals(0, b.file().gemObjects().size());
        assertEquals(Errno.EINVAL, assertThrows(IoctlException.class, () -> ca.gemClose(h + 1)).errno());
    }

    @Test
    void reexportReusesTheDmaBuf() {
        int h = ca.boCreate(4096, 0, 0).handle();
        int fd1 = ca.primeHandleToFd(h, 0);
        int fd2 = ca.primeHandleToFd(h, 0);
        assertSame(((DmaBufFile) a.p().fget(fd1)).buffer(), ((DmaBufFile) a.p().fget(fd2)).buffer());
    }
}
