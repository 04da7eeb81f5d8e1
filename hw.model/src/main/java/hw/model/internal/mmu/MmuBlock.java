package hw.model.internal.mmu;

import hw.model.api.IrqLine;
import hw.model.api.VirtualTime;
import hw.model.internal.EventTrace;
import hw.model.internal.G610;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.GpuModel;
import hw.model.internal.IrqRegs;
import hw.model.internal.MmioBus;
import hw.model.internal.SparseMemory;
import hw.model.internal.VirtualClock;
import hw.model.regs.MaliRegs;
import java.util.ArrayList;
import java.util.List;

/**
 * DOC: MMU.
 *
 * The Mali MMU: popcount(AS_PRESENT) = 8 address spaces, each a register window at
 * {@code MMU_AS(as) = 0x2400 + (as << 6)}, and the MMU interrupt at 0x2000 (bit n: page
 * fault on AS n). Bits 16..31 are REQ_COMPLETE in panthor_regs.h (always masked) and bus
 * faults in kbase; the model raises neither: command completion shows only in AS_ACTIVE,
 * which is what Panthor polls, and bus faults are not modelled.
 *
 * Registers. TRANSTAB, MEMATTR, LOCKADDR and TRANSCFG are plain 64-bit read/write registers;
 * writing them changes nothing until the driver issues UPDATE, which latches TRANSTAB,
 * MEMATTR and TRANSCFG into the configuration the MMU translates with (and drops the AS's
 * TLB). FAULTSTATUS, FAULTADDRESS, FAULTEXTRA and STATUS are read-only; COMMAND is
 * write-only and reads 0.
 *
 * Commands. Writing COMMAND sets STATUS.AS_ACTIVE; the command takes effect when it
 * completes, a few microseconds of virtual time later (UPDATE, LOCK, UNLOCK 1 us, FLUSH_PT
 * 2 us, FLUSH_MEM 3 us), when AS_ACTIVE clears. Register values are sampled when the
 * command is written. NOP does nothing and does not set AS_ACTIVE.
 * A command written while AS_ACTIVE is set is undefined on silicon (Panthor always polls
 * for !AS_ACTIVE first); the model drops it and records "mmu-as-command-busy", so a driver
 * that forgets to wait loses its flush visibly. Unknown command values are ignored.
 *
 *  - LOCK locks the region in LOCKADDR: bits 5:0 hold log2(size) - 1, the bits above the
 *    base of a naturally aligned region; sizes under 32 KiB are raised to 32 KiB (the
 *    AS_LOCK_REGION_MIN_SIZE the driver respects), 63 means the whole 64-bit space. The
 *    TLB entries of the region are dropped and, until the region is unlocked, accesses in
 *    it are translated by a fresh walk every time and never cached. (Silicon stalls them
 *    until UNLOCK; the model lets them through against the page tables as they are, which
 *    is what a driver that updates tables under LOCK and flushes before UNLOCK expects.)
 *    A LOCK while a region is locked replaces it.
 *  - UNLOCK, FLUSH_PT and FLUSH_MEM "flush the region": they drop the TLB entries of the
 *    locked region (or, if nothing is locked, of the region LOCKADDR describes) and unlock.
 *    FLUSH_MEM also writes back caches, a no-op here since physical memory is coherent.
 *    The flush is by region, as on silicon: flushing a region that does not cover a stale
 *    entry leaves it in the TLB.
 *  - UPDATE latches the configuration and drops the whole TLB of the AS.
 *
 * Translation. GPU units reach memory through {@link #bus(int)}: a TLB lookup, on a miss a
 * page-table walk ({@link PageTableWalker}) with the latched configuration, then the
 * permission check (write to a read-only page, or instruction fetch from an XN page, is a
 * PERMISSION_FAULT at the leaf's level). A successful walk is cached in the TLB, which keeps
 * serving it until a command above drops it: a page-table update without a flush leaves the
 * GPU using the old translation, as on silicon.
 *
 * Faults. A faulting access latches FAULTSTATUS (exception type 7:0, access type 9:8:
 * ATOMIC 0, EX 1, READ 2, WRITE 3; bit 10 decoder/slave fault is 0; source id 31:16) and
 * FAULTADDRESS (the VA; FAULTEXTRA 0), raises MMU IRQ bit {@code as} and throws
 * {@link GpuFault} to the unit that made the access. While that AS's fault bit is pending in
 * RAWSTAT, later faults still raise the bit and throw but do not overwrite the latched
 * status, so the driver reads the first fault. The source id of the command-stream frontend
 * is the model's own choice, {@link #SOURCE_ID_CSF} (no public source documents the real
 * encoding). Faulting walks are not cached.
 */
