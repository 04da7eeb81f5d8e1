package hw.model.internal.csf;

import static hw.model.regs.MaliRegs.*;

import hw.model.api.Mmio;
import hw.model.internal.SparseMemory;
import hw.model.internal.VirtualClock;
import hw.model.internal.mmu.MmuBlock;

/**
 * Hand-written AArch64 stage-1 LPAE page tables (4 KiB granule, 48-bit VA, 4 levels) in
 * physical memory, as io-pgtable builds them for Panthor, and the MMIO sequence
 * panthor_mmu_as_enable() uses to program an address space with them.
 */
final class LpaeTables {

    /** Eight MEMATTR bytes: write-back, inner/outer, implementation-defined allocation. */
    static final long MEMATTR = 0x8888_8888_8888_8888L;
    static final long TRANSCFG = AS_TRANSCFG_ADRMODE_AARCH64_4K | AS_TRANSCFG_INA_BITS(55 - 48)
            | AS_TRANSCFG_PTW_MEMATTR_WB | AS_TRANSCFG_PTW_RA;

    private static final long VALID_TABLE = 3L;
    private static final long AF = 1L << 10;
    private static final long SH_INNER = 3L << 8;
    private static final long AP_UNPRIV = 1L << 6;
    private static final long AP_RDONLY = 1L << 7;
    private static final long XN = (1L << 54) | (1L << 53);

    /** Bump allocator of page-table pages shared by all tables of a test. */
    static final class Allocator {
        private long next;

        Allocator(long base) {
            this.next = base;
        }

        long page() {
            long p = next;
            next += 4096;
            return p;
        }
    }

    final SparseMemory mem;
    final Allocator alloc;
    final long root;

    LpaeTables(SparseMemory mem, Allocator alloc) {
        this.mem = mem;
        this.alloc = alloc;
        this.root = alloc.page();
        mem.zero(root, 4096);
    }

    /** Maps [va, va + size) to [pa, pa + size) with 4 KiB pages. */
    LpaeTables map(long va, long pa, long size, boolean writable, boolean executable) {
        for (long off = 0; off < size; off += 4096) {
            long table = root;
            long v = va + off;
            for (int level = 0; level < 3; level++) {
                int idx = (int) ((v >>> (39 - 9 * level)) & 0x1FF);
                long desc = mem.read64(table + 8L * idx);
                if ((desc & 3) != VALID_TABLE) {
                    long next = alloc.page();
                    mem.zero(next, 4096);
                    desc = next | VALID_TABLE;
                    mem.write64(table + 8L * idx, desc);
                }
                table = desc & 0x0000_FFFF_FFFF_F000L;
            }
            int idx = (int) ((v >>> 12) & 0x1FF);
            long pte = (pa + off) | 3L | AF | SH_INNER | AP_UNPRIV
                    | (writable ? 0 : AP_RDONLY) | (executable ? 0 : XN);
            mem.write64(table + 8L * idx, pte);
        }
        return this;
    }

    /** Removes the 4 KiB page at {@code va} (the TLB keeps it until the driver flushes). */
    void unmap(long va) {
        long table = root;
        for (int level = 0; level < 3; level++) {
            int idx = (int) ((va >>> (39 - 9 * level)) & 0x1FF);
            long desc = mem.read64(table + 8L * idx);
            if ((desc & 3) != VALID_TABLE) {
                return;
            }
            table = desc & 0x0000_FFFF_FFFF_F000L;
        }
        mem.write64(table + 8L * ((va >>> 12) & 0x1FF), 0);
    }

    /** panthor_mmu_as_enable(): FLUSH_MEM over everything, TRANSTAB/MEMATTR/TRANSCFG, UPDATE. */
    void enable(Mmio mmio, VirtualClock clock, int as) {
        waitReady(mmio, clock, as);
        mmio.write64(AS_LOCKADDR(as), MmuBlock.lockAddr(0, ~0L));
        mmio.write32(AS_COMMAND(as), AS_COMMAND_LOCK);
        waitReady(mmio, clock, as);
        mmio.write32(AS_COMMAND(as), AS_COMMAND_FLUSH_MEM);
        waitReady(mmio, clock, as);
        mmio.write64(AS_TRANSTAB(as), root);
        mmio.write64(AS_MEMATTR(as), MEMATTR);
        mmio.write64(AS_TRANSCFG(as), TRANSCFG);
        mmio.write32(AS_COMMAND(as), AS_COMMAND_UPDATE);
        waitReady(mmio, clock, as);
    }

    static void waitReady(Mmio mmio, VirtualClock clock, int as) {
        if (!clock.await(() -> (mmio.read32(AS_STATUS(as)) & AS_STATUS_AS_ACTIVE) == 0, 10_000_000L)) {
            throw new AssertionError("AS" + as + " stays AS_ACTIVE");
        }
    }
}
