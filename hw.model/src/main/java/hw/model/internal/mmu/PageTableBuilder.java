package hw.model.internal.mmu;

import hw.model.api.PhysicalMemory;
import hw.model.regs.MaliRegs;

/**
 * DOC: Page-table builder.
 *
 * Writes AArch64 4 KiB-granule stage-1 page tables into physical memory the way Linux's
 * io-pgtable ({@code ARM_64_LPAE_S1}) does for Panthor, for tests, benchmarks and demos
 * that must "hand-write page tables" without the driver: table descriptors {@code 0b11};
 * leaves with AF, nG, AP[1] (unprivileged), AP[2] for read-only, UXN|PXN for no-exec,
 * AttrIndx 1 (cached, SH inner) or 0 (uncached, SH outer), 4 KiB pages at L3 and 2 MiB / 1 GiB
 * blocks at L2 / L1. Table pages come from a bump allocator over a caller-chosen physical
 * range and are zeroed. Nothing here flushes a TLB: that is the caller's (driver's) job.
 */
public final class PageTableBuilder {

    public static final int PROT_READONLY = 1;
    public static final int PROT_NOEXEC = 2;
    public static final int PROT_UNCACHED = 4;

    public static final long SZ_4K = 1L << 12;
    public static final long SZ_2M = 1L << 21;
    public static final long SZ_1G = 1L << 30;

    /** TRANSCFG as panthor_vm_active() programs it (non-coherent): WB walks, RA, AARCH64_4K, INA_BITS(55 - vaBits). */
    public static long transcfg(int vaBits) {
        return MaliRegs.AS_TRANSCFG_PTW_MEMATTR_WB | MaliRegs.AS_TRANSCFG_PTW_RA | MaliRegs.AS_TRANSCFG_ADRMODE_AARCH64_4K
                | MaliRegs.AS_TRANSCFG_INA_BITS(55 - vaBits);
    }

    private static final long NC = MaliRegs.AS_MEMATTR_AARCH64_INNER_OUTER_NC | MaliRegs.AS_MEMATTR_AARCH64_SH_MIDGARD_INNER
            | MaliRegs.AS_MEMATTR_AARCH64_INNER_ALLOC_EXPL(0, 0);
    private static final long WB_RW = MaliRegs.AS_MEMATTR_AARCH64_INNER_OUTER_WB | MaliRegs.AS_MEMATTR_AARCH64_SH_MIDGARD_INNER
            | MaliRegs.AS_MEMATTR_AARCH64_INNER_ALLOC_EXPL(1, 1);
    private static final long WB_NOALLOC = MaliRegs.AS_MEMATTR_AARCH64_INNER_OUTER_WB
            | MaliRegs.AS_MEMATTR_AARCH64_SH_MIDGARD_INNER | MaliRegs.AS_MEMATTR_AARCH64_INNER_ALLOC_EXPL(0, 0);

    /**
     * MEMATTR that mair_to_memattr() derives (non-coherent) from io-pgtable's MAIR: index 0
     * NC, 1 cached (write-back, allocate), 2 device (NC), 3 inner-NC/outer-cached (WB, no
     * allocate), 4..7 unused (NC): 0x4C4C4C4C8C4C8F4C.
     */
    public static final long MEMATTR = NC | WB_RW << 8 | NC << 16 | WB_NOALLOC << 24 | NC << 32 | NC << 40 | NC << 48 | NC << 56;

    private final PhysicalMemory memory;
    private final long root;
    private final int startLevel;
    private long next;
    private final long end;

    /** Tables for a 48-bit VA, allocated from [tableBase, tableBase + tableBytes). */
    public PageTableBuilder(PhysicalMemory memory, long tableBase, long tableBytes) {
        this(memory, tableBase, tableBytes, PageTableWalker.MAX_VA_BITS);
    }

    public PageTableBuilder(PhysicalMemory memory, long tableBase, long tableBytes, int vaBits) {
        if ((tableBase & (SZ_4K - 1)) != 0) {
            throw new IllegalArgumentException("table area must be page aligned");
        }
        this.memory = memory;
        this.next = tableBase;
        this.end = tableBase + tableBytes;
        this.startLevel = PageTableWalker.startLevel(vaBits);
        this.root = allocTable();
    }

