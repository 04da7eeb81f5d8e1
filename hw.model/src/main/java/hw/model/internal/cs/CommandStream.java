package hw.model.internal.cs;

import static hw.model.internal.cs.CsInstr.*;

import hw.model.internal.G610;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;

/**
 * DOC: Command-stream interpreter.
 *
 * One instance is the execution state of one CS (one queue bound to a CSG slot): the 96
 * 32-bit registers of a G610 (CS_REG_COUNT; an even/odd pair forms a 64-bit value
 * d = r[n+1] << 32 | r[n]), the program counter, a call stack, eight scoreboard entries and
 * the wait/fault status the firmware copies into the CS output page. It is a pure
 * interpreter: the firmware model decides when a stream runs, for how many cycles, through
 * which address space ({@link GpuBus}), and turns what it reports into CS events and IRQs.
 * Encodings are Mesa's v10.xml ones, see {@link CsInstr}.
 *
 * Ring buffer. The ring is {@code ringSize} bytes (a power of two, at least 8) at GPU VA
 * {@code ringBase}; insert and extract are monotonically increasing byte offsets and the
 * instruction at offset o is fetched from {@code ringBase + (o & (ringSize - 1))}. The stream
 * executes from extract while extract < insert. Extract advances past each completed ring
 * instruction; a CALL completes when its subroutine returns, so while a called buffer runs,
 * extract stays on the CALL. Extract is published through {@link RingPointers} at the end of
 * every run in which it moved (nothing else can observe the stream during a run).
 *
 * Control flow. BRANCH compares the signed 32-bit register with 0 (LE, GT, EQ, NE, LT, GE,
 * ALWAYS) and moves the PC by offset+1 instructions. CALL pushes a frame and runs
 * {@code length} bytes at the address pair; reaching the end of the buffer returns. The call
 * stack holds {@value #MAX_CALL_DEPTH} frames besides the ring (G610 limit, as Mesa's
 * decode_csf.c: 8 including the active frame); one more CALL is CS_CALL_STACK_OVERFLOW.
 * JUMP replaces the current called buffer; it is invalid in the ring itself (CS_INSTR_INVALID).
 * A BRANCH inside a called buffer must land within it (else INSTR_INVALID_PC); in the ring it
 * may move anywhere, backwards too (extract then moves back; Panthor never does this).
 *
 * Timing (cycles of the GPU clock; the host turns them into virtual time):
 *  - NOP, MOVE*, ADD_IMMEDIATE*, UMIN32, BRANCH, WAIT, SET_SB_ENTRY, ERROR_BARRIER and the
 *    accepted no-ops: 1; LOAD/STORE_MULTIPLE: 4 + one per register; SYNC_*: 8; CALL/JUMP: 4;
 *    STORE_STATE, RUN_*: 4 to issue.
 *  - RUN_COMPUTE / RUN_COMPUTE_INDIRECT are asynchronous endpoint work: the job takes
 *    {@value #JOB_LAUNCH_CYCLES} + ceil(threads / cores) * {@value #CYCLES_PER_THREAD} cycles,
 *    threads = workgroup size (WG_SIZE r33, size-1 per axis) * workgroup count
 *    (JOB_SIZE_X * JOB_SIZE_Y * JOB_SIZE_Z, r37..r39; saturating at 2^60), cores =
 *    popcount(host core mask), at least 1. Jobs of one
 *    stream run one after another on the cores; a job completes on the endpoint scoreboard
 *    entry chosen by SET_SB_ENTRY (0 after reset). Graphics RUN_* are accepted as
 *    {@value #GRAPHICS_JOB_CYCLES}-cycle jobs divided by the cores (the model has no tiler).
 *  - FLUSH_CACHE2 costs 1 cycle; the flush itself takes what the host returns and signals the
 *    instruction's signal slot when done.
 *  - Scoreboards: WAIT, and every instruction with a wait mask, first waits until all named
 *    entries have completed; the wait consumes cycles (the GPU is busy with the work). Loads,
 *    stores and sync operations complete immediately (their scoreboard use is not modelled).
 *    Before a stream reports IDLE, WAITING_SYNC or WAITING_FLUSH it first drains its in-flight
 *    work, so those states imply CS_STATUS_SCOREBOARDS == 0 (while draining it is RUNNING).
 *  - A run never consumes more than its budget: an instruction that costs more than what is
 *    left is completed and the excess is owed and paid at the start of the next run.
 *  - Time only passes for a stream while it runs; contention between streams for the shader
 *    cores is not modelled.
 *
 * Sync objects. SYNC_ADD/SET32/64 write the value at the address pair (data from a register
 * or pair) and call {@link CsHost#syncUpdated}. With error_propagate set they also write the
 * stream's error state (0 no fault, 1 fault) as a 32-bit word at address+4 (32-bit) or +8
 * (64-bit), as v10.xml's comment and Panthor's {@code panthor_syncobj_64b.status} say.
 * SYNC_WAIT32/64 (conditions LE and GT only, unsigned compare of memory value against the
 * register) blocks in WAITING_SYNC until the condition holds; the wait is re-evaluated on every
 * run (re-evaluations cost nothing). A satisfied wait without error_reject ("inherit") on a
 * sync object whose status word is non-zero makes the stream inherit the error: CS_FAULT with
 * CS_INHERIT_FAULT.
 *
 * Faults. CS_FATAL (state FATAL; stays until {@link #bind}): an opcode v10 does not define is
 * CS_INSTR_INVALID (0x49); a defined opcode with a bad field (register beyond the register
 * file, odd register for a 64-bit operand, condition or flush mode v10 calls invalid, CALL
 * length not a multiple of 8) is INSTR_INVALID_ENC (0x51); a CALL/JUMP/BRANCH target that is
 * not 8-byte aligned or outside the called buffer is INSTR_INVALID_PC (0x50); a CALL beyond
 * the stack is CS_CALL_STACK_OVERFLOW (0x4a); a bad ring size at bind is CS_CONFIG_FAULT
 * (0x40). A {@link GpuFault} on an instruction fetch or a load/store/sync access is CS_FATAL
 * with the fault's own exception type (TRANSLATION_FAULT_n, PERM_FAULT_n, ...) and the
 * faulting VA as CS_FATAL_INFO; the MMU has already latched the fault and raised its IRQ.
 * {@link #faultPc()} is the address of the faulting instruction; extract stays on it (or on
 * the enclosing ring CALL).
 *
 * CS_FAULT (recoverable), Panthor's model ("affected fences -EINVAL; the group runs on until
 * an ERROR_BARRIER"): a RUN_COMPUTE whose job was marked faulty ({@link #armJobFault}) is
 * aborted, sets the stream's error state and stops the stream in FAULTED, extract still inside
 * the job, until the host acknowledges (CS_REQ.FAULT toggled by the driver:
 * {@link #acknowledgeFault}). The stream then runs on with the error state set: sync
 * operations with error_propagate mark their sync objects faulty, until ERROR_BARRIER
 * (which first waits for all scoreboard entries) clears the error state.
 *
 * Accepted without effect (1 cycle): REQ_RESOURCE, SET_EXCEPTION_HANDLER (handlers are never
 * invoked), HEAP_SET, HEAP_OPERATION, TRACE_POINT, PROT_REGION, FINISH_TILING,
 * FINISH_FRAGMENT, PROGRESS_WAIT. PROGRESS_LOAD/STORE access a progress counter that RUN_*
 * and WAIT with progress_increment increment. STORE_STATE writes the host's timestamp or cycle
 * count, 0 for the disjoint count, or the error state.
 *
 * Hang injection ({@link #setHung}): while set, a stream with work consumes its whole budget
 * and makes no progress.
 *
 * Not thread-safe: the firmware calls it under the model lock. {@link #run} allocates nothing.
 * During host callbacks the position accessors (extract, cmdPtr, callDepth) show the
 * instruction making the call; other counters are updated when the run ends.
 */
