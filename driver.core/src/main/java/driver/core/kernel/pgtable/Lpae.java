package driver.core.kernel.pgtable;

import static hw.model.regs.MaliRegs.*;

/**
 * DOC: AArch64 LPAE stage-1 descriptors, as io-pgtable-arm writes them for Panthor.
 *
 * One place for the bits every GPU page-table writer in the driver must agree on: the
 * descriptor encodings of {@code drivers/iommu/io-pgtable-arm.c} for the
 * {@code ARM_64_LPAE_S1} format with a 4 KiB granule (the format {@code panthor_vm_create()}
 * asks for, {@code pgsize_bitmap = SZ_4K | SZ_2M}), the MAIR that format programs, and the
 * AS_MEMATTR / AS_TRANSCFG / AS_LOCKADDR values {@code panthor_mmu.c} derives from it
 * ({@code mair_to_memattr()}, {@code panthor_vm_active()}, {@code lock_region()}).
 *
 * Levels are numbered as the architecture does: a 48-bit VA walks levels 0..3, each table a
 * 4 KiB page of 512 descriptors; level 1 may hold 1 GiB blocks, level 2 2 MiB blocks, level 3
 * 4 KiB pages. Descriptor bits:
 *
 * <pre>
 *   1:0   type: 0 invalid, 1 block (levels 1-2), 3 table (levels 0-2) or page (level 3)
 *   4:2   AttrIndx (MAIR index: 0 non-cacheable, 1 write-back cacheable, 2 device)
 *   5     NS              7:6  AP[2:1] (bit 6 unprivileged, bit 7 read-only)
 *   9:8   SH (0 non-shareable, 2 outer, 3 inner)     10  AF      11  nG
 *   47:12 output address  53:54 PXN/UXN (XN)          63  NSTable (table descriptors)
 * </pre>
 *
 * {@link #protToPte} follows {@code arm_lpae_prot_to_pte()} for a non-Mali stage-1 table: nG
 * always; AP read-only for read-without-write; AP unprivileged unless IOMMU_PRIV; AttrIndx
 * DEV for IOMMU_MMIO, CACHE for IOMMU_CACHE, else NC; SH inner-shareable for IOMMU_CACHE, else
 * outer; XN for IOMMU_NOEXEC; AF always. The two MMU implementations of the driver and the
 * firmware layer's interim MCU mapper all encode through this class.
 */
public final class Lpae {
    private Lpae() {}

    // --- IOMMU protection flags (include/linux/iommu.h) -------------------------------------
    public static final int IOMMU_READ = 1 << 0;
    public static final int IOMMU_WRITE = 1 << 1;
    public static final int IOMMU_CACHE = 1 << 2;
    public static final int IOMMU_NOEXEC = 1 << 3;
    public static final int IOMMU_MMIO = 1 << 4;
    public static final int IOMMU_PRIV = 1 << 5;

    // --- granule and levels --------------------------------------------------------------------
    public static final int GRANULE_SHIFT = 12;
    public static final long GRANULE = 1L << GRANULE_SHIFT;
    public static final int BITS_PER_LEVEL = 9;
    public static final int ENTRIES_PER_TABLE = 1 << BITS_PER_LEVEL;
    public static final int MAX_LEVELS = 4;
    public static final long SZ_4K = 1L << 12;
    public static final long SZ_2M = 1L << 21;
    public static final long SZ_1G = 1L << 30;
    /** The page sizes panthor maps with ({@code pgsize_bitmap}). */
    public static final long PGSIZE_BITMAP = SZ_4K | SZ_2M;

    // --- descriptor bits (io-pgtable-arm.c) --------------------------------------------------
    public static final long PTE_TYPE_MASK = 0x3L;
    public static final long PTE_TYPE_BLOCK = 1L;
    public static final long PTE_TYPE_TABLE = 3L;
    public static final long PTE_TYPE_PAGE = 3L;
    public static final long PTE_VALID = 1L;
    public static final long PTE_NSTABLE = 1L << 63;
    public static final long PTE_XN = 3L << 53;
    public static final long PTE_AF = 1L << 10;
    public static final long PTE_SH_NS = 0L << 8;
    public static final long PTE_SH_OS = 2L << 8;
    public static final long PTE_SH_IS = 3L << 8;
    public static final long PTE_NS = 1L << 5;
    public static final long PTE_AP_UNPRIV = 1L << 6;
    public static final long PTE_AP_RDONLY = 2L << 6;
    public static final int PTE_ATTRINDX_SHIFT = 2;
    public static final long PTE_ATTRINDX_MASK = 7L << PTE_ATTRINDX_SHIFT;
    public static final long PTE_NG = 1L << 11;
    /** Output-address bits of a descriptor (47:12, io-pgtable's 48-bit maximum). */
    public static final long PTE_ADDR_MASK = ((1L << 48) - 1) & ~(GRANULE - 1);

