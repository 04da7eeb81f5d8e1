package driver.core.user;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import hw.model.internal.SparseMemory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UserProcessTest {

    /** A device whose files count releases and map one physical page. */
    private static final class Dev implements DeviceNode {
        final AtomicInteger releases = new AtomicInteger();
        final AtomicInteger unmaps = new AtomicInteger();
        final SparseMemory memory = new SparseMemory(40);

        @Override
        public FileOps open(UserProcess opener, int flags) {
            return new FileOps() {
                @Override
                public String kind() {
                    return "test";
                }

                @Override
                public int ioctl(UserProcess caller, int request, long arg) {
                    if (request == 1) {
                        throw new ErrnoException(Errno.EBUSY);
                    }
                    if (request == 2) {
                        throw new IllegalStateException("bug");
                    }
                    return request;
                }

                @Override
                public Mapping mmap(UserProcess caller, long offset, long length, int prot, int flags) {
                    long[] pages = new long[(int) (length / 4096)];
                    for (int i = 0; i < pages.length; i++) {
                        pages[i] = 0x9000_0000L + i * 4096L;
                    }
                    return new Mapping.PhysicalPages(memory, pages, true, unmaps::incrementAndGet);
                }

                @Override
                public void release() {
                    releases.incrementAndGet();
                }
            };
        }
    }

    private final Dev dev = new Dev();
    private final UserProcess p = new UserProcess(1, "test", Credentials.user(), Map.of("/dev/test", dev));

    @Test
    void allocationsEndAtAGuardPage() {
        long a = p.alloc(10);
        p.write(a, new byte[10], 0, 10);
        assertThrows(SegmentationFault.class, () -> p.read8(a + 10));
        assertThrows(SegmentationFault.class, () -> p.read8(0));
        byte[] buf = new byte[11];
        assertFalse(p.copyFromUser(a, buf, 0, 11));
        assertTrue(p.copyFromUser(a, buf, 0, 10));
        assertFalse(p.copyToUser(a + 5, buf, 0, 6));
        assertFalse(p.clearUser(a, 11));
        p.free(a);
        assertFalse(p.isMapped(a));
    }

    @Test
    void accessorsAreLittleEndianAndCrossPages() {
        long a = p.alloc(3 * 4096);
        p.write64(a + 4092, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, p.read64(a + 4092));
        assertEquals(0x05060708, p.read32(a + 4092));
        long s = p.allocCString("hello");
        assertEquals("hello", p.readCString(s, 100));
        assertEquals(6, p.strnlenUser(s, 100));
        assertEquals(4, p.strnlenUser(s, 3));
        assertEquals(0, p.strnlenUser(0x10, 3));
    }

    @Test
    void fdsAreLowestFreeFromThree() {
        assertEquals(-Errno.ENOENT, p.open("/dev/none"));
        int a = p.open("/dev/test");
        int b = p.open("/dev/test");
        assertEquals(3, a);
        assertEquals(4, b);
        assertEquals(0, p.close(a));
        assertEquals(-Errno.EBADF, p.close(a));
        assertEquals(3, p.open("/dev/test"));
        assertEquals(1, dev.releases.get());
    }

    @Test
    void ioctlErrorsNeverEscapeAsExceptions() {
        int fd = p.open("/dev/test");
        assertEquals(7, p.ioctl(fd, 7, 0));
        assertEquals(-Errno.EBUSY, p.ioctl(fd, 1, 0));
        assertEquals(-Errno.EIO, p.ioctl(fd, 2, 0));
        assertEquals(-Errno.EBADF, p.ioctl(99, 7, 0));
    }

    @Test
    void passedAndDuplicatedFdsShareTheOpenFile() {
        UserProcess q = new UserProcess(2, "peer", Credentials.user(), Map.of());
        int fd = p.open("/dev/test");
        int dup = p.dup(fd);
        int theirs = p.sendFd(fd, q);
        assertEquals(3, theirs);
        p.close(fd);
        p.close(dup);
        assertEquals(0, dev.releases.get());
        assertEquals(7, q.ioctl(theirs, 7, 0));
        q.exit();
        assertEquals(1, dev.releases.get());
        assertEquals(-Errno.EBADF, p.sendFd(fd, q));
    }

    @Test
    void mmapAliasesPhysicalPagesAndHoldsTheFile() {
        int fd = p.open("/dev/test");
        long addr = p.mmap(fd, 0, 8192, UserProcess.PROT_READ | UserProcess.PROT_WRITE);
        assertTrue(addr > 0);
        p.write32(addr + 4096 + 8, 0xcafe);
        assertEquals(0xcafe, dev.memory.read32(0x9000_1008L));
        dev.memory.write32(0x9000_0000L, 77);
        assertEquals(77, p.read32(addr));
        p.close(fd);
        assertEquals(0, dev.releases.get());
        assertEquals(-Errno.EINVAL, p.munmap(addr + 4096, 4096));
        assertEquals(0, p.munmap(addr, 8192));
        assertEquals(1, dev.unmaps.get());
        assertEquals(1, dev.releases.get());
        assertThrows(SegmentationFault.class, () -> p.read32(addr));
    }

    @Test
    void mmapArgumentChecks() {
        int fd = p.open("/dev/test");
        assertEquals(-Errno.EINVAL, p.mmap(fd, 0, 0, UserProcess.PROT_READ));
        assertEquals(-Errno.EINVAL, p.mmap(fd, 100, 4096, UserProcess.PROT_READ));
        assertEquals(-Errno.EINVAL, p.mmap(fd, 0, 4096, UserProcess.PROT_READ, 0));
        assertEquals(-Errno.EBADF, p.mmap(42, 0, 4096, UserProcess.PROT_READ));
        long ro = p.mmap(fd, 0, 4096, UserProcess.PROT_READ);
        assertThrows(SegmentationFault.class, () -> p.write8(ro, 1));
        byte[] one = {1};
        assertFalse(p.copyToUser(ro, one, 0, 1));
    }

    @Test
    void exitClosesEverything() {
        int fd = p.open("/dev/test");
        p.mmap(fd, 0, 4096, UserProcess.PROT_READ);
        p.exit();
        assertEquals(1, dev.unmaps.get());
        assertEquals(1, dev.releases.get());
        assertNull(p.fget(fd));
        assertEquals(-Errno.ESRCH, p.open("/dev/test"));
    }

    @Test
    void fdLimit() {
        for (int i = 0; i < UserProcess.RLIMIT_NOFILE; i++) {
            assertTrue(p.open("/dev/test") >= 0);
        }
        assertEquals(-Errno.EMFILE, p.open("/dev/test"));
        assertEquals(UserProcess.RLIMIT_NOFILE, dev.releases.get() + UserProcess.RLIMIT_NOFILE);
    }

    @Test
    void credentials() {
        assertTrue(Credentials.niceUser().capable(Capability.CAP_SYS_NICE));
        assertFalse(Credentials.user().capable(Capability.CAP_SYS_NICE));
        assertTrue(Credentials.drmMasterUser().drmMaster());
        assertArrayEquals(new byte[] {1, 2}, p.readBytes(p.allocBytes(new byte[] {1, 2}), 2));
    }
}