    /** TRANSTAB value: PA of the start-level table. */
    public long root() {
        return root;
    }

    /** Bytes of table memory used so far. */
    public long used() {
        return next - root;
    }

    public long allocTable() {
        if (next + SZ_4K > end) {
            throw new IllegalStateException("page-table area exhausted");
        }
        long pa = next;
        next += SZ_4K;
        memory.zero(pa, SZ_4K);
        return pa;
    }

    /** Leaf descriptor bits for {@code prot}, as arm_lpae_prot_to_pte() builds them (without the type bits). */
    public static long leafAttrs(int prot) {
        long pte = PageTableWalker.AF | PageTableWalker.NG | PageTableWalker.AP_UNPRIV;
        if ((prot & PROT_READONLY) != 0) {
            pte |= PageTableWalker.AP_RDONLY;
        }
        if ((prot & PROT_NOEXEC) != 0) {
            pte |= PageTableWalker.XN | PageTableWalker.PXN;
        }
        if ((prot & PROT_UNCACHED) != 0) {
            pte |= (2L << PageTableWalker.SH_SHIFT);
        } else {
            pte |= (1L << PageTableWalker.ATTR_INDX_SHIFT) | (3L << PageTableWalker.SH_SHIFT);
        }
        return pte;
    }

    public PageTableBuilder map4k(long va, long pa, int prot) {
        memory.write64(slot(va, 3), (pa & PageTableWalker.OA_MASK) | leafAttrs(prot) | 3);
        return this;
    }

    public PageTableBuilder map2m(long va, long pa, int prot) {
        check(va, pa, SZ_2M);
        memory.write64(slot(va, 2), (pa & PageTableWalker.OA_MASK) | leafAttrs(prot) | 1);
        return this;
    }

    public PageTableBuilder map1g(long va, long pa, int prot) {
        check(va, pa, SZ_1G);
        memory.write64(slot(va, 1), (pa & PageTableWalker.OA_MASK) | leafAttrs(prot) | 1);
        return this;
    }

    /** Maps [va, va + size) to [pa, ...) in 2 MiB blocks where both are aligned, else 4 KiB pages. */
    public PageTableBuilder map(long va, long pa, long size, int prot) {
        long done = 0;
        while (done < size) {
            long v = va + done;
            long p = pa + done;
            if (((v | p) & (SZ_2M - 1)) == 0 && size - done >= SZ_2M) {
                map2m(v, p, prot);
                done += SZ_2M;
            } else {
                map4k(v, p, prot);
                done += SZ_4K;
            }
        }
        return this;
    }

    /** Clears the descriptor at {@code level} for {@code va} (creating tables above it if needed). */
    public PageTableBuilder unmap(long va, int level) {
        memory.write64(slot(va, level), 0);
        return this;
    }

    /** Writes a raw descriptor at {@code level} for {@code va}. */
    public PageTableBuilder setDescriptor(long va, int level, long descriptor) {
        memory.write64(slot(va, level), descriptor);
        return this;
    }

    /** PA of the descriptor for {@code va} at {@code level}, allocating tables above it. */
    public long slot(long va, int level) {
        if (level < startLevel || level > 3) {
            throw new IllegalArgumentException("level " + level);
        }
        long table = root;
        for (int l = startLevel; ; l++) {
            long addr = table + 8L * ((va >>> (12 + 9 * (3 - l))) & 511);
            if (l == level) {
                return addr;
            }
            long desc = memory.read64(addr);
            if ((desc & 3) != 3) {
                long t = allocTable();
                memory.write64(addr, t | 3);
                table = t;
            } else {
                table = desc & PageTableWalker.OA_MASK;
            }
        }
    }

    private static void check(long va, long pa, long size) {
        if (((va | pa) & (size - 1)) != 0) {
            throw new IllegalArgumentException("unaligned block");
        }
    }
}