public final class CommandStream {

    /** Nested CALL frames besides the ring (G610: 8 frames including the active one). */
    public static final int MAX_CALL_DEPTH = 7;
    /** Scoreboard entries (v10, CS_MAX_SB_COUNT). */
    public static final int SB_COUNT = G610.SCOREBOARD_SLOT_COUNT;

    public static final int CYCLES_ALU = 1;
    public static final int CYCLES_MEM_BASE = 4;
    public static final int CYCLES_SYNC = 8;
    public static final int CYCLES_CALL = 4;
    public static final int CYCLES_ISSUE = 4;
    public static final long JOB_LAUNCH_CYCLES = 1000;
    public static final long CYCLES_PER_THREAD = 4;
    public static final long GRAPHICS_JOB_CYCLES = 100_000;

    /** CS_STATUS_WAIT bits and CS_STATUS_BLOCKED_REASON values (panthor_fw.h). */
    public static final int STATUS_WAIT_SB_SRC_WAIT = 8 << 16;
    public static final int STATUS_WAIT_SYNC_COND_GT = 1 << 24;
    public static final int STATUS_WAIT_SYNC_64B = 1 << 30;
    public static final int STATUS_WAIT_SYNC = 1 << 31;
    public static final int BLOCKED_REASON_UNBLOCKED = 0;
    public static final int BLOCKED_REASON_SB_WAIT = 1;
    public static final int BLOCKED_REASON_SYNC_WAIT = 3;
    public static final int BLOCKED_REASON_FLUSH = 6;

    private final int regCount;
    private final int[] regs = new int[256];

    private long ringBase;
    private long ringMask;
    /** Ring offset at depth 0, GPU VA inside a called buffer. */
    private long pc;
    private long frameStart;
    private long frameEnd;
    private int depth;
    private final long[] retPc = new long[MAX_CALL_DEPTH + 1];
    private final long[] retStart = new long[MAX_CALL_DEPTH + 1];
    private final long[] retEnd = new long[MAX_CALL_DEPTH + 1];
    private long publishedExtract;