public final class MmuBlock {

    public static final int AS_COMMAND_NOP = MaliRegs.AS_COMMAND_NOP;
    public static final int AS_COMMAND_UPDATE = MaliRegs.AS_COMMAND_UPDATE;
    public static final int AS_COMMAND_LOCK = MaliRegs.AS_COMMAND_LOCK;
    public static final int AS_COMMAND_UNLOCK = MaliRegs.AS_COMMAND_UNLOCK;
    public static final int AS_COMMAND_FLUSH_PT = MaliRegs.AS_COMMAND_FLUSH_PT;
    public static final int AS_COMMAND_FLUSH_MEM = MaliRegs.AS_COMMAND_FLUSH_MEM;
    public static final int AS_STATUS_AS_ACTIVE = MaliRegs.AS_STATUS_AS_ACTIVE;
    public static final int AS_LOCK_REGION_MIN_LOG2 = Long.numberOfTrailingZeros(MaliRegs.AS_LOCK_REGION_MIN_SIZE);

    public static final int ACCESS_ATOMIC = GpuFault.ACCESS_ATOMIC;
    public static final int ACCESS_EXECUTE = GpuFault.ACCESS_EXECUTE;
    public static final int ACCESS_READ = GpuFault.ACCESS_READ;
    public static final int ACCESS_WRITE = GpuFault.ACCESS_WRITE;

    /** FAULTSTATUS source id of the command-stream frontend (a model choice). */
    public static final int SOURCE_ID_CSF = 0x0008;

    static final long[] COMMAND_NANOS = {0, 1_000, 1_000, 1_000, 2_000, 3_000};
    private static final String[] COMMAND_NAMES = {"NOP", "UPDATE", "LOCK", "UNLOCK", "FLUSH_PT", "FLUSH_MEM"};

    /** AS_LOCKADDR value for the naturally aligned region covering [start, start + size), as Panthor's lock_region(). */
    public static long lockAddr(long start, long size) {
        long end = start + size;
        int width = Math.max(64 - Long.numberOfLeadingZeros(start ^ (end - 1)), AS_LOCK_REGION_MIN_LOG2) - 1;
        long base = start & ~((1L << width) - 1);
        return base | width;
    }

    /** AS_COMMAND name ("FLUSH_PT"), or the value in hex. */
    public static String commandName(int cmd) {
        return cmd >= 0 && cmd < COMMAND_NAMES.length ? COMMAND_NAMES[cmd] : "0x" + Integer.toHexString(cmd);
    }

    /** State of one address space; guarded by the model lock except the TLB lookups. */
    static final class AddressSpace {
        final int id;
        final Tlb tlb = new Tlb();
        long transtab;
        long memattr;
        long lockaddr;
        long transcfg;
        long activeTranstab;
        long activeMemattr;
        long activeTranscfg;
        int status;
        boolean stuck;
        int faultStatus;
        long faultAddress;
        long faultExtra;
        boolean locked;
        long lockFirst;
        long lockLast;
        long commands;
        long commandSeq;
        VirtualTime.Timer pending;

        AddressSpace(int id) {
            this.id = id;
        }

        boolean inLockedRegion(long va) {
            return locked && Long.compareUnsigned(va, lockFirst) >= 0 && Long.compareUnsigned(va, lockLast) <= 0;
        }
    }

    private final Object lock;
    private final EventTrace trace;
    private final VirtualClock clock;
    private final SparseMemory memory;
    private final IrqRegs irq;
    private final AddressSpace[] spaces;
    private final PageTableWalker walker;

    public MmuBlock(GpuModel model) {
        this.lock = model.lock();
        this.trace = model.trace();
        this.clock = model.clock();
        this.memory = model.memory();
        this.irq = new IrqRegs(IrqLine.MMU, model.irq(), trace);
        this.walker = new PageTableWalker(memory);
        int count = Integer.bitCount(G610.AS_PRESENT);
        spaces = new AddressSpace[count];
        for (int i = 0; i < count; i++) {
            spaces[i] = new AddressSpace(i);
        }
        MmioBus mmio = model.mmio();
        irq.mapAt(mmio, MaliRegs.MMU_INT_RAWSTAT, "MMU_INT");
        model.irq().connect(IrqLine.MMU, irq::stat);
        for (AddressSpace s : spaces) {
            mapAddressSpace(mmio, s);
        }
        model.onReset(this::reset);
    }

