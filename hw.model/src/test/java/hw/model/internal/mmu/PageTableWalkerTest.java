package hw.model.internal.mmu;

import static hw.model.internal.mmu.PageTableBuilder.MEMATTR;
import static hw.model.internal.mmu.PageTableBuilder.PROT_NOEXEC;
import static hw.model.internal.mmu.PageTableBuilder.PROT_READONLY;
import static hw.model.internal.mmu.PageTableWalker.PERM_EXEC;
import static hw.model.internal.mmu.PageTableWalker.PERM_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.internal.SparseMemory;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PageTableWalkerTest {

    private static final long TABLES = 0x10_0000L;
    private static final long CFG = PageTableBuilder.transcfg(48);

    private SparseMemory mem;
    private PageTableBuilder pt;
    private PageTableWalker walker;

    @BeforeEach
    void setUp() {
        mem = new SparseMemory(40);
        pt = new PageTableBuilder(mem, TABLES, 1 << 20);
        walker = new PageTableWalker(mem);
    }

    private int translate(long va) {
        return walker.translate(pt.root(), CFG, MEMATTR, va);
    }

    @Test
    void fourKPageThroughFourLevels() {
        long va = 0x0000_7F12_3456_7000L;
        pt.map4k(va, 0x2_0000_3000L, 0);
        assertEquals(0, translate(va + 0x123));
        assertEquals(0x2_0000_3000L, walker.pa);
        assertEquals(3, PageTableWalker.level(walker.flags));
        assertEquals(12, PageTableWalker.blockShift(walker.flags));
        assertEquals(1, PageTableWalker.attrIndex(walker.flags));
        assertTrue((walker.flags & PERM_WRITE) != 0);
        assertTrue((walker.flags & PERM_EXEC) != 0);
        // neighbours in the same L3 table are not mapped
        assertEquals(0xC3, translate(va + 0x1000));

        PageTableWalker.Walk w = walker.walk(pt.root(), CFG, MEMATTR, va + 0x123);
        assertTrue(w.ok());
        assertEquals(0x2_0000_3123L, w.pa());
        assertEquals(4, w.steps().size());
        assertEquals(List.of("table", "table", "table", "page"), w.steps().stream().map(PageTableWalker.Step::kind).toList());
        assertEquals(pt.root(), w.steps().get(0).table());
        assertEquals((int) ((va >>> 39) & 511), w.steps().get(0).index());
        assertEquals(mem.read64(pt.slot(va, 3)), w.steps().get(3).descriptor());
        assertTrue(w.lines().get(w.lines().size() - 1).contains("0x200003123"));
    }

    @Test
    void twoMegBlockAtLevel2() {
        long va = 0x4000_0000L + 3 * PageTableBuilder.SZ_2M;
        pt.map2m(va, 0x8000_0000L, 0);
        assertEquals(0, translate(va + 0x1F_F123L));
        assertEquals(0x8000_0000L + 0x1F_F000L, walker.pa);
        assertEquals(2, PageTableWalker.level(walker.flags));
        assertEquals(21, PageTableWalker.blockShift(walker.flags));
        assertEquals(0xC2, translate(va + PageTableBuilder.SZ_2M));
    }

    @Test
    void oneGigBlockAtLevel1() {
        long va = 5 * PageTableBuilder.SZ_1G;
        pt.map1g(va, 0x40_0000_0000L - PageTableBuilder.SZ_1G, 0);
        assertEquals(0, translate(va + 0x3FFF_FFF8L));
        assertEquals(0x40_0000_0000L - 0x1000, walker.pa);
        assertEquals(1, PageTableWalker.level(walker.flags));
        assertEquals(30, PageTableWalker.blockShift(walker.flags));
        assertEquals(0xC1, translate(va + PageTableBuilder.SZ_1G));
    }

    @Test
    void readOnlyAndNoExecBits() {
        pt.map4k(0x1000, 0x5000, PROT_READONLY);
        pt.map4k(0x2000, 0x6000, PROT_NOEXEC);
        pt.map4k(0x3000, 0x7000, PROT_READONLY | PROT_NOEXEC);
        assertEquals(0, translate(0x1000));
        assertEquals(PERM_EXEC, walker.flags & (PERM_WRITE | PERM_EXEC));
        assertEquals(0, translate(0x2000));
        assertEquals(PERM_WRITE, walker.flags & (PERM_WRITE | PERM_EXEC));
        assertEquals(0, translate(0x3000));
        assertEquals(0, walker.flags & (PERM_WRITE | PERM_EXEC));
    }

    @Test
    void onlyUxnBit54MakesAPageNonExecutable() {
        long base = (0x4000L & PageTableWalker.OA_MASK) | PageTableBuilder.leafAttrs(0) | 3;
        pt.setDescriptor(0x1000, 3, base | PageTableWalker.PXN);
        pt.setDescriptor(0x2000, 3, base | PageTableWalker.XN);
        assertEquals(0, translate(0x1000));
        assertTrue((walker.flags & PERM_EXEC) != 0);
        assertEquals(0, translate(0x2000));
        assertFalse((walker.flags & PERM_EXEC) != 0);
    }

    @Test
    void wxnMakesWritablePagesNonExecutable() {
        pt.map4k(0x1000, 0x5000, 0);
        pt.map4k(0x2000, 0x6000, PROT_READONLY);
        long cfg = CFG | PageTableWalker.WXN;
        assertEquals(0, walker.translate(pt.root(), cfg, MEMATTR, 0x1000));
        assertEquals(PERM_WRITE, walker.flags & (PERM_WRITE | PERM_EXEC));
        assertEquals(0, walker.translate(pt.root(), cfg, MEMATTR, 0x2000));
        assertEquals(PERM_EXEC, walker.flags & (PERM_WRITE | PERM_EXEC));
    }

    @Test
    void invalidDescriptorAtEachLevelFaultsAtThatLevel() {
        long va = 0x0000_1234_5678_9000L;
        assertEquals(0xC0, translate(va), "empty L0");
        pt.map4k(va, 0x9000, 0);
        assertEquals(0, translate(va));
        pt.unmap(va, 3);
        assertEquals(0xC3, translate(va));
        pt.unmap(va, 2);
        assertEquals(0xC2, translate(va));
        pt.unmap(va, 1);
        assertEquals(0xC1, translate(va));
        pt.unmap(va, 0);
        assertEquals(0xC0, translate(va));
        PageTableWalker.Walk w = walker.walk(pt.root(), CFG, MEMATTR, va);
        assertEquals(0xC0, w.fault());
        assertEquals("invalid", w.steps().get(0).kind());
        assertTrue(w.lines().get(w.lines().size() - 1).contains("TRANSLATION_FAULT_0"));
    }

    @Test
    void invalidDescriptorIgnoresTheTypeBit() {
        pt.map4k(0x1000, 0x9000, 0);
        pt.setDescriptor(0x1000, 3, mem.read64(pt.slot(0x1000, 3)) & ~1L);
        assertEquals(0xC3, translate(0x1000));
    }

    @Test
    void blockDescriptorsAtLevel0AndLevel3AreReserved() {
        long leaf = PageTableBuilder.leafAttrs(0) | 1;
        pt.setDescriptor(0x1000, 3, 0x9000 | leaf);
        assertEquals(0xC3, translate(0x1000));
        long va = 0x0000_8000_0000_0000L;
        pt.setDescriptor(va, 0, leaf);
        assertEquals(0xC0, translate(va));
    }

    @Test
    void vaBeyondInaBitsIsAnInputAddressSizeFault() {
        assertEquals(PageTableWalker.ADDR_SIZE_FAULT_IN, translate(1L << 48));
        assertEquals(PageTableWalker.ADDR_SIZE_FAULT_IN, translate(-4096L));
        pt.map4k((1L << 48) - 4096, 0x3000, 0);
        assertEquals(0, translate((1L << 48) - 8));
    }

    @Test
    void narrowerInaBitsStartTheWalkLowerAndBoundTheVa() {
        PageTableBuilder small = new PageTableBuilder(mem, 0x80_0000L, 1 << 20, 39);
        long cfg = PageTableBuilder.transcfg(39);
        assertEquals(39, PageTableWalker.vaBits(cfg));
        assertEquals(1, PageTableWalker.startLevel(39));
        small.map4k(0x7F_FFFF_F000L, 0xA000, 0);
        assertEquals(0, walker.translate(small.root(), cfg, MEMATTR, 0x7F_FFFF_F010L));
        assertEquals(0xA000, walker.pa);
        assertEquals(3, walker.walk(small.root(), cfg, MEMATTR, 0x7F_FFFF_F010L).steps().size());
        assertEquals(PageTableWalker.ADDR_SIZE_FAULT_IN, walker.translate(small.root(), cfg, MEMATTR, 1L << 39));
        // INA_BITS 0 (never programmed) means the full 48 bits
        assertEquals(48, PageTableWalker.vaBits(PageTableWalker.ADRMODE_AARCH64_4K));
    }

    @Test
    void accessFlagFaultUnlessDisabled() {
        long desc = (0x9000L | PageTableBuilder.leafAttrs(0) | 3) & ~PageTableWalker.AF;
        pt.setDescriptor(0x1000, 3, desc);
        assertEquals(0xDB, translate(0x1000));
        assertEquals(0, walker.translate(pt.root(), CFG | PageTableWalker.DISABLE_AF_FAULT, MEMATTR, 0x1000));
        pt.setDescriptor(0x4000_0000L, 2, (0x20_0000L | PageTableBuilder.leafAttrs(0) | 1) & ~PageTableWalker.AF);
        assertEquals(0xDA, translate(0x4000_0000L));
    }

    @Test
    void outputAddressBeyondPhysicalSpaceIsAnOutputAddressSizeFault() {
        pt.map4k(0x1000, 1L << 40, 0);
        assertEquals(PageTableWalker.ADDR_SIZE_FAULT_OUT0 + 3, translate(0x1000));
        pt.setDescriptor(0x4000_0000L, 1, (1L << 44) | 3);
        assertEquals(PageTableWalker.ADDR_SIZE_FAULT_OUT0 + 1, translate(0x4000_0000L));
    }

    @Test
    void memattrFaultPolicyFaults() {
        pt.map4k(0x1000, 0x9000, 0); // AttrIndx 1
        long memattr = (MEMATTR & ~0xFF00L) | (0xC0L << 8);
        assertEquals(PageTableWalker.MEM_ATTR_FAULT_0 + 3, walker.translate(pt.root(), CFG, memattr, 0x1000));
    }

    @Test
    void hierarchicalReadOnlyAndXnUnlessDisabled() {
        pt.map4k(0x1000, 0x9000, 0);
        long l2 = pt.slot(0x1000, 2);
        mem.write64(l2, mem.read64(l2) | PageTableWalker.AP_TABLE_RDONLY | PageTableWalker.UXN_TABLE);
        assertEquals(0, translate(0x1000));
        assertEquals(0, walker.flags & (PERM_WRITE | PERM_EXEC));
        assertEquals(0, walker.translate(pt.root(), CFG | PageTableWalker.DISABLE_HIER_AP, MEMATTR, 0x1000));
        assertEquals(PERM_WRITE | PERM_EXEC, walker.flags & (PERM_WRITE | PERM_EXEC));
    }

    @Test
    void unmappedModeFaultsAndIdentityModeMapsOneToOne() {
        pt.map4k(0x1000, 0x9000, 0);
        assertEquals(0xC0, walker.translate(pt.root(), PageTableWalker.ADRMODE_UNMAPPED, 0, 0x1000));
        assertEquals(0xC0, walker.translate(pt.root(), 0, 0, 0x1000));
        assertEquals(0xC0, walker.translate(pt.root(), PageTableWalker.ADRMODE_AARCH64_64K, 0, 0x1000));
        assertEquals(0, walker.translate(0, PageTableWalker.ADRMODE_IDENTITY, 0, 0x1234_5678L));
        assertEquals(0x1234_5000L, walker.pa);
    }

    @Test
    void builderMapSplitsLikePanthor() {
        pt.map(0x1F_F000L, 0x40_1F_F000L, PageTableBuilder.SZ_2M + 0x2000, 0);
        assertEquals(0, translate(0x1F_F000L));
        assertEquals(3, PageTableWalker.level(walker.flags));
        assertEquals(0, translate(0x20_1000L));
        assertEquals(2, PageTableWalker.level(walker.flags));
        assertEquals(0x40_20_1000L, walker.pa);
        assertEquals(0, translate(0x40_0000L));
        assertEquals(3, PageTableWalker.level(walker.flags));
    }

    @Test
    void translateCountsWalksAndDoesNotAllocate() {
        pt.map4k(0x1000, 0x9000, 0);
        long before = walker.walks();
        for (int i = 0; i < 10; i++) {
            translate(0x1000);
        }
        assertEquals(before + 10, walker.walks());
    }
}
