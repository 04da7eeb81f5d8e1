package hw.model.internal.mmu;

import hw.model.api.PhysicalMemory;
import hw.model.regs.MaliRegs;
import hw.model.regs.typed.ExceptionType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * DOC: Page-table walker.
 *
 * Walks the AArch64 stage-1 long-descriptor format with a 4 KiB granule, the format Linux's
 * io-pgtable builds for Panthor ({@code ARM_64_LPAE_S1}):
 *
 *  - levels L0..L3 resolve VA bits 47:39, 38:30, 29:21 and 20:12;
 *  - bits 1:0 of a descriptor: {@code x0} invalid; {@code 11} table at L0-L2 and page at L3;
 *    {@code 01} block at L1 (1 GiB) and L2 (2 MiB); {@code 01} at L0 and L3 is reserved and
 *    faults like an invalid descriptor;
 *  - output address bits 47:12 (block: 47:30 or 47:21); an output or next-table address at
 *    or above the 40-bit physical space is an ADDR_SIZE_FAULT_OUTn;
 *  - leaf attributes: AttrIndx 4:2 (index of a MEMATTR byte), AP[1] bit 6 (unprivileged,
 *    set by io-pgtable on every S1 mapping; recorded, not checked: the GPU has no privilege
 *    levels), AP[2] bit 7 (read-only), SH 9:8 (recorded), AF bit 10, nG bit 11 (recorded),
 *    PXN bit 53 (ignored, as kbase and io-pgtable set both XN bits), UXN/XN bit 54;
 *  - table attributes APTable[1] bit 62 (read-only below) and UXNTable bit 60 (XN below),
 *    both ignored when TRANSCFG.DISABLE_HIER_AP (bit 33) is set.
 *
 * TRANSCFG selects the mode (ADRMODE 3:0): AARCH64_4K (6) walks; IDENTITY (2) maps VA to PA
 * with full permissions; UNMAPPED (1), the reset value 0 and the modes the model does not
 * implement (AARCH64_64K) fault every access with TRANSLATION_FAULT_0. INA_BITS (10:6) bounds
 * the input address as Panthor programs it, {@code INA_BITS(55 - va_bits)}: 0 or a value
 * giving more than the 48 bits of MMU_FEATURES means 48 bits, and fewer than 25 bits is
 * raised to 25. A VA with a bit set at or above that width faults with ADDR_SIZE_FAULT_IN
 * (0xE0), and the walk starts at the level that width implies (48..40 bits: L0, 39..31: L1,
 * 30..25: L2), so a 39-bit space has three levels as io-pgtable expects. DISABLE_AF_FAULT
 * (bit 34) turns the access-flag fault off; WXN (bit 35) makes writable pages non-executable.
 * A leaf whose MEMATTR byte has the AS_MEMATTR_AARCH64_FAULT outer policy (bits 7:6 = 3)
 * faults with MEM_ATTR_FAULT_n.
 *
 * Fault priority along a walk: address size (in), then per level: address size (out),
 * translation, access flag, memory attribute. Permission faults (write to read-only,
 * execute of XN) are decided by the caller against the flags of a successful walk, so they
 * apply to TLB hits too.
 *
 * {@link #translate} is allocation-free and keeps its result in fields ({@link #pa},
 * {@link #flags}, {@link #descriptor}); one walker is used by one thread at a time (the MMU
 * walks under the model lock). {@link #walk} returns every step for the shell's mmu:walk.
 */
public final class PageTableWalker {

    public static final long DESC_VALID = 1L;
    public static final long DESC_TABLE_OR_PAGE = 2L;
    public static final int ATTR_INDX_SHIFT = 2;
    public static final long AP_UNPRIV = 1L << 6;
    public static final long AP_RDONLY = 1L << 7;
    public static final int SH_SHIFT = 8;
    public static final long AF = 1L << 10;
    public static final long NG = 1L << 11;
    public static final long PXN = 1L << 53;
    public static final long XN = 1L << 54;
    public static final long UXN_TABLE = 1L << 60;
    public static final long AP_TABLE_RDONLY = 1L << 62;
    public static final long OA_MASK = 0x0000_FFFF_FFFF_F000L;

    public static final long ADRMODE_MASK = MaliRegs.AS_TRANSCFG_ADRMODE_MASK;
    public static final long ADRMODE_UNMAPPED = MaliRegs.AS_TRANSCFG_ADRMODE_UNMAPPED;
    public static final long ADRMODE_IDENTITY = MaliRegs.AS_TRANSCFG_ADRMODE_IDENTITY;
    public static final long ADRMODE_AARCH64_4K = MaliRegs.AS_TRANSCFG_ADRMODE_AARCH64_4K;
    public static final long ADRMODE_AARCH64_64K = MaliRegs.AS_TRANSCFG_ADRMODE_AARCH64_64K;
    public static final long DISABLE_HIER_AP = MaliRegs.AS_TRANSCFG_DISABLE_HIER_AP;
    public static final long DISABLE_AF_FAULT = MaliRegs.AS_TRANSCFG_DISABLE_AF_FAULT;
    public static final long WXN = MaliRegs.AS_TRANSCFG_WXN;
    /** TRANSTAB: base address of the start-level table, bits 47:4. */
    public static final long TRANSTAB_ADDR_MASK = 0x0000_FFFF_FFFF_FFF0L;

    /** Exception types (FAULTSTATUS 7:0); the level is added to the _0 codes. */
    public static final int TRANSLATION_FAULT_0 = MaliRegs.EXCEPTION_TRANSLATION_FAULT_0;
    public static final int PERMISSION_FAULT_0 = MaliRegs.EXCEPTION_PERM_FAULT_0;
    public static final int ACCESS_FLAG_0 = MaliRegs.EXCEPTION_ACCESS_FLAG_1 - 1;
    public static final int ADDR_SIZE_FAULT_IN = MaliRegs.EXCEPTION_ADDR_SIZE_FAULT_IN;
    public static final int ADDR_SIZE_FAULT_OUT0 = MaliRegs.EXCEPTION_ADDR_SIZE_FAULT_OUT0;
    public static final int MEM_ATTR_FAULT_0 = MaliRegs.EXCEPTION_MEM_ATTR_FAULT_0;

    /** Result flags: writable, executable; leaf level in 5:4, block shift in 13:8, AttrIndx in 18:16. */
    public static final int PERM_WRITE = 1;
    public static final int PERM_EXEC = 2;

    public static final int MAX_VA_BITS = 48;
    public static final int MIN_VA_BITS = 25;

    private final PhysicalMemory memory;
    private final long paLimit;
    private long walks;

    /** Page-aligned PA of the 4 KiB page holding the VA of the last successful translate. */
    public long pa;
    /** Flags of the last successful translate (see {@link #PERM_WRITE}, {@link #level}, ...). */
    public int flags;
    /** Leaf descriptor of the last translate (0 for identity mode or a fault before a leaf). */
    public long descriptor;

    public PageTableWalker(PhysicalMemory memory) {
        this.memory = memory;
        this.paLimit = 1L << memory.paBits();
    }

    /** One step of a detailed walk. */
    public record Step(int level, long table, int index, long descriptor, String kind) {
        @Override
        public String toString() {
            return String.format("L%d table 0x%010x [%3d] = 0x%016x %s", level, table, index, descriptor, kind);
        }
    }

    /** A detailed walk: every level visited, then the translation or the fault. */
    public record Walk(long va, int fault, long pa, int flags, List<Step> steps) {
        public boolean ok() {
            return fault == 0;
        }

        /** Printable lines, one per step plus the outcome. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format("VA 0x%x", va));
            for (Step s : steps) {
                out.add("  " + s);
            }
            if (fault != 0) {
                out.add(String.format("  -> fault 0x%02x %s", fault, exceptionName(fault)));
            } else {
                out.add(String.format("  -> PA 0x%x (%s%s, %s, AttrIndx %d)", pa, (flags & PERM_WRITE) != 0 ? "RW" : "RO",
                        (flags & PERM_EXEC) != 0 ? "X" : "-", blockName(blockShift(flags)), attrIndex(flags)));
            }
            return out;
        }
    }

    public static int level(int flags) {
        return (flags >>> 4) & 3;
    }

    public static int blockShift(int flags) {
        return (flags >>> 8) & 0x3F;
    }

    public static int attrIndex(int flags) {
        return (flags >>> 16) & 7;
    }

    /** Number of walks done so far (including faulting ones). */
    public long walks() {
        return walks;
    }

    /** VA width TRANSCFG selects (see the class comment). */
    public static int vaBits(long transcfg) {
        int ina = MaliRegs.AS_TRANSCFG_INA_BITS_GET(transcfg);
        if (ina == 0) {
            return MAX_VA_BITS;
        }
        return Math.max(MIN_VA_BITS, Math.min(MAX_VA_BITS, 55 - ina));
    }

    /** First level of a walk over a {@code vaBits}-wide input address. */
    public static int startLevel(int vaBits) {
        return 4 - (vaBits - 12 + 8) / 9;
    }

    /**
     * Translates {@code va}; returns 0 and sets {@link #pa}, {@link #flags},
     * {@link #descriptor}, or returns the exception type of the fault. Allocation-free.
     */
    public int translate(long transtab, long transcfg, long memattr, long va) {
        return walk(transtab, transcfg, memattr, va, null);
    }

    /** Like {@link #translate} but records every step; for debugging (allocates). */
    public Walk walk(long transtab, long transcfg, long memattr, long va) {
        List<Step> steps = new ArrayList<>(4);
        int fault = walk(transtab, transcfg, memattr, va, steps);
        return new Walk(va, fault, fault == 0 ? pa | (va & 0xFFF) : 0, fault == 0 ? flags : 0,
                Collections.unmodifiableList(steps));
    }

    private int walk(long transtab, long transcfg, long memattr, long va, List<Step> steps) {
        walks++;
        descriptor = 0;
        long mode = transcfg & ADRMODE_MASK;
        if (mode == ADRMODE_IDENTITY) {
            if (va < 0 || va >= paLimit) {
                return ADDR_SIZE_FAULT_IN;
            }
            pa = va & ~0xFFFL;
            flags = PERM_WRITE | PERM_EXEC | (12 << 8);
            return 0;
        }
        if (mode != ADRMODE_AARCH64_4K) {
            return TRANSLATION_FAULT_0;
        }
        int vaBits = vaBits(transcfg);
        if ((va >>> vaBits) != 0) {
            return ADDR_SIZE_FAULT_IN;
        }
        int level = startLevel(vaBits);
        long table = transtab & TRANSTAB_ADDR_MASK;
        if (table >= paLimit) {
            return ADDR_SIZE_FAULT_OUT0 + level;
        }
        boolean hier = (transcfg & DISABLE_HIER_AP) == 0;
        boolean tableRo = false;
        boolean tableXn = false;
        while (true) {
            int shift = 12 + 9 * (3 - level);
            int index = (int) (va >>> shift) & 511;
            long desc = memory.read64(table + 8L * index);
            if ((desc & DESC_VALID) == 0) {
                step(steps, level, table, index, desc, "invalid");
                return TRANSLATION_FAULT_0 + level;
            }
            boolean typeBit = (desc & DESC_TABLE_OR_PAGE) != 0;
            if (level < 3 && typeBit) {
                long next = desc & OA_MASK;
                step(steps, level, table, index, desc, "table");
                if (next >= paLimit) {
                    return ADDR_SIZE_FAULT_OUT0 + level;
                }
                if (hier) {
                    tableRo |= (desc & AP_TABLE_RDONLY) != 0;
                    tableXn |= (desc & UXN_TABLE) != 0;
                }
                table = next;
                level++;
                continue;
            }
            if (level == 0 || (level == 3 && !typeBit)) {
                step(steps, level, table, index, desc, "reserved");
                return TRANSLATION_FAULT_0 + level;
            }
            step(steps, level, table, index, desc, level == 3 ? "page" : blockName(shift));
            long blockMask = (1L << shift) - 1;
            long oa = desc & OA_MASK & ~blockMask;
            if (oa >= paLimit) {
                return ADDR_SIZE_FAULT_OUT0 + level;
            }
            descriptor = desc;
            if ((desc & AF) == 0 && (transcfg & DISABLE_AF_FAULT) == 0) {
                return ACCESS_FLAG_0 + level;
            }
            int attr = (int) (desc >>> ATTR_INDX_SHIFT) & 7;
            int memattrByte = (int) (memattr >>> (8 * attr)) & 0xFF;
            if ((memattrByte >>> 6) == 3) {
                return MEM_ATTR_FAULT_0 + level;
            }
            boolean writable = (desc & AP_RDONLY) == 0 && !tableRo;
            boolean exec = (desc & XN) == 0 && !tableXn && !(writable && (transcfg & WXN) != 0);
            pa = (oa | (va & blockMask)) & ~0xFFFL;
            flags = (writable ? PERM_WRITE : 0) | (exec ? PERM_EXEC : 0) | (level << 4) | (shift << 8) | (attr << 16);
            return 0;
        }
    }

    private static void step(List<Step> steps, int level, long table, int index, long desc, String kind) {
        if (steps != null) {
            steps.add(new Step(level, table, index, desc, kind));
        }
    }

    static String blockName(int shift) {
        switch (shift) {
            case 12: return "4K page";
            case 21: return "2M block";
            case 30: return "1G block";
            default: return (1L << shift) + "-byte block";
        }
    }

    /** Name of an exception type, as panthor prints it. */
    public static String exceptionName(int code) {
        if (code == ACCESS_FLAG_0) {
            return "ACCESS_FLAG_0";
        }
        ExceptionType t = ExceptionType.of(code);
        return t != null ? t.name() : "UNKNOWN";
    }
}