    private void mapAddressSpace(MmioBus mmio, AddressSpace s) {
        int as = s.id;
        String p = "AS" + as + "_";
        mmio.map(MaliRegs.AS_TRANSTAB_LO(as), p + "TRANSTAB_LO", () -> (int) s.transtab, v -> s.transtab = lo(s.transtab, v));
        mmio.map(MaliRegs.AS_TRANSTAB_HI(as), p + "TRANSTAB_HI", () -> (int) (s.transtab >>> 32), v -> s.transtab = hi(s.transtab, v));
        mmio.map(MaliRegs.AS_MEMATTR_LO(as), p + "MEMATTR_LO", () -> (int) s.memattr, v -> s.memattr = lo(s.memattr, v));
        mmio.map(MaliRegs.AS_MEMATTR_HI(as), p + "MEMATTR_HI", () -> (int) (s.memattr >>> 32), v -> s.memattr = hi(s.memattr, v));
        mmio.map(MaliRegs.AS_LOCKADDR_LO(as), p + "LOCKADDR_LO", () -> (int) s.lockaddr, v -> s.lockaddr = lo(s.lockaddr, v));
        mmio.map(MaliRegs.AS_LOCKADDR_HI(as), p + "LOCKADDR_HI", () -> (int) (s.lockaddr >>> 32), v -> s.lockaddr = hi(s.lockaddr, v));
        mmio.map(MaliRegs.AS_COMMAND(as), p + "COMMAND", () -> 0, v -> command(s, v));
        mmio.mapReadOnly(MaliRegs.AS_FAULTSTATUS(as), p + "FAULTSTATUS", () -> s.faultStatus);
        mmio.mapReadOnly(MaliRegs.AS_FAULTADDRESS_LO(as), p + "FAULTADDRESS_LO", () -> (int) s.faultAddress);
        mmio.mapReadOnly(MaliRegs.AS_FAULTADDRESS_HI(as), p + "FAULTADDRESS_HI", () -> (int) (s.faultAddress >>> 32));
        mmio.mapReadOnly(MaliRegs.AS_STATUS(as), p + "STATUS", () -> s.status);
        mmio.map(MaliRegs.AS_TRANSCFG_LO(as), p + "TRANSCFG_LO", () -> (int) s.transcfg, v -> s.transcfg = lo(s.transcfg, v));
        mmio.map(MaliRegs.AS_TRANSCFG_HI(as), p + "TRANSCFG_HI", () -> (int) (s.transcfg >>> 32), v -> s.transcfg = hi(s.transcfg, v));
        mmio.mapReadOnly(MaliRegs.AS_FAULTEXTRA_LO(as), p + "FAULTEXTRA_LO", () -> (int) s.faultExtra);
        mmio.mapReadOnly(MaliRegs.AS_FAULTEXTRA_HI(as), p + "FAULTEXTRA_HI", () -> (int) (s.faultExtra >>> 32));
    }

    private static long lo(long reg, int v) {
        return (reg & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL);
    }

    private static long hi(long reg, int v) {
        return (reg & 0xFFFF_FFFFL) | ((long) v << 32);
    }

    /** Number of address spaces (popcount of AS_PRESENT). */
    public int addressSpaces() {
        return spaces.length;
    }

    // ------------------------------------------------------------------ commands

    /** AS_COMMAND write; runs under the model lock (MMIO). */
    private void command(AddressSpace s, int cmd) {
        trace.record("mmu-as-command", s.id, cmd);
        if (cmd == AS_COMMAND_NOP) {
            return;
        }
        if (cmd < 0 || cmd >= COMMAND_NANOS.length) {
            trace.record("mmu-as-command-invalid", s.id, cmd);
            return;
        }
        if ((s.status & AS_STATUS_AS_ACTIVE) != 0) {
            trace.record("mmu-as-command-busy", s.id, cmd);
            return;
        }
        s.status |= AS_STATUS_AS_ACTIVE;
        s.commands++;
        long transtab = s.transtab;
        long memattr = s.memattr;
        long transcfg = s.transcfg;
        long lockaddr = s.lockaddr;
        long seq = ++s.commandSeq;
        s.pending = clock.schedule(COMMAND_NANOS[cmd], () -> {
            synchronized (lock) {
                if (s.commandSeq == seq) {
                    complete(s, cmd, transtab, memattr, transcfg, lockaddr);
                }
            }
        });
    }