    // --- MAIR (arm_64_lpae_alloc_pgtable_s1) -------------------------------------------------
    public static final int MAIR_ATTR_DEVICE = 0x04;
    public static final int MAIR_ATTR_NC = 0x44;
    public static final int MAIR_ATTR_INC_OWBRWA = 0xf4;
    public static final int MAIR_ATTR_WBRWA = 0xff;
    public static final int MAIR_ATTR_IDX_NC = 0;
    public static final int MAIR_ATTR_IDX_CACHE = 1;
    public static final int MAIR_ATTR_IDX_DEV = 2;
    public static final int MAIR_ATTR_IDX_INC_OCACHE = 3;

    /** The MAIR an ARM_64_LPAE_S1 io-pgtable reports in {@code cfg.arm_lpae_s1_cfg.mair}. */
    public static final long MAIR = ((long) MAIR_ATTR_NC << (8 * MAIR_ATTR_IDX_NC))
            | ((long) MAIR_ATTR_WBRWA << (8 * MAIR_ATTR_IDX_CACHE))
            | ((long) MAIR_ATTR_DEVICE << (8 * MAIR_ATTR_IDX_DEV))
            | ((long) MAIR_ATTR_INC_OWBRWA << (8 * MAIR_ATTR_IDX_INC_OCACHE));

    // --- descriptors ------------------------------------------------------------------------

    /** Attribute bits of a leaf for {@code prot} ({@code arm_lpae_prot_to_pte()}, S1, non-Mali). */
    public static long protToPte(int prot) {
        long pte = PTE_NG;
        if ((prot & IOMMU_WRITE) == 0 && (prot & IOMMU_READ) != 0) {
            pte |= PTE_AP_RDONLY;
        }
        if ((prot & IOMMU_PRIV) == 0) {
            pte |= PTE_AP_UNPRIV;
        }
        if ((prot & IOMMU_MMIO) != 0) {
            pte |= (long) MAIR_ATTR_IDX_DEV << PTE_ATTRINDX_SHIFT;
        } else if ((prot & IOMMU_CACHE) != 0) {
            pte |= (long) MAIR_ATTR_IDX_CACHE << PTE_ATTRINDX_SHIFT;
        }
        pte |= (prot & IOMMU_CACHE) != 0 ? PTE_SH_IS : PTE_SH_OS;
        if ((prot & IOMMU_NOEXEC) != 0) {
            pte |= PTE_XN;
        }
        pte |= PTE_AF;
        return pte;
    }

    /**
     * A leaf mapping {@code pa} at {@code level} ({@code arm_lpae_init_pte()}): a page at level
     * 3, a block above.
     */
    public static long leaf(long pa, int prot, int level) {
        checkLevel(level);
        if (level == 0) {
            throw new IllegalArgumentException("no block descriptors at level 0");
        }
        long size = blockSize(level);
        if ((pa & (size - 1)) != 0) {
            throw new IllegalArgumentException("PA 0x" + Long.toHexString(pa) + " not aligned to the level-"
                    + level + " block size");
        }
        return protToPte(prot) | (level == MAX_LEVELS - 1 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK) | (pa & PTE_ADDR_MASK);
    }

    /** A table descriptor pointing at the next-level table page {@code tablePa}. */
    public static long table(long tablePa) {
        if ((tablePa & (GRANULE - 1)) != 0) {
            throw new IllegalArgumentException("table PA not page aligned: 0x" + Long.toHexString(tablePa));
        }
        return (tablePa & PTE_ADDR_MASK) | PTE_TYPE_TABLE;
    }

    public static boolean isValid(long pte) {
        return (pte & PTE_VALID) != 0;
    }

    /** {@code iopte_leaf()}: a page at level 3, a block above. */
    public static boolean isLeaf(long pte, int level) {
        long type = pte & PTE_TYPE_MASK;
        return level == MAX_LEVELS - 1 ? type == PTE_TYPE_PAGE : type == PTE_TYPE_BLOCK;
    }

