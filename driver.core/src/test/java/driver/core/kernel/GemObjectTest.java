package driver.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import hw.model.internal.SparseMemory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GemObjectTest {

    private final PageAllocator pages = new PageAllocator(new SparseMemory(40), 0x8000_0000L, 64 * 4096);

    @Test
    void pagesAreAllocatedLazilyOnceAndFreedWithTheLastReference() {
        AtomicInteger freed = new AtomicInteger();
        GemObject o = new GemObject(pages, 8 * 4096, 0, null, false, x -> freed.incrementAndGet());
        assertFalse(o.hasPages());
        assertEquals(0, pages.stats().usedPages());
        long[] p = o.pinPages();
        assertSame(p, o.pages());
        assertEquals(8, pages.stats().usedPages());
        assertEquals(p[3] + 5, o.physicalAddress(3 * 4096 + 5));
        o.get();
        o.put();
        assertEquals(8, pages.stats().usedPages());
        o.unpinPages();
        o.put();
        assertEquals(0, pages.stats().usedPages());
        assertEquals(1, freed.get());
        assertThrows(IllegalStateException.class, o::get);
    }

    @Test
    void anObjectLargerThanMemoryFailsAtFirstUse() {
        GemObject o = new GemObject(pages, 65 * 4096, 0, null, false, null);
        assertEquals(Errno.ENOMEM, assertThrows(ErrnoException.class, o::pinPages).errno());
        assertEquals(0, pages.stats().usedPages());
        o.put();
    }

    @Test
    void sizeMustBePageAligned() {
        assertThrows(IllegalArgumentException.class, () -> new GemObject(pages, 100, 0, null, false, null));
        assertThrows(IllegalArgumentException.class, () -> new GemObject(pages, 0, 0, null, false, null));
    }

    @Test
    void handleCountAndLabel() {
        GemObject o = new GemObject(pages, 4096, 1, "vm", false, null);
        o.handleOpened();
        o.setLabel("cmdbuf");
        assertEquals(1, o.handleCount());
        assertEquals("cmdbuf", o.label());
        assertEquals("vm", o.exclusiveVm());
        assertTrue(o.toString().contains("cmdbuf"));
    }
}
