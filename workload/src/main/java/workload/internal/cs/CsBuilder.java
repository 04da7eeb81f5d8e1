package workload.internal.cs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DOC: User space's command-stream builder.
 *
 * What Mesa's {@code cs_builder.h} is to panvk: user space encoding its own Valhall v10 (CSF)
 * command streams, one little-endian u64 per instruction with the opcode in bits 63:56, using
 * the opcode values and field positions of Mesa's {@code src/panfrost/genxml/v10.xml}. It
 * deliberately shares no code with the GPU model's interpreter: the workload is user space and
 * only talks to the kernel through the UABI, so its encoder is its own (unit tests check it bit
 * for bit against the model's encodings and disassembler).
 *
 * Registers are indices into the CS register file ({@link #DEFAULT_REG_COUNT} on a G610, as
 * CSIF_INFO reports); a "d" operand names a 64-bit pair and must be even. Panthor's ring
 * buffer uses the last {@code unpreserved_cs_reg_count} registers between jobs
 * ({@code cs_reg_count - unpreserved}), so a stream must not expect values there to survive
 * from one job to the next; within one job every register is the stream's own.
 *
 * Branch targets are {@link Label}s, bound before or after the branch; {@link #build} fails
 * on an unbound label. {@link #loop} emits a counted loop (decrement and branch while
 * greater than zero), Mesa's {@code cs_while}-style idiom. Bad operands throw
 * {@link IllegalArgumentException}: they are programming errors in user space, unlike bad
 * instructions in memory, which the GPU turns into CS faults.
 */
public final class CsBuilder {

    public static final int DEFAULT_REG_COUNT = 96;

    /** v10 "CS Opcode" values. */
    public static final int OP_NOP = 0;
    public static final int OP_MOVE48 = 1;
    public static final int OP_MOVE32 = 2;
    public static final int OP_WAIT = 3;
    public static final int OP_RUN_COMPUTE = 4;
    public static final int OP_ADD_IMMEDIATE32 = 16;
    public static final int OP_ADD_IMMEDIATE64 = 17;
    public static final int OP_COMPARE_SELECT32 = 18;
    public static final int OP_LOAD_MULTIPLE = 20;
    public static final int OP_STORE_MULTIPLE = 21;
    public static final int OP_BRANCH = 22;
    public static final int OP_SET_SB_ENTRY = 23;
    public static final int OP_CALL = 32;
    public static final int OP_FLUSH_CACHE2 = 36;
    public static final int OP_SYNC_ADD32 = 37;
    public static final int OP_SYNC_SET32 = 38;
    public static final int OP_SYNC_WAIT32 = 39;
    public static final int OP_STORE_STATE = 40;
    public static final int OP_ERROR_BARRIER = 47;
    public static final int OP_SYNC_ADD64 = 51;
    public static final int OP_SYNC_SET64 = 52;
    public static final int OP_SYNC_WAIT64 = 53;

    /** v10 "CS Condition". */
    public static final int COND_LE = 0;
    public static final int COND_GT = 1;
    public static final int COND_EQ = 2;
    public static final int COND_NE = 3;
    public static final int COND_LT = 4;
    public static final int COND_GE = 5;
    public static final int COND_ALWAYS = 6;

    /** v10 "CS Sync scope". */
    public static final int SCOPE_SYSTEM = 0;
    public static final int SCOPE_CSG = 2;

    /** v10 "CS Flush Mode" and "CS Other Flush Mode". */
    public static final int FLUSH_NONE = 0;
    public static final int FLUSH_CLEAN = 1;
    public static final int FLUSH_CLEAN_INVALIDATE = 3;
    public static final int FLUSH_OTHER_NONE = 0;
    public static final int FLUSH_OTHER_INVALIDATE = 2;

    /** v10 "CS State" (STORE_STATE). */
    public static final int STATE_TIMESTAMP = 0;
    public static final int STATE_CYCLE_COUNT = 1;
    public static final int STATE_ERROR_STATUS = 3;

    /** v10 "Task Axis". */
    public static final int AXIS_X = 0;

    /** v10 "COMPUTE SR" staging registers: workgroup size and job size (workgroup counts). */
    public static final int SR_WG_SIZE = 33;
    public static final int SR_JOB_SIZE_X = 37;
    public static final int SR_JOB_SIZE_Y = 38;
    public static final int SR_JOB_SIZE_Z = 39;

    /** A branch target; may be bound after the branches to it are emitted. */
    public static final class Label {
        private int index = -1;
        private final List<Integer> uses = new ArrayList<>();

        public boolean bound() {
            return index >= 0;
        }
    }

    private final int regCount;
    private long[] code = new long[32];
    private int size;
    private final List<Label> labels = new ArrayList<>();

    public CsBuilder() {
        this(DEFAULT_REG_COUNT);
    }

    /** @param regCount CSIF_INFO {@code cs_reg_count} */
    public CsBuilder(int regCount) {
        if (regCount < 8 || regCount > 256) {
            throw new IllegalArgumentException("register count " + regCount);
        }
        this.regCount = regCount;
    }

    /** Instructions emitted so far. */
    public int size() {
        return size;
    }

    /** Stream size in bytes (what GROUP_SUBMIT's {@code stream_size} carries). */
    public int byteSize() {
        return size * 8;
    }

    /** The instructions; every label used must be bound. */
    public long[] build() {
        for (Label l : labels) {
            if (!l.bound() && !l.uses.isEmpty()) {
                throw new IllegalStateException("branch to an unbound label");
            }
        }
        return Arrays.copyOf(code, size);
    }

    /** The stream as little-endian bytes, ready to copy into a BO. */
    public byte[] toBytes() {
        long[] ins = build();
        byte[] b = new byte[ins.length * 8];
        for (int i = 0; i < ins.length; i++) {
            long v = ins[i];
            for (int k = 0; k < 8; k++) {
                b[i * 8 + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    /** Forgets everything emitted (labels included); the builder can be reused. */
    public CsBuilder reset() {
        size = 0;
        labels.clear();
        return this;
    }

    // ------------------------------------------------------------------ labels

    public Label label() {
        Label l = new Label();
        labels.add(l);
        return l;
    }

    /** Binds {@code l} to the next instruction. */
    public CsBuilder bind(Label l) {
        if (l.bound()) {
            throw new IllegalStateException("label bound twice");
        }
        l.index = size;
        for (int use : l.uses) {
            patchBranch(use, l.index);
        }
        l.uses.clear();
        return this;
    }

    /** A new label bound here. */
    public Label here() {
        Label l = label();
        bind(l);
        return l;
    }

    // ------------------------------------------------------------------ moves and arithmetic

    public CsBuilder nop() {
        return emit(op(OP_NOP));
    }

    /** MOVE32: {@code r = imm}. */
    public CsBuilder mov32(int r, int imm) {
        return emit(op(OP_MOVE32) | reg(r) << 48 | (imm & 0xffff_ffffL));
    }

    /** MOVE48: {@code d = imm} (48 bits, zero-extended). */
    public CsBuilder mov48(int d, long imm48) {
        return emit(op(OP_MOVE48) | pair(d) << 48 | uput(imm48, 0, 48));
    }

    /** A full 64-bit value in pair {@code d}: MOVE48 when it fits, else two MOVE32. */
    public CsBuilder mov64(int d, long value) {
        if (value >>> 48 == 0) {
            return mov48(d, value);
        }
        pair(d);
        mov32(d, (int) value);
        return mov32(d + 1, (int) (value >>> 32));
    }

    /** ADD_IMMEDIATE32: {@code r = src + imm}. */
    public CsBuilder addImm32(int r, int src, int imm) {
        return emit(op(OP_ADD_IMMEDIATE32) | reg(r) << 48 | reg(src) << 40 | (imm & 0xffff_ffffL));
    }

    /** ADD_IMMEDIATE64: {@code d = src + sign_extend(imm)}. */
    public CsBuilder addImm64(int d, int src, int imm) {
        return emit(op(OP_ADD_IMMEDIATE64) | pair(d) << 48 | pair(src) << 40 | (imm & 0xffff_ffffL));
    }

    /** COMPARE_SELECT32 as Mesa's UMIN32: {@code r = min_u(src0, src1)}. */
    public CsBuilder umin32(int r, int src0, int src1) {
        return emit(op(OP_COMPARE_SELECT32) | reg(r) << 48 | reg(src0) << 40 | reg(src1) << 32);
    }

    // ------------------------------------------------------------------ memory

    /** STORE_MULTIPLE: the registers {@code base + i} for each bit i of {@code mask} to {@code [addr + offset + 4i]}. */
    public CsBuilder store(int base, int mask, int addr, int offset) {
        checkTuple(base, mask);
        return emit(op(OP_STORE_MULTIPLE) | reg(base) << 48 | pair(addr) << 40 | uput(mask, 16, 16) | sput(offset, 0, 16));
    }

    /** LOAD_MULTIPLE: the inverse of {@link #store}. */
    public CsBuilder load(int base, int mask, int addr, int offset) {
        checkTuple(base, mask);
        return emit(op(OP_LOAD_MULTIPLE) | reg(base) << 48 | pair(addr) << 40 | uput(mask, 16, 16) | sput(offset, 0, 16));
    }

    /** Stores pair {@code d} (64 bits) at {@code [addr + offset]}. */
    public CsBuilder store64(int d, int addr, int offset) {
        pair(d);
        return store(d, 0b11, addr, offset);
    }

    /** Stores register {@code r} (32 bits) at {@code [addr + offset]}. */
    public CsBuilder store32(int r, int addr, int offset) {
        return store(r, 0b1, addr, offset);
    }

    public CsBuilder load64(int d, int addr, int offset) {
        pair(d);
        return load(d, 0b11, addr, offset);
    }

    /** STORE_STATE: a 64-bit GPU state value (timestamp, cycle count, error status) at {@code [addr + offset]}. */
    public CsBuilder storeState(int state, int addr, int offset, int waitMask, int signalSlot) {
        return emit(op(OP_STORE_STATE) | sput(offset, 0, 16) | uput(waitMask, 16, 16) | uput(state, 32, 2)
                | pair(addr) << 40 | uput(signalSlot, 48, 4));
    }

    // ------------------------------------------------------------------ control flow

    /** BRANCH to {@code target} if {@code (int) r} compares to 0 as {@code cond}. */
    public CsBuilder branch(int cond, int r, Label target) {
        if (cond < COND_LE || cond > COND_ALWAYS) {
            throw new IllegalArgumentException("condition " + cond);
        }
        int at = size;
        emit(op(OP_BRANCH) | reg(r) << 40 | (long) cond << 28);
        if (target.bound()) {
            patchBranch(at, target.index);
        } else {
            if (!labels.contains(target)) {
                labels.add(target);
            }
            target.uses.add(at);
        }
        return this;
    }

    /**
     * A counted loop: {@code counter = iterations}, then the body, then decrement and branch
     * back while the counter is greater than zero. {@code iterations} must be at least 1.
     */
    public CsBuilder loop(int counter, int iterations, Runnable body) {
        if (iterations < 1) {
            throw new IllegalArgumentException("loop of " + iterations + " iterations");
        }
        mov32(counter, iterations);
        Label top = here();
        body.run();
        addImm32(counter, counter, -1);
        return branch(COND_GT, counter, top);
    }

    /** CALL {@code length} (register) bytes at the address in pair {@code addr}. */
    public CsBuilder call(int addr, int length) {
        return emit(op(OP_CALL) | pair(addr) << 40 | reg(length) << 32);
    }

    // ------------------------------------------------------------------ sync objects

    public CsBuilder syncAdd64(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(syncOp(OP_SYNC_ADD64, addr, pair(data), propagate, scope, waitMask, signalSlot));
    }

    public CsBuilder syncSet64(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(syncOp(OP_SYNC_SET64, addr, pair(data), propagate, scope, waitMask, signalSlot));
    }

    public CsBuilder syncAdd32(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(syncOp(OP_SYNC_ADD32, addr, reg(data), propagate, scope, waitMask, signalSlot));
    }

    public CsBuilder syncSet32(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(syncOp(OP_SYNC_SET32, addr, reg(data), propagate, scope, waitMask, signalSlot));
    }

    /**
     * SYNC_WAIT64: block until the 64-bit object at {@code [addr]} compares with pair
     * {@code data} as {@code cond} (v10 allows LE and GT, unsigned). With {@code errorReject}
     * false the stream inherits the object's error status.
     */
    public CsBuilder syncWait64(int cond, int addr, int data, boolean errorReject) {
        checkWaitCond(cond);
        return emit(op(OP_SYNC_WAIT64) | (long) cond << 28 | pair(data) << 32 | pair(addr) << 40 | (errorReject ? 1 : 0));
    }

    public CsBuilder syncWait32(int cond, int addr, int data, boolean errorReject) {
        checkWaitCond(cond);
        return emit(op(OP_SYNC_WAIT32) | (long) cond << 28 | reg(data) << 32 | pair(addr) << 40 | (errorReject ? 1 : 0));
    }

    // ------------------------------------------------------------------ endpoint work

    /** SET_SB_ENTRY: scoreboard entries for endpoint work and for other asynchronous work. */
    public CsBuilder setSbEntry(int endpoint, int other) {
        return emit(op(OP_SET_SB_ENTRY) | uput(endpoint, 0, 4) | uput(other, 4, 4));
    }

    /** RUN_COMPUTE with the given resource-table selects (all 0: the first of each). */
    public CsBuilder runCompute(int taskIncrement, int axis, boolean progressIncrement) {
        return emit(op(OP_RUN_COMPUTE) | uput(taskIncrement, 0, 14) | uput(axis, 14, 2)
                | (progressIncrement ? 1L << 32 : 0));
    }

    /**
     * The dispatch registers of a RUN_COMPUTE: workgroup size (each axis 1..1024) and
     * workgroup counts.
     */
    public CsBuilder computeDispatch(int wgX, int wgY, int wgZ, int countX, int countY, int countZ) {
        if (wgX < 1 || wgY < 1 || wgZ < 1 || wgX > 1024 || wgY > 1024 || wgZ > 1024) {
            throw new IllegalArgumentException("workgroup size out of range");
        }
        mov32(SR_WG_SIZE, (wgX - 1) | (wgY - 1) << 10 | (wgZ - 1) << 20);
        mov32(SR_JOB_SIZE_X, countX);
        mov32(SR_JOB_SIZE_Y, countY);
        return mov32(SR_JOB_SIZE_Z, countZ);
    }

    /** WAIT until the scoreboard entries in {@code mask} have no work in flight. */
    public CsBuilder waitScoreboards(int mask) {
        return emit(op(OP_WAIT) | uput(mask, 16, 8));
    }

    public CsBuilder flushCache2(int l2, int lsc, int other, int flushIdReg, int waitMask, int signalSlot) {
        return emit(op(OP_FLUSH_CACHE2) | uput(l2, 0, 4) | uput(lsc, 4, 4) | uput(other, 8, 4) | uput(waitMask, 16, 16)
                | reg(flushIdReg) << 40 | uput(signalSlot, 48, 4));
    }

    public CsBuilder errorBarrier() {
        return emit(op(OP_ERROR_BARRIER));
    }

    /** A raw instruction word (for streams that must be invalid on purpose). */
    public CsBuilder raw(long instruction) {
        return emit(instruction);
    }

    // ------------------------------------------------------------------ encoding helpers

    private CsBuilder emit(long ins) {
        if (size == code.length) {
            code = Arrays.copyOf(code, size * 2);
        }
        code[size++] = ins;
        return this;
    }

    private void patchBranch(int at, int target) {
        int offset = target - (at + 1);
        code[at] = (code[at] & ~0xffffL) | sput(offset, 0, 16);
    }

    private static long op(int opcode) {
        return (long) opcode << 56;
    }

    private long syncOp(int opcode, int addr, long data, boolean propagate, int scope, int waitMask, int signalSlot) {
        if (scope != SCOPE_SYSTEM && scope != SCOPE_CSG) {
            throw new IllegalArgumentException("sync scope " + scope);
        }
        return op(opcode) | (propagate ? 1 : 0) | (long) scope << 1 | uput(waitMask, 16, 16) | data << 32
                | pair(addr) << 40 | uput(signalSlot, 48, 4);
    }

    private static void checkWaitCond(int cond) {
        if (cond != COND_LE && cond != COND_GT) {
            throw new IllegalArgumentException("SYNC_WAIT condition must be LE or GT: " + cond);
        }
    }

    private void checkTuple(int base, int mask) {
        if (mask != 0 && base + 31 - Integer.numberOfLeadingZeros(mask) >= regCount) {
            throw new IllegalArgumentException("register tuple beyond r" + (regCount - 1));
        }
    }

    private long reg(int r) {
        if (r < 0 || r >= regCount) {
            throw new IllegalArgumentException("register r" + r + " (register file has " + regCount + ")");
        }
        return r;
    }

    private long pair(int d) {
        if ((d & 1) != 0) {
            throw new IllegalArgumentException("64-bit operand must be an even register pair: d" + d);
        }
        reg(d + 1);
        return d;
    }

    private static long uput(long value, int start, int size) {
        if (value < 0 || value >>> size != 0) {
            throw new IllegalArgumentException(String.format("value 0x%x does not fit %d unsigned bits", value, size));
        }
        return value << start;
    }

    private static long sput(long value, int start, int size) {
        long min = -(1L << (size - 1));
        long max = (1L << (size - 1)) - 1;
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format("value %d does not fit %d signed bits", value, size));
        }
        return (value & ((1L << size) - 1)) << start;
    }
}
