package driver.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import hw.model.internal.SparseMemory;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageAllocatorTest {

    private final SparseMemory memory = new SparseMemory(40);

    @Test
    void pagesComeFromTheRangeAndAreDistinct() {
        PageAllocator a = new PageAllocator(memory, 0x8000_0000L, 16 * 4096);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            long pa = a.allocPage();
            assertTrue(pa >= 0x8000_0000L && pa < 0x8000_0000L + 16 * 4096);
            assertEquals(0, pa & 0xfff);
            assertTrue(seen.add(pa));
        }
        assertEquals(16, a.stats().usedPages());
        assertEquals(0, a.stats().freePages());
    }

    @Test
    void exhaustionIsEnomemAndMultiPageRequestsAreAllOrNothing() {
        PageAllocator a = new PageAllocator(memory, 0x8000_0000L, 4 * 4096);
        a.allocPages(3);
        ErrnoException e = assertThrows(ErrnoException.class, () -> a.allocPages(2));
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals(3, a.stats().usedPages());
        a.allocPage();
        assertEquals(Errno.ENOMEM, assertThrows(ErrnoException.class, a::allocPage).errno());
        assertEquals(2, a.stats().failures());
    }

    @Test
    void reusedPagesAreScrubbed() {
        PageAllocator a = new PageAllocator(memory, 0x8000_0000L, 4096);
        long pa = a.allocPage();
        memory.write32(pa + 100, 0xdeadbeef);
        a.freePage(pa);
        long again = a.allocPage();
        assertEquals(pa, again);
        assertEquals(0, memory.read32(again + 100));
    }

    @Test
    void untouchedPagesAreNotMadeResident() {
        PageAllocator a = new PageAllocator(memory, 0x8000_0000L, 1 << 20);
        long before = memory.residentPages();
        a.allocPages(64);
        assertEquals(before, memory.residentPages());
    }

    @Test
    void contiguousRunsAreAlignedAndSkipHoles() {
        PageAllocator a = new PageAllocator(memory, 0x8000_0000L, 64 * 4096);
        long single = a.allocPage();
        long run = a.allocContiguous(8, 8);
        assertEquals(0, ((run - 0x8000_0000L) / 4096) % 8);
        assertTrue(run > single);
        for (int i = 0; i < 8; i++) {
            assertTrue(a.isAllocated(run + i * 4096L));
        }
        a.freeContiguous(run, 8);
        assertFalse(a.isAllocated(run));
        assertEquals(Errno.ENOMEM, assertThrows(ErrnoException.class, () -> a.allocContiguous(65, 1)).errno());
    }

    @Test
    void doubleFreeAndForeignPagesAreKernelBugs() {
        PageAllocator a = new PageAllocator(memory, 0x8000_0000L, 4 * 4096);
        long pa = a.allocPage();
        a.freePage(pa);
        assertThrows(IllegalStateException.class, () -> a.freePage(pa));
        assertThrows(IllegalStateException.class, () -> a.freePage(0x1000));
    }

    @Test
    void statsTrackPeakAndCounts() {
        PageAllocator a = new PageAllocator(memory);
        assertEquals(PageAllocator.DEFAULT_BASE, a.base());
        assertEquals((1L << 30) / 4096, a.stats().totalPages());
        long[] p = a.allocPages(10);
        a.freePages(p);
        PageAllocator.Stats s = a.stats();
        assertEquals(0, s.usedPages());
        assertEquals(10, s.peakUsedPages());
        assertEquals(10, s.allocations());
        assertEquals(10, s.frees());
    }
}