    private CsState state = CsState.IDLE;
    private long clock;
    private long debt;
    private long lastRunCycles;
    private long instructions;
    private final long[] sbDone = new long[SB_COUNT];
    private int sbEndpoint;
    private int sbOther;
    private long computeFreeAt;
    private long progress;
    private boolean errorState;
    private boolean hung;
    private int armedFaultType;
    private long armedFaultInfo;

    private int blockedReason;
    private int blockedSbMask;
    private long waitVa;
    private long waitRef;
    private int waitCond;
    private boolean wait64;

    private int fatalType;
    private int fatalData;
    private long fatalInfo;
    private int faultType;
    private int faultData;
    private long faultInfo;
    private long faultPc;

    public CommandStream() {
        this(G610.CS_REG_COUNT);
    }

    public CommandStream(int regCount) {
        if (regCount < 2 || regCount > 240) {
            throw new IllegalArgumentException("register count " + regCount);
        }
        this.regCount = regCount;
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Binds the stream to a ring (CS_START after the driver programmed CS_BASE/CS_SIZE):
     * execution restarts at {@code extract} in the ring with an empty call stack, no pending
     * wait or fault, idle scoreboards and a clear error state. Registers are kept (see
     * {@link #resetRegisters}). A size that is not a power of two of at least 8 bytes, or a
     * base that is not 8-byte aligned, leaves the stream in CS_FATAL / CS_CONFIG_FAULT.
     */
    public void bind(long ringBase, long ringSize, long extract) {
        this.ringBase = ringBase;
        this.ringMask = ringSize - 1;
        this.pc = extract;
        this.depth = 0;
        this.frameStart = 0;
        this.frameEnd = 0;
        this.publishedExtract = extract;
        this.debt = 0;
        java.util.Arrays.fill(sbDone, 0);
        this.computeFreeAt = 0;
        this.sbEndpoint = 0;
        this.sbOther = 0;
        this.errorState = false;
        this.armedFaultType = 0;
        this.blockedReason = BLOCKED_REASON_UNBLOCKED;
        this.blockedSbMask = 0;
        this.fatalType = 0;
        this.fatalData = 0;
        this.fatalInfo = 0;
        this.faultType = 0;
        this.faultData = 0;
        this.faultInfo = 0;
        this.faultPc = 0;
        this.state = CsState.IDLE;
        if (ringSize < 8 || Long.bitCount(ringSize) != 1 || (ringBase & 7) != 0) {
            fatal(CsException.CS_CONFIG_FAULT, 0, ringBase);
        }
    }

    /** Clears all registers (firmware reset / new group). */
    public void resetRegisters() {
        java.util.Arrays.fill(regs, 0);
    }

    /** While set, a stream with work consumes its whole budget without progress (FaultInjection.hangQueue). */
    public void setHung(boolean hung) {
        this.hung = hung;
    }

    public boolean hung() {
        return hung;
    }

    /**
     * Marks the next RUN_COMPUTE / RUN_COMPUTE_INDIRECT as faulty: it raises CS_FAULT with
     * {@code exceptionType} (for example DATA_INVALID_FAULT 0x58) and {@code info} as
     * CS_FAULT_INFO.
     */
    public void armJobFault(int exceptionType, long info) {
        this.armedFaultType = exceptionType & 0xff;
        this.armedFaultInfo = info;
    }

    /** Raises CS_FATAL now (FaultInjection.csFatal); the stream stops where it is. */
    public void injectFatal(int exceptionType, int data, long info) {
        fatal(exceptionType, info, cmdPtr());
        this.fatalData = data & 0xff_ffff;
    }

    /** The host acknowledged CS_FAULT: a FAULTED stream resumes (with its error state still set). */
    public void acknowledgeFault() {
        if (state == CsState.FAULTED) {
            state = CsState.RUNNING;
        }
    }

    // ------------------------------------------------------------------ execution

    /**
     * Executes until {@code budget} cycles are used, the ring is empty, a sync wait or a
     * stalled flush blocks, or a fault stops the stream. Returns the new state;
     * {@link #lastRunCycles()} tells how many cycles it consumed (never more than the budget).
     * FATAL and FAULTED streams consume nothing.
     */
    public CsState run(GpuBus bus, RingPointers ring, long budget, CsHost host) {
        lastRunCycles = 0;
        if (state == CsState.FATAL || state == CsState.FAULTED || budget <= 0) {
            return state;
        }
        long used = 0;
        if (debt > 0) {
            used = Math.min(debt, budget);
            debt -= used;
            if (used == budget) {
                return finish(ring, used, CsState.RUNNING);
            }
        }
        long insert = ring.insert();
        if (hung && (depth > 0 || pc < insert || state != CsState.IDLE)) {
            return finish(ring, budget, CsState.RUNNING);
        }

        final int[] r = this.regs;
        final int nregs = this.regCount;
        final long clockBase = this.clock;
        final long ringBase = this.ringBase;
        final long ringMask = this.ringMask;
        long pc = this.pc;
        int depth = this.depth;
        long frameStart = this.frameStart;
        long frameEnd = this.frameEnd;
        long completed = 0;
        long addr = 0;
        CsState exit;
        blockedReason = BLOCKED_REASON_UNBLOCKED;
        blockedSbMask = 0;

        loop:
        while (true) {
            if (used >= budget) {
                exit = CsState.RUNNING;
                break;
            }
            if (depth == 0) {
                if (pc >= insert) {
                    insert = ring.insert();
                    if (pc >= insert) {
                        exit = CsState.IDLE;
                        break;
                    }
                }
                addr = ringBase + (pc & ringMask);
            } else {
                if (pc >= frameEnd) {
                    depth--;
                    pc = retPc[depth];
                    frameStart = retStart[depth];
                    frameEnd = retEnd[depth];
                    continue;
                }
                addr = pc;
            }
            try {
                // The CS frontend reads its instructions as data: Panthor maps ring buffers
                // NOEXEC, and execute permission only governs shader instruction fetch.
                final long ins = bus.read64(addr);
                switch ((int) (ins >>> 56)) {
                    case NOP:
                    case REQ_RESOURCE:
                    case SET_EXCEPTION_HANDLER:
                    case HEAP_SET:
                    case PROT_REGION:
                    case FINISH_TILING:
                    case PROGRESS_WAIT:
                        used += CYCLES_ALU;
                        break;

                    case MOVE48: {
                        int d = (int) (ins >>> 48) & 0xff;
                        if ((d & 1) != 0 || d + 1 >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        r[d] = (int) ins;
                        r[d + 1] = (int) (ins >>> 32) & 0xffff;
                        used += CYCLES_ALU;
                        break;
                    }

                    case MOVE32: {
                        int d = (int) (ins >>> 48) & 0xff;
                        if (d >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        r[d] = (int) ins;
                        used += CYCLES_ALU;
                        break;
                    }

                    case ADD_IMMEDIATE32: {
                        int d = (int) (ins >>> 48) & 0xff;
                        int s = (int) (ins >>> 40) & 0xff;
                        if (d >= nregs || s >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        r[d] = r[s] + (int) ins;
                        used += CYCLES_ALU;
                        break;
                    }

                    case ADD_IMMEDIATE64: {
                        int d = (int) (ins >>> 48) & 0xff;
                        int s = (int) (ins >>> 40) & 0xff;
                        if (((d | s) & 1) != 0 || d + 1 >= nregs || s + 1 >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        long v = pair(r, s) + (int) ins;
                        r[d] = (int) v;
                        r[d + 1] = (int) (v >>> 32);
                        used += CYCLES_ALU;
                        break;
                    }

                    case COMPARE_SELECT32: {
                        int d = (int) (ins >>> 48) & 0xff;
                        int s0 = (int) (ins >>> 40) & 0xff;
                        int s1 = (int) (ins >>> 32) & 0xff;
                        if (d >= nregs || s0 >= nregs || s1 >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        r[d] = Integer.compareUnsigned(r[s0], r[s1]) <= 0 ? r[s0] : r[s1];
                        used += CYCLES_ALU;
                        break;
                    }

                    case BRANCH: {
                        int v = (int) (ins >>> 40) & 0xff;
                        int cond = (int) (ins >>> 28) & 0x7;
                        if (v >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        int x = r[v];
                        boolean take;
                        switch (cond) {
                            case COND_LE: take = x <= 0; break;
                            case COND_GT: take = x > 0; break;
                            case COND_EQ: take = x == 0; break;
                            case COND_NE: take = x != 0; break;
                            case COND_LT: take = x < 0; break;
                            case COND_GE: take = x >= 0; break;
                            case COND_ALWAYS: take = true; break;
                            default:
                                exit = invalidEncoding(addr);
                                break loop;
                        }
                        used += CYCLES_ALU;
                        if (take) {
                            long target = pc + 8 + 8L * (short) ins;
                            if (depth > 0 && (target < frameStart || target > frameEnd)) {
                                exit = fatal(CsException.INSTR_INVALID_PC, target, addr);
                                break loop;
                            }
                            pc = target;
                            completed++;
                            continue;
                        }
                        break;
                    }

                    case LOAD_MULTIPLE:
                    case STORE_MULTIPLE: {
                        int base = (int) (ins >>> 48) & 0xff;
                        int a = (int) (ins >>> 40) & 0xff;
                        int mask = (int) (ins >>> 16) & 0xffff;
                        if ((a & 1) != 0 || a + 1 >= nregs
                                || (mask != 0 && base + 31 - Integer.numberOfLeadingZeros(mask) >= nregs)) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        long va = pair(r, a) + (short) ins;
                        boolean load = (ins >>> 56) == LOAD_MULTIPLE;
                        for (int m = mask; m != 0; m &= m - 1) {
                            int i = Integer.numberOfTrailingZeros(m);
                            if (load) {
                                r[base + i] = bus.read32(va + 4L * i);
                            } else {
                                bus.write32(va + 4L * i, r[base + i]);
                            }
                        }
                        used += CYCLES_MEM_BASE + Integer.bitCount(mask);
                        break;
                    }

                    case WAIT: {
                        int mask = (int) (ins >>> 16) & 0xff;
                        long w = sbStall(mask, clockBase + used, budget - used);
                        if (w < 0) {
                            used = budget;
                            exit = CsState.RUNNING;
                            break loop;
                        }
                        used += w;
                        if ((ins & (1L << 32)) != 0) {
                            progress++;
                        }
                        used += CYCLES_ALU;
                        break;
                    }

                    case SET_SB_ENTRY: {
                        int ep = (int) ins & 0xf;
                        int other = (int) (ins >>> 4) & 0xf;
                        if (ep >= SB_COUNT || other >= SB_COUNT) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        sbEndpoint = ep;
                        sbOther = other;
                        used += CYCLES_ALU;
                        break;
                    }

                    case RUN_COMPUTE:
                    case RUN_COMPUTE_INDIRECT:
                    case RUN_TILING:
                    case RUN_IDVS:
                    case RUN_FRAGMENT:
                    case RUN_FULLSCREEN: {
                        int opc = (int) (ins >>> 56);
                        if (armedFaultType != 0 && (opc == RUN_COMPUTE || opc == RUN_COMPUTE_INDIRECT)) {
                            faultType = armedFaultType;
                            faultData = 0;
                            faultInfo = armedFaultInfo;
                            faultPc = addr;
                            armedFaultType = 0;
                            errorState = true;
                            used += CYCLES_ISSUE;
                            pc += 8;
                            completed++;
                            exit = CsState.FAULTED;
                            break loop;
                        }
                        used += CYCLES_ISSUE;
                        long start = Math.max(clockBase + used, computeFreeAt);
                        long done = start + jobCycles(opc, host);
                        computeFreeAt = done;
                        if (sbDone[sbEndpoint] < done) {
                            sbDone[sbEndpoint] = done;
                        }
                        if ((ins & (1L << 32)) != 0) {
                            progress++;
                        }
                        break;
                    }

                    case CALL:
                    case JUMP: {
                        int a = (int) (ins >>> 40) & 0xff;
                        int l = (int) (ins >>> 32) & 0xff;
                        if ((a & 1) != 0 || a + 1 >= nregs || l >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        boolean call = (ins >>> 56) == CALL;
                        if (!call && depth == 0) {
                            exit = fatal(CsException.CS_INSTR_INVALID, 0, addr);
                            break loop;
                        }
                        if (call && depth == MAX_CALL_DEPTH) {
                            exit = fatal(CsException.CS_CALL_STACK_OVERFLOW, 0, addr);
                            break loop;
                        }
                        long target = pair(r, a);
                        long length = r[l] & 0xffff_ffffL;
                        if ((length & 7) != 0) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        if ((target & 7) != 0) {
                            exit = fatal(CsException.INSTR_INVALID_PC, target, addr);
                            break loop;
                        }
                        if (call) {
                            retPc[depth] = pc + 8;
                            retStart[depth] = frameStart;
                            retEnd[depth] = frameEnd;
                            depth++;
                        }
                        pc = target;
                        frameStart = target;
                        frameEnd = target + length;
                        used += CYCLES_CALL;
                        completed++;
                        continue;
                    }

                    case FLUSH_CACHE2: {
                        int l2 = (int) ins & 0xf;
                        int lsc = (int) (ins >>> 4) & 0xf;
                        int other = (int) (ins >>> 8) & 0xf;
                        int idReg = (int) (ins >>> 40) & 0xff;
                        int slot = (int) (ins >>> 48) & 0xf;
                        if (!validFlushMode(l2) || !validFlushMode(lsc) || (other != FLUSH_OTHER_NONE
                                && other != FLUSH_OTHER_INVALIDATE) || idReg >= nregs || slot >= SB_COUNT) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        int mask = (int) (ins >>> 16) & 0xff;
                        long w = sbStall(mask, clockBase + used, budget - used);
                        if (w < 0) {
                            used = budget;
                            exit = CsState.RUNNING;
                            break loop;
                        }
                        used += w;
                        this.pc = pc;
                        this.depth = depth;
                        long cost = host.flushCaches(this, l2, lsc, other, r[idReg]);
                        if (cost < 0) {
                            blockedReason = BLOCKED_REASON_FLUSH;
                            exit = CsState.WAITING_FLUSH;
                            break loop;
                        }
                        long done = clockBase + used + cost;
                        if (sbDone[slot] < done) {
                            sbDone[slot] = done;
                        }
                        used += CYCLES_ALU;
                        break;
                    }

                    case SYNC_ADD32:
                    case SYNC_SET32:
                    case SYNC_ADD64:
                    case SYNC_SET64: {
                        int opc = (int) (ins >>> 56);
                        boolean is64 = opc == SYNC_ADD64 || opc == SYNC_SET64;
                        int a = (int) (ins >>> 40) & 0xff;
                        int data = (int) (ins >>> 32) & 0xff;
                        int scope = (int) (ins >>> 1) & 0x3;
                        int slot = (int) (ins >>> 48) & 0xf;
                        if ((a & 1) != 0 || a + 1 >= nregs || (is64 ? (data & 1) != 0 || data + 1 >= nregs : data >= nregs)
                                || (scope != SCOPE_SYSTEM && scope != SCOPE_CSG) || slot >= SB_COUNT) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        int mask = (int) (ins >>> 16) & 0xff;
                        long w = sbStall(mask, clockBase + used, budget - used);
                        if (w < 0) {
                            used = budget;
                            exit = CsState.RUNNING;
                            break loop;
                        }
                        used += w;
                        long va = pair(r, a);
                        if (is64) {
                            long v = pair(r, data);
                            bus.write64(va, opc == SYNC_ADD64 ? bus.read64(va) + v : v);
                        } else {
                            int v = r[data];
                            bus.write32(va, opc == SYNC_ADD32 ? bus.read32(va) + v : v);
                        }
                        if ((ins & 1) != 0) {
                            bus.write32(va + (is64 ? 8 : 4), errorState ? 1 : 0);
                        }
                        used += CYCLES_SYNC;
                        this.pc = pc;
                        this.depth = depth;
                        host.syncUpdated(this, va, is64);
                        break;
                    }

                    case SYNC_WAIT32:
                    case SYNC_WAIT64: {
                        boolean is64 = (ins >>> 56) == SYNC_WAIT64;
                        int a = (int) (ins >>> 40) & 0xff;
                        int data = (int) (ins >>> 32) & 0xff;
                        int cond = (int) (ins >>> 28) & 0xf;
                        if ((a & 1) != 0 || a + 1 >= nregs || (is64 ? (data & 1) != 0 || data + 1 >= nregs : data >= nregs)
                                || (cond != COND_LE && cond != COND_GT)) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        long va = pair(r, a);
                        long ref = is64 ? pair(r, data) : r[data] & 0xffff_ffffL;
                        long value = is64 ? bus.read64(va) : bus.read32(va) & 0xffff_ffffL;
                        int cmp = Long.compareUnsigned(value, ref);
                        if (cond == COND_GT ? cmp <= 0 : cmp > 0) {
                            waitVa = va;
                            waitRef = ref;
                            waitCond = cond;
                            wait64 = is64;
                            blockedReason = BLOCKED_REASON_SYNC_WAIT;
                            exit = CsState.WAITING_SYNC;
                            break loop;
                        }
                        used += CYCLES_SYNC;
                        if ((ins & 1) == 0 && bus.read32(va + (is64 ? 8 : 4)) != 0) {
                            errorState = true;
                            faultType = CsException.CS_INHERIT_FAULT;
                            faultData = 0;
                            faultInfo = va;
                            faultPc = addr;
                            pc += 8;
                            completed++;
                            exit = CsState.FAULTED;
                            break loop;
                        }
                        break;
                    }

                    case STORE_STATE: {
                        int a = (int) (ins >>> 40) & 0xff;
                        int slot = (int) (ins >>> 48) & 0xf;
                        if ((a & 1) != 0 || a + 1 >= nregs || slot >= SB_COUNT) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        int mask = (int) (ins >>> 16) & 0xff;
                        long w = sbStall(mask, clockBase + used, budget - used);
                        if (w < 0) {
                            used = budget;
                            exit = CsState.RUNNING;
                            break loop;
                        }
                        used += w;
                        long value;
                        switch ((int) (ins >>> 32) & 0x3) {
                            case STATE_TIMESTAMP: value = host.timestamp(); break;
                            case STATE_CYCLE_COUNT: value = host.cycleCount(); break;
                            case STATE_ERROR_STATUS: value = errorState ? 1 : 0; break;
                            default: value = 0; break;
                        }
                        bus.write64(pair(r, a) + (short) ins, value);
                        used += CYCLES_ISSUE;
                        break;
                    }

                    case HEAP_OPERATION:
                    case TRACE_POINT:
                    case FINISH_FRAGMENT: {
                        int mask = (int) (ins >>> 16) & 0xff;
                        long w = sbStall(mask, clockBase + used, budget - used);
                        if (w < 0) {
                            used = budget;
                            exit = CsState.RUNNING;
                            break loop;
                        }
                        used += w;
                        used += CYCLES_ALU;
                        break;
                    }

                    case ERROR_BARRIER: {
                        long w = sbStall(0xff, clockBase + used, budget - used);
                        if (w < 0) {
                            used = budget;
                            exit = CsState.RUNNING;
                            break loop;
                        }
                        used += w;
                        errorState = false;
                        used += CYCLES_ALU;
                        break;
                    }

                    case PROGRESS_STORE:
                    case PROGRESS_LOAD: {
                        boolean load = (ins >>> 56) == PROGRESS_LOAD;
                        int d = (int) (ins >>> (load ? 48 : 40)) & 0xff;
                        if ((d & 1) != 0 || d + 1 >= nregs) {
                            exit = invalidEncoding(addr);
                            break loop;
                        }
                        if (load) {
                            r[d] = (int) progress;
                            r[d + 1] = (int) (progress >>> 32);
                        } else {
                            progress = pair(r, d);
                        }
                        used += CYCLES_ALU;
                        break;
                    }

                    default:
                        exit = fatal(CsException.CS_INSTR_INVALID, 0, addr);
                        break loop;
                }
            } catch (GpuFault f) {
                exit = fatal(f.exceptionType(), f.va(), addr);
                break;
            }
            pc += 8;
            completed++;
        }

        this.pc = pc;
        this.depth = depth;
        this.frameStart = frameStart;
        this.frameEnd = frameEnd;
        this.instructions += completed;
        if (exit == CsState.IDLE || exit == CsState.WAITING_SYNC || exit == CsState.WAITING_FLUSH) {
            long pending = sbWait(0xff, clockBase + used);
            if (pending > 0) {
                if (pending > budget - used) {
                    used = budget;
                    exit = CsState.RUNNING;
                } else {
                    used += pending;
                }
            }
        }
        if (used > budget) {
            debt += used - budget;
            used = budget;
            if (exit != CsState.FATAL && exit != CsState.FAULTED) {
                exit = CsState.RUNNING;
            }
        }
        return finish(ring, used, exit);
    }

    private CsState finish(RingPointers ring, long used, CsState exit) {
        clock += used;
        lastRunCycles = used;
        if (exit != CsState.FATAL) {
            state = exit;
        }
        long e = extract();
        if (e != publishedExtract) {
            publishedExtract = e;
            ring.extract(e);
        }
        return state;
    }

    private static long pair(int[] r, int n) {
        return (r[n] & 0xffff_ffffL) | ((long) r[n + 1] << 32);
    }

    private static boolean validFlushMode(int mode) {
        return mode == FLUSH_NONE || mode == FLUSH_CLEAN || mode == FLUSH_CLEAN_INVALIDATE;
    }

    /** Cycles until every scoreboard entry in {@code mask} has completed, seen from {@code now}. */
    /**
     * Cycles to stall until the scoreboard entries in {@code mask} are done, or -1 if that is
     * more than the {@code left} budget: the stream then stays blocked on them (reported in
     * CS_STATUS_WAIT) and resumes in its next slice.
     */
    private long sbStall(int mask, long now, long left) {
        long w = sbWait(mask, now);
        if (w > 0 && w > left) {
            blockedReason = BLOCKED_REASON_SB_WAIT;
            blockedSbMask = mask;
            return -1;
        }
        return w;
    }

    private long sbWait(int mask, long now) {
        long ready = 0;
        for (int m = mask & ((1 << SB_COUNT) - 1); m != 0; m &= m - 1) {
            long d = sbDone[Integer.numberOfTrailingZeros(m)];
            if (d > ready) {
                ready = d;
            }
        }
        return ready > now ? ready - now : 0;
    }

    private long jobCycles(int opcode, CsHost host) {
        long cores = Math.max(1, Long.bitCount(host.shaderCoreMask()));
        if (opcode != RUN_COMPUTE && opcode != RUN_COMPUTE_INDIRECT) {
            return JOB_LAUNCH_CYCLES + ceilDiv(GRAPHICS_JOB_CYCLES, cores);
        }
        int wg = regs[SR_WG_SIZE];
        long threads = (long) ((wg & 0x3ff) + 1) * (((wg >>> 10) & 0x3ff) + 1) * (((wg >>> 20) & 0x3ff) + 1);
        threads = satMul(threads, regs[SR_JOB_SIZE_X] & 0xffff_ffffL);
        threads = satMul(threads, regs[SR_JOB_SIZE_Y] & 0xffff_ffffL);
        threads = satMul(threads, regs[SR_JOB_SIZE_Z] & 0xffff_ffffL);
        return JOB_LAUNCH_CYCLES + satMul(ceilDiv(threads, cores), CYCLES_PER_THREAD);
    }

    private static final long CYCLE_CAP = 1L << 60;

    private static long satMul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > CYCLE_CAP / b ? CYCLE_CAP : Math.min(a * b, CYCLE_CAP);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private CsState invalidEncoding(long addr) {
        return fatal(CsException.INSTR_INVALID_ENC, 0, addr);
    }

    private CsState fatal(int type, long info, long addr) {
        state = CsState.FATAL;
        fatalType = type & 0xff;
        fatalData = 0;
        fatalInfo = info;
        faultPc = addr;
        blockedReason = BLOCKED_REASON_UNBLOCKED;
        return CsState.FATAL;
    }

    // ------------------------------------------------------------------ status

    public CsState state() {
        return state;
    }

    /** Cycles consumed by the last {@link #run}. */
    public long lastRunCycles() {
        return lastRunCycles;
    }

    /** Cycles consumed since creation (the stream's own clock). */
    public long cycles() {
        return clock;
    }

    /** Instructions completed since creation. */
    public long instructions() {
        return instructions;
    }

    /** Ring offset of the next ring instruction to complete (CS_EXTRACT). */
    public long extract() {
        return depth == 0 ? pc : retPc[0] - 8;
    }

    /** GPU VA of the next instruction (CS_STATUS_CMD_PTR). */
    public long cmdPtr() {
        return depth == 0 ? ringBase + (pc & ringMask) : pc;
    }

    public int callDepth() {
        return depth;
    }

    public long ringBase() {
        return ringBase;
    }

    public long ringSize() {
        return ringMask + 1;
    }

    public int registerCount() {
        return regCount;
    }

    public int register(int n) {
        checkReg(n);
        return regs[n];
    }

    public long register64(int n) {
        checkReg(n + 1);
        return pair(regs, n);
    }

    public void setRegister(int n, int value) {
        checkReg(n);
        regs[n] = value;
    }

    public void setRegister64(int n, long value) {
        checkReg(n + 1);
        regs[n] = (int) value;
        regs[n + 1] = (int) (value >>> 32);
    }

    private void checkReg(int n) {
        if (n < 0 || n >= regCount) {
            throw new IndexOutOfBoundsException("CS register " + n);
        }
    }

    /** Error state set by a CS_FAULT, cleared by ERROR_BARRIER. */
    public boolean errorState() {
        return errorState;
    }

    public long progressCounter() {
        return progress;
    }

    /** CS_FATAL exception type (bits 7:0). */
    public int fatalType() {
        return fatalType;
    }

    /** CS_FATAL exception data (bits 31:8). */
    public int fatalData() {
        return fatalData;
    }

    /** CS_FATAL_INFO: the faulting VA for MMU faults and bad targets, else 0. */
    public long fatalInfo() {
        return fatalInfo;
    }

    /** CS_FAULT exception type of the last recoverable fault. */
    public int faultType() {
        return faultType;
    }

    public int faultData() {
        return faultData;
    }

    /** CS_FAULT_INFO of the last recoverable fault. */
    public long faultInfo() {
        return faultInfo;
    }

    /** GPU VA of the instruction that raised the last CS_FATAL or CS_FAULT. */
    public long faultPc() {
        return faultPc;
    }

    /** CS_STATUS_BLOCKED_REASON. */
    public int statusBlockedReason() {
        return blockedReason;
    }

    /** CS_STATUS_WAIT: SB mask and source while blocked on a scoreboard, sync flags while in SYNC_WAIT. */
    public int statusWait() {
        if (blockedReason == BLOCKED_REASON_SYNC_WAIT) {
            return STATUS_WAIT_SYNC | (wait64 ? STATUS_WAIT_SYNC_64B : 0)
                    | (waitCond == COND_GT ? STATUS_WAIT_SYNC_COND_GT : 0);
        }
        if (blockedReason == BLOCKED_REASON_SB_WAIT) {
            return STATUS_WAIT_SB_SRC_WAIT | blockedSbMask;
        }
        return 0;
    }

    /** CS_STATUS_WAIT_SYNC_PTR of the blocking SYNC_WAIT. */
    public long statusWaitSyncPointer() {
        return blockedReason == BLOCKED_REASON_SYNC_WAIT ? waitVa : 0;
    }

    /** CS_STATUS_WAIT_SYNC_VALUE (low word) and _HI (high word) of the blocking SYNC_WAIT. */
    public long statusWaitSyncValue() {
        return blockedReason == BLOCKED_REASON_SYNC_WAIT ? waitRef : 0;
    }

    /** CS_STATUS_SCOREBOARDS: entries with work still in flight. */
    public int statusScoreboards() {
        int mask = 0;
        for (int i = 0; i < SB_COUNT; i++) {
            if (sbDone[i] > clock) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    /** The endpoint and other scoreboard entries selected by SET_SB_ENTRY. */
    public int scoreboardEndpoint() {
        return sbEndpoint;
    }

    public int scoreboardOther() {
        return sbOther;
    }

    /**
     * Whether the SYNC_WAIT this stream is blocked on would now pass (true when not blocked
     * on a sync, or when reading the sync object faults, so that {@link #run} reports it).
     */
    public boolean syncWaitSatisfied(GpuBus bus) {
        if (blockedReason != BLOCKED_REASON_SYNC_WAIT) {
            return true;
        }
        try {
            long value = wait64 ? bus.read64(waitVa) : bus.read32(waitVa) & 0xffff_ffffL;
            int cmp = Long.compareUnsigned(value, waitRef);
            return waitCond == COND_GT ? cmp > 0 : cmp <= 0;
        } catch (GpuFault f) {
            return true;
        }
    }

    @Override
    public String toString() {
        return String.format("CS[%s extract=0x%x depth=%d cmd=0x%x cycles=%d instrs=%d%s]", state, extract(), depth,
                cmdPtr(), clock, instructions,
                state == CsState.FATAL ? String.format(" fatal=%s@0x%x", CsException.name(fatalType), faultPc) : "");
    }
}