    private void complete(AddressSpace s, int cmd, long transtab, long memattr, long transcfg, long lockaddr) {
        s.pending = null;
        switch (cmd) {
            case AS_COMMAND_UPDATE:
                s.activeTranstab = transtab;
                s.activeMemattr = memattr;
                s.activeTranscfg = transcfg;
                s.tlb.invalidateAll();
                break;
            case AS_COMMAND_LOCK: {
                long[] r = decodeLockAddr(lockaddr);
                s.locked = true;
                s.lockFirst = r[0];
                s.lockLast = r[1];
                s.tlb.invalidate(r[0], r[1]);
                break;
            }
            default: {
                long first;
                long last;
                if (s.locked) {
                    first = s.lockFirst;
                    last = s.lockLast;
                } else {
                    long[] r = decodeLockAddr(lockaddr);
                    first = r[0];
                    last = r[1];
                }
                s.tlb.invalidate(first, last);
                s.locked = false;
                break;
            }
        }
        trace.record("mmu-as-command-done", s.id, cmd);
        if (!s.stuck) {
            s.status &= ~AS_STATUS_AS_ACTIVE;
        }
    }

    /** {first, last} (inclusive) of the region an AS_LOCKADDR value describes. */
    static long[] decodeLockAddr(long lockaddr) {
        int log2 = Math.max(MaliRegs.AS_LOCKADDR_SIZE_GET(lockaddr) + 1, AS_LOCK_REGION_MIN_LOG2);
        if (log2 >= 64) {
            return new long[] {0, -1L};
        }
        long size = 1L << log2;
        long first = lockaddr & ~(size - 1);
        return new long[] {first, first + size - 1};
    }

    // ------------------------------------------------------------------ translation

    /**
     * A GPU-side view of address space {@code as} for the command-stream frontend. Each
     * caller should keep its own bus: it caches its last translations and is not thread-safe.
     */
    public GpuBus bus(int as) {
        return bus(as, SOURCE_ID_CSF);
    }

    /** Like {@link #bus(int)}, for a unit that reports {@code sourceId} in FAULTSTATUS. */
    public GpuBus bus(int as, int sourceId) {
        return new AsBus(this, space(as), memory, sourceId & 0xFFFF);
    }

    AddressSpace space(int as) {
        if (as < 0 || as >= spaces.length) {
            throw new IllegalArgumentException("no address space " + as);
        }
        return spaces[as];
    }

    /**
     * TLB miss: walks with the latched configuration and fills the TLB unless the VA is in
     * a locked region; faults (latched, IRQ, trace) on a failed walk or permission check.
     * Returns the translation (a TLB entry, possibly not inserted).
     */
    Tlb.Entry miss(AddressSpace s, long va, int access, int sourceId) throws GpuFault {
        synchronized (lock) {
            long vpn = va >>> 12;
            Tlb.Entry e = s.tlb.lookup(vpn);
            if (e == null) {
                s.tlb.misses++;
                s.tlb.walks++;
                int fault = walker.translate(s.activeTranstab, s.activeTranscfg, s.activeMemattr, va);
                if (fault != 0) {
                    throw fault(s, va, fault, access, sourceId);
                }
                if (s.inLockedRegion(va)) {
                    e = new Tlb.Entry(vpn, walker.pa, walker.flags);
                } else {
                    e = s.tlb.fill(vpn, walker.pa, walker.flags);
                }
            } else {
                s.tlb.hits++;
            }
            checkPermission(s, va, e.flags, access, sourceId);
            return e;
        }
    }

    /** Throws a permission fault if {@code flags} do not allow {@code access}. */
    void checkPermission(AddressSpace s, long va, int flags, int access, int sourceId) throws GpuFault {
        boolean ok;
        switch (access) {
            case ACCESS_WRITE:
            case ACCESS_ATOMIC:
                ok = (flags & PageTableWalker.PERM_WRITE) != 0;
                break;
            case ACCESS_EXECUTE:
                ok = (flags & PageTableWalker.PERM_EXEC) != 0;
                break;
            default:
                ok = true;
        }
        if (!ok) {
            throw fault(s, va, PageTableWalker.PERMISSION_FAULT_0 + PageTableWalker.level(flags), access, sourceId);
        }
    }

