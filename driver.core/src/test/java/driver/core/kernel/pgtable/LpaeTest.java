package driver.core.kernel.pgtable;

import static driver.core.kernel.pgtable.Lpae.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values computed by hand from io-pgtable-arm.c and panthor_mmu.c. */
class LpaeTest {

    @Test
    void leafAttributesFollowArmLpaeProtToPte() {
        // nG | AP unpriv | SH outer | AF | XN, AttrIndx 0 (non-cacheable)
        assertEquals(0x0060_0000_0000_0E40L, protToPte(IOMMU_READ | IOMMU_WRITE | IOMMU_NOEXEC));
        // read-only, cacheable: AP[2] set, AttrIndx 1, inner shareable
        assertEquals(0x0000_0000_0000_0FC4L, protToPte(IOMMU_READ | IOMMU_CACHE));
        // device memory, privileged
        assertEquals(0x800L | (2L << 2) | PTE_SH_OS | PTE_AF, protToPte(IOMMU_READ | IOMMU_WRITE | IOMMU_MMIO | IOMMU_PRIV));
    }

    @Test
    void pagesBlocksAndTables() {
        long page = leaf(0x8012_3000L, IOMMU_READ | IOMMU_WRITE, 3);
        assertEquals(3, page & 3);
        assertEquals(0x8012_3000L, address(page));
        assertTrue(isLeaf(page, 3));
        long block = leaf(0x8020_0000L, IOMMU_READ, 2);
        assertEquals(1, block & 3);
        assertTrue(isLeaf(block, 2));
        assertFalse(isTable(block, 2));
        long table = table(0x8000_5000L);
        assertEquals(0x8000_5003L, table);
        assertTrue(isTable(table, 1));
        assertFalse(isLeaf(table, 1));
        assertThrows(IllegalArgumentException.class, () -> leaf(0x8000_1000L, IOMMU_READ, 2), "2 MiB block misaligned");
        assertThrows(IllegalArgumentException.class, () -> leaf(0, IOMMU_READ, 0));
    }

    @Test
    void indicesAndLevels() {
        long va = 0x0400_0000L;
        assertEquals(0, index(va, 0));
        assertEquals(0, index(va, 1));
        assertEquals(32, index(va, 2));
        assertEquals(0, index(va, 3));
        assertEquals(0x1FF, index(0x0000_FFFF_FFFF_F000L, 0));
        assertEquals(39, levelShift(0));
        assertEquals(SZ_2M, blockSize(2));
        assertEquals(SZ_1G, blockSize(1));
        assertEquals(0, startLevel(48));
        assertEquals(1, startLevel(39));
        assertEquals(1, startLevel(32));
    }

    @Test
    void mairAndMemattr() {
        assertEquals(0xf404ff44L, MAIR);
        // idx0 NC -> 0x4c, idx1 WBRWA -> 0x8f, idx2 device -> 0x4c, idx3 inner-NC outer-WB -> 0x8c, rest 0x4c
        assertEquals(0x4c4c4c4c_8c4c8f4cL, mairToMemattr(MAIR, false));
        assertEquals(0x4c4c4c4c_9c4c9f4cL, mairToMemattr(MAIR, true));
    }

    @Test
    void transcfgAndLockRegion() {
        // PTW_MEMATTR_WB | PTW_RA | ADRMODE_AARCH64_4K | INA_BITS(55 - 48)
        assertEquals(0x4200_01C6L, transcfg(48, false));
        assertEquals(0x6200_01C6L, transcfg(48, true));
        assertEquals(63, lockRegion(0, ~0L));
        assertEquals(0x1_000EL, lockRegion(0x1_0000L, 0x1000), "a 4 KiB request locks the 32 KiB minimum");
        assertEquals(0x20_0000L | 20, lockRegion(0x20_0000L, SZ_2M));
        assertEquals(21, lockRegion(0x1F_F000L, 0x2000), "crossing a 2 MiB boundary widens to 4 MiB at 0");
    }
}