    /** Whether {@code pte} points to a next-level table (never true at level 3). */
    public static boolean isTable(long pte, int level) {
        return level < MAX_LEVELS - 1 && (pte & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
    }

    /** The output (or next-table) address of a descriptor. */
    public static long address(long pte) {
        return pte & PTE_ADDR_MASK;
    }

    /** Bit position of the VA field that indexes a level-{@code level} table. */
    public static int levelShift(int level) {
        checkLevel(level);
        return GRANULE_SHIFT + (MAX_LEVELS - 1 - level) * BITS_PER_LEVEL;
    }

    /** Bytes one level-{@code level} descriptor covers (512 GiB, 1 GiB, 2 MiB, 4 KiB). */
    public static long blockSize(int level) {
        return 1L << levelShift(level);
    }

    /** Index of {@code va} in its level-{@code level} table. */
    public static int index(long va, int level) {
        return (int) ((va >>> levelShift(level)) & (ENTRIES_PER_TABLE - 1));
    }

    /** First level of the walk for a {@code vaBits}-bit input range (io-pgtable's start level). */
    public static int startLevel(int vaBits) {
        int levels = (vaBits - GRANULE_SHIFT + BITS_PER_LEVEL - 1) / BITS_PER_LEVEL;
        return MAX_LEVELS - Math.min(MAX_LEVELS, levels);
    }

    private static void checkLevel(int level) {
        if (level < 0 || level >= MAX_LEVELS) {
            throw new IllegalArgumentException("no LPAE level " + level);
        }
    }

    // --- address-space registers (panthor_mmu.c) ----------------------------------------------

    /**
     * AS_MEMATTR for a MAIR ({@code mair_to_memattr()}): for each of the 8 attributes, inner and
     * outer write-back gives INNER_OUTER_WB with explicit allocation hints (SH_CPU_INNER when the
     * GPU is IO-coherent, SH_MIDGARD_INNER otherwise); anything else is non-cacheable
     * SH_MIDGARD_INNER without allocation.
     */
    public static long mairToMemattr(long mair, boolean coherent) {
        long memattr = 0;
        for (int i = 0; i < 8; i++) {
            int in = (int) (mair >>> (8 * i)) & 0xff;
            int outer = in >>> 4;
            int inner = in & 0xf;
            int out;
            if ((outer & 3) == 0 || (outer & 4) == 0 || (inner & 4) == 0) {
                out = AS_MEMATTR_AARCH64_INNER_OUTER_NC | AS_MEMATTR_AARCH64_SH_MIDGARD_INNER
                        | AS_MEMATTR_AARCH64_INNER_ALLOC_EXPL(0, 0);
            } else {
                out = AS_MEMATTR_AARCH64_INNER_OUTER_WB
                        | AS_MEMATTR_AARCH64_INNER_ALLOC_EXPL((inner & 1) != 0 ? 1 : 0, (inner & 2) != 0 ? 1 : 0)
                        | (coherent ? AS_MEMATTR_AARCH64_SH_CPU_INNER : AS_MEMATTR_AARCH64_SH_MIDGARD_INNER);
            }
            memattr |= (long) (out & 0xff) << (8 * i);
        }
        return memattr;
    }

    /**
     * AS_TRANSCFG for a VM ({@code panthor_vm_active()}): write-back, read-allocate table walks,
     * AArch64 4 KiB, INA_BITS(55 - va_bits), outer-shareable walks when coherent.
     */
    public static long transcfg(int vaBits, boolean coherent) {
        long transcfg = AS_TRANSCFG_PTW_MEMATTR_WB | AS_TRANSCFG_PTW_RA | AS_TRANSCFG_ADRMODE_AARCH64_4K
                | AS_TRANSCFG_INA_BITS(55 - vaBits);
        if (coherent) {
            transcfg |= AS_TRANSCFG_PTW_SH_OS;
        }
        return transcfg;
    }

    /**
     * AS_LOCKADDR for a region ({@code lock_region()}): the smallest naturally aligned
     * power-of-two block, at least 32 KiB, covering [start, start + size), encoded as
     * {@code log2(width) - 1 | base}. A whole 64-bit space gives 63.
     */
    public static long lockRegion(long start, long size) {
        if (size == 0) {
            throw new IllegalArgumentException("empty lock region");
        }
        long end = start + size;
        int fls = 64 - Long.numberOfLeadingZeros(start ^ (end - 1));
        int minLog2 = 63 - Long.numberOfLeadingZeros(AS_LOCK_REGION_MIN_SIZE);
        int width = Math.max(fls, minLog2) - 1;
        long base = start & (-1L << width);
        return width | base;
    }
}