    /** Latches (unless a fault is pending on the AS) and raises a fault; returns the exception to throw. */
    GpuFault fault(AddressSpace s, long va, int exceptionType, int access, int sourceId) {
        synchronized (lock) {
            int status = MaliRegs.AS_FAULTSTATUS_EXCEPTION_TYPE_PREP(exceptionType)
                    | MaliRegs.AS_FAULTSTATUS_ACCESS_TYPE_PREP(access) | MaliRegs.AS_FAULTSTATUS_SOURCE_ID_PREP(sourceId);
            boolean pending = (irq.raw() & MaliRegs.MMU_INT_PAGE_FAULT(s.id)) != 0;
            if (!pending) {
                s.faultStatus = status;
                s.faultAddress = va;
                s.faultExtra = 0;
            }
            trace.record("mmu-fault", s.id, status, va, pending ? 1 : 0);
            irq.raise(MaliRegs.MMU_INT_PAGE_FAULT(s.id));
            return new GpuFault(s.id, va, exceptionType & 0xFF, access & 3);
        }
    }

    /**
     * A detailed, side-effect-free walk of {@code va} with the configuration AS {@code as}
     * latched at its last UPDATE (for the shell's mmu:walk). Does not touch the TLB.
     */
    public PageTableWalker.Walk walk(int as, long va) {
        synchronized (lock) {
            AddressSpace s = space(as);
            return walker.walk(s.activeTranstab, s.activeTranscfg, s.activeMemattr, va);
        }
    }

    /** The TLB of AS {@code as} (read-only use: lookups and counters). */
    public Tlb tlb(int as) {
        return space(as).tlb;
    }

    // ------------------------------------------------------------------ hooks

    /** Latches a READ translation fault at {@code va} on AS {@code as} and raises its IRQ. */
    public void injectPageFault(int as, long va) {
        synchronized (lock) {
            AddressSpace s = space(as);
            int code = walker.translate(s.activeTranstab, s.activeTranscfg, s.activeMemattr, va);
            if (code == 0) {
                code = PageTableWalker.TRANSLATION_FAULT_0 + 3;
            }
            trace.record("mmu-inject-page-fault", as, va);
            fault(s, va, code, ACCESS_READ, SOURCE_ID_CSF);
        }
    }

    /** While set, AS_ACTIVE of {@code as} stays set after any command (and is set now if a command runs). */
    public void stickAsActive(int as, boolean stick) {
        synchronized (lock) {
            AddressSpace s = space(as);
            s.stuck = stick;
            if (!stick && s.pending == null) {
                s.status &= ~AS_STATUS_AS_ACTIVE;
            }
            trace.record("mmu-stick-as-active", as, stick ? 1 : 0);
        }
    }

    /** Disarms every MMU fault injection. */
    public void clearInjections() {
        for (int i = 0; i < spaces.length; i++) {
            if (spaces[i].stuck) {
                stickAsActive(i, false);
            }
        }
    }

    public List<String> armedFaults() {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            for (AddressSpace s : spaces) {
                if (s.stuck) {
                    out.add("mmu: AS" + s.id + " AS_ACTIVE stuck");
                }
            }
            return out;
        }
    }

    /**
     * Soft reset: every AS register to 0 (translation off), pending commands cancelled,
     * nothing locked, TLBs empty, MMU IRQ registers reset. Armed injections stay armed.
     */
    public void reset() {
        synchronized (lock) {
            for (AddressSpace s : spaces) {
                if (s.pending != null) {
                    s.pending.cancel();
                    s.pending = null;
                }
                s.commandSeq++;
                s.transtab = 0;
                s.memattr = 0;
                s.lockaddr = 0;
                s.transcfg = 0;
                s.activeTranstab = 0;
                s.activeMemattr = 0;
                s.activeTranscfg = 0;
                s.status = 0;
                s.faultStatus = 0;
                s.faultAddress = 0;
                s.faultExtra = 0;
                s.locked = false;
                s.lockFirst = 0;
                s.lockLast = 0;
                s.tlb.invalidateAll();
            }
            irq.reset();
            trace.record("mmu-reset");
        }
    }

    /** Bits of RAWSTAT with a pending page fault (bits 15:0). */
    public int pendingFaults() {
        synchronized (lock) {
            return irq.raw() & MaliRegs.MMU_INT_PAGE_FAULT_MASK;
        }
    }

    public IrqRegs irqRegs() {
        return irq;
    }

    public AsState snapshot(int as) {
        synchronized (lock) {
            AddressSpace s = space(as);
            Tlb t = s.tlb;
            return new AsState(as, s.transtab, s.memattr, s.lockaddr, s.transcfg, s.activeTranstab, s.activeMemattr,
                    s.activeTranscfg, s.status, s.stuck, s.faultStatus, s.faultAddress, s.faultExtra, s.locked,
                    s.lockFirst, s.lockLast, s.commands, t.hits, t.misses, t.walks, t.invalidations, t.entries());
        }
    }
}
