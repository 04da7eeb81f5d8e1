package hw.model.internal.cs;

/**
 * DOC: Valhall v10 command-stream instruction encodings.
 *
 * One little-endian u64 per instruction, opcode in bits 63:56. Opcode values and field
 * positions are those of Mesa's {@code src/panfrost/genxml/v10.xml} ("CS Opcode" enum and the
 * "CS ..." structs); the bit positions below are written as {@code start+size} exactly as that
 * file declares them. Register operands are indices into the 96-entry CS register file; a
 * "d" operand names the even register of a 64-bit pair (low word first).
 *
 * <pre>
 *  op  name                   fields (start:size)
 *   0  NOP                    ignored 0:56
 *   1  MOVE48                 immediate 0:48, destination d 48:8
 *   2  MOVE32                 immediate 0:32, destination r 48:8
 *   3  WAIT                   wait mask 16:8, progress increment 32:1
 *   4  RUN_COMPUTE            task increment 0:14, task axis 14:2, progress inc 32:1,
 *                             SRT select 40:2, SPD select 42:2, TSD select 44:2, FAU select 46:2
 *   5  RUN_TILING             flags override 0:32, progress inc 32:1, selects as RUN_COMPUTE
 *   6  RUN_IDVS               flags override 0:32, progress inc 32:1, ..., draw id 40:8
 *   7  RUN_FRAGMENT           enable TEM 0:1, tile order 4:4, progress inc 32:1
 *   8  RUN_FULLSCREEN         flags override 0:32, progress inc 32:1, DCD d 40:8
 *   9  FINISH_TILING          progress inc 32:1
 *  11  FINISH_FRAGMENT        frag end 0:1, wait mask 16:16, last/first heap chunk d 32:8/40:8, signal 48:4
 *  16  ADD_IMMEDIATE32        immediate (signed) 0:32, source r 40:8, destination r 48:8
 *  17  ADD_IMMEDIATE64        immediate (signed) 0:32, source d 40:8, destination d 48:8
 *  18  COMPARE_SELECT32       (UMIN32) source1 r 32:8, source0 r 40:8, destination r 48:8
 *  20  LOAD_MULTIPLE          offset (signed bytes) 0:16, mask 16:16, address d 40:8, base r 48:8
 *  21  STORE_MULTIPLE         offset (signed bytes) 0:16, mask 16:16, address d 40:8, base r 48:8
 *  22  BRANCH                 offset (signed instructions) 0:16, condition 28:3, value r 40:8
 *  23  SET_SB_ENTRY           endpoint entry 0:4, other entry 4:4
 *  24  PROGRESS_WAIT          queue 0:5, source d 40:8
 *  25  SET_EXCEPTION_HANDLER  exception type 0:8, length r 32:8, address d 40:8
 *  32  CALL                   length r 32:8, address d 40:8
 *  33  JUMP                   length r 32:8, address d 40:8
 *  34  REQ_RESOURCE           compute 0, fragment 1, tiler 2, IDVS 3
 *  36  FLUSH_CACHE2           L2 mode 0:4, LSC mode 4:4, other mode 8:4, wait mask 16:16,
 *                             latest flush ID r 40:8, signal slot 48:4
 *  37  SYNC_ADD32             error propagate 0:1, scope 1:2, wait mask 16:16, data r 32:8,
 *                             address d 40:8, signal slot 48:4
 *  38  SYNC_SET32             as SYNC_ADD32
 *  39  SYNC_WAIT32            error reject 0:1, condition 28:4, data r 32:8, address d 40:8
 *  40  STORE_STATE            offset (signed) 0:16, wait mask 16:16, state 32:2, address d 40:8,
 *                             signal slot 48:4
 *  41  PROT_REGION            size 0:16 (shr 3)
 *  42  PROGRESS_STORE         source d 40:8
 *  43  PROGRESS_LOAD          destination d 48:8
 *  44  RUN_COMPUTE_INDIRECT   workgroups per task 0:16, progress inc 32:1, selects as RUN_COMPUTE
 *  47  ERROR_BARRIER          (no fields)
 *  48  HEAP_SET               address d 40:8
 *  49  HEAP_OPERATION         wait mask 16:16, operation 32:2, signal slot 48:4
 *  50  TRACE_POINT            wait mask 16:16, base r 32:8, count 40:8, signal slot 48:4
 *  51  SYNC_ADD64             as SYNC_ADD32 but data is a pair d
 *  52  SYNC_SET64             as SYNC_ADD64
 *  53  SYNC_WAIT64            as SYNC_WAIT32 but data is a pair d
 * </pre>
 *
 * Enums (v10.xml): CS Condition LEQUAL 0, GREATER 1, EQUAL 2, NEQUAL 3, LESS 4, GEQUAL 5,
 * ALWAYS 6; CS Flush Mode NONE 0, CLEAN 1, CLEAN_AND_INVALIDATE 3; CS Other Flush Mode NONE 0,
 * INVALIDATE 2; CS Sync scope SYSTEM 0, CSG 2; CS State TIMESTAMP 0, CYCLE_COUNT 1,
 * DISJOINT_COUNT 2, ERROR_STATUS 3; Task Axis X 0, Y 1, Z 2. The compute dispatch registers
 * ("COMPUTE SR") are WG_SIZE r33 (size-1 per axis in 10-bit fields at 0/10/20) and
 * JOB_SIZE_X/Y/Z r37..r39 (workgroup counts).
 */
public final class CsInstr {
    private CsInstr() {}

    public static final int NOP = 0;
    public static final int MOVE48 = 1;
    public static final int MOVE32 = 2;
    public static final int WAIT = 3;
    public static final int RUN_COMPUTE = 4;
    public static final int RUN_TILING = 5;
    public static final int RUN_IDVS = 6;
    public static final int RUN_FRAGMENT = 7;
    public static final int RUN_FULLSCREEN = 8;
    public static final int FINISH_TILING = 9;
    public static final int FINISH_FRAGMENT = 11;
    public static final int ADD_IMMEDIATE32 = 16;
    public static final int ADD_IMMEDIATE64 = 17;
    public static final int COMPARE_SELECT32 = 18;
    public static final int LOAD_MULTIPLE = 20;
    public static final int STORE_MULTIPLE = 21;
    public static final int BRANCH = 22;
    public static final int SET_SB_ENTRY = 23;
    public static final int PROGRESS_WAIT = 24;
    public static final int SET_EXCEPTION_HANDLER = 25;
    public static final int CALL = 32;
    public static final int JUMP = 33;
    public static final int REQ_RESOURCE = 34;
    public static final int FLUSH_CACHE2 = 36;
    public static final int SYNC_ADD32 = 37;
    public static final int SYNC_SET32 = 38;
    public static final int SYNC_WAIT32 = 39;
    public static final int STORE_STATE = 40;
    public static final int PROT_REGION = 41;
    public static final int PROGRESS_STORE = 42;
    public static final int PROGRESS_LOAD = 43;
    public static final int RUN_COMPUTE_INDIRECT = 44;
    public static final int ERROR_BARRIER = 47;
    public static final int HEAP_SET = 48;
    public static final int HEAP_OPERATION = 49;
    public static final int TRACE_POINT = 50;
    public static final int SYNC_ADD64 = 51;
    public static final int SYNC_SET64 = 52;
    public static final int SYNC_WAIT64 = 53;

    /** CS Condition. */
    public static final int COND_LE = 0;
    public static final int COND_GT = 1;
    public static final int COND_EQ = 2;
    public static final int COND_NE = 3;
    public static final int COND_LT = 4;
    public static final int COND_GE = 5;
    public static final int COND_ALWAYS = 6;

    /** CS Flush Mode (L2, LSC). */
    public static final int FLUSH_NONE = 0;
    public static final int FLUSH_CLEAN = 1;
    public static final int FLUSH_CLEAN_INVALIDATE = 3;
    /** CS Other Flush Mode. */
    public static final int FLUSH_OTHER_NONE = 0;
    public static final int FLUSH_OTHER_INVALIDATE = 2;

    /** CS Sync scope. */
    public static final int SCOPE_SYSTEM = 0;
    public static final int SCOPE_CSG = 2;

    /** CS State (STORE_STATE). */
    public static final int STATE_TIMESTAMP = 0;
    public static final int STATE_CYCLE_COUNT = 1;
    public static final int STATE_DISJOINT_COUNT = 2;
    public static final int STATE_ERROR_STATUS = 3;

    /** Task Axis. */
    public static final int AXIS_X = 0;
    public static final int AXIS_Y = 1;
    public static final int AXIS_Z = 2;

    /** COMPUTE SR staging registers. */
    public static final int SR_WG_SIZE = 33;
    public static final int SR_JOB_OFFSET_X = 34;
    public static final int SR_JOB_SIZE_X = 37;
    public static final int SR_JOB_SIZE_Y = 38;
    public static final int SR_JOB_SIZE_Z = 39;

    // --- field access ---

    public static int opcode(long ins) {
        return (int) (ins >>> 56);
    }

    /** Unsigned field of {@code size} bits starting at bit {@code start}. */
    public static long field(long ins, int start, int size) {
        return (ins >>> start) & ((1L << size) - 1);
    }

    public static int ufield(long ins, int start, int size) {
        return (int) field(ins, start, size);
    }

    /** Sign-extended field. */
    public static long sfield(long ins, int start, int size) {
        return (ins << (64 - start - size)) >> (64 - size);
    }

    // --- encoders ---

    private static long op(int opcode) {
        return (long) opcode << 56;
    }

    /** Signed field: value must fit in {@code size} bits two's complement. */
    private static long sput(long value, int start, int size) {
        long min = -(1L << (size - 1));
        long max = (1L << (size - 1)) - 1;
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format("value %d does not fit %d signed bits", value, size));
        }
        return (value & ((1L << size) - 1)) << start;
    }

    private static long reg(int r) {
        if (r < 0 || r > 255) {
            throw new IllegalArgumentException("register index " + r);
        }
        return r;
    }

    private static long pair(int d) {
        if ((d & 1) != 0) {
            throw new IllegalArgumentException("64-bit register pair must start on an even register: " + d);
        }
        return reg(d);
    }

    private static long uput(long value, int start, int size) {
        if (value < 0 || (size < 64 && value >>> size != 0)) {
            throw new IllegalArgumentException(String.format("value 0x%x does not fit %d unsigned bits", value, size));
        }
        return value << start;
    }

    public static long nop() {
        return op(NOP);
    }

    /** MOVE48: d = zero-extended 48-bit immediate. */
    public static long move48(int d, long imm48) {
        return op(MOVE48) | pair(d) << 48 | uput(imm48, 0, 48);
    }

    /** MOVE32: r = immediate. */
    public static long move32(int r, int imm) {
        return op(MOVE32) | reg(r) << 48 | (imm & 0xffff_ffffL);
    }

    /** WAIT on the scoreboard entries in {@code mask} (8 entries on v10). */
    public static long waitMask(int mask, boolean progressIncrement) {
        return op(WAIT) | uput(mask, 16, 8) | (progressIncrement ? 1L << 32 : 0);
    }

    public static long runCompute(int taskIncrement, int axis, int srt, int spd, int tsd, int fau,
            boolean progressIncrement) {
        return op(RUN_COMPUTE) | uput(taskIncrement, 0, 14) | uput(axis, 14, 2)
                | (progressIncrement ? 1L << 32 : 0)
                | uput(srt, 40, 2) | uput(spd, 42, 2) | uput(tsd, 44, 2) | uput(fau, 46, 2);
    }

    public static long addImm32(int dst, int src, int imm) {
        return op(ADD_IMMEDIATE32) | reg(dst) << 48 | reg(src) << 40 | (imm & 0xffff_ffffL);
    }

    public static long addImm64(int dst, int src, int imm) {
        return op(ADD_IMMEDIATE64) | pair(dst) << 48 | pair(src) << 40 | (imm & 0xffff_ffffL);
    }

    /** COMPARE_SELECT32 as Mesa's UMIN32: dst = unsigned min(src0, src1). */
    public static long umin32(int dst, int src0, int src1) {
        return op(COMPARE_SELECT32) | reg(dst) << 48 | reg(src0) << 40 | reg(src1) << 32;
    }

    public static long loadMultiple(int base, int mask, int addr, int offset) {
        return op(LOAD_MULTIPLE) | reg(base) << 48 | pair(addr) << 40 | uput(mask, 16, 16) | sput(offset, 0, 16);
    }

    public static long storeMultiple(int base, int mask, int addr, int offset) {
        return op(STORE_MULTIPLE) | reg(base) << 48 | pair(addr) << 40 | uput(mask, 16, 16) | sput(offset, 0, 16);
    }

    /** BRANCH: if (int) r[value] satisfies {@code cond} (compared to 0), skip {@code offset} instructions after this one. */
    public static long branch(int cond, int value, int offset) {
        return op(BRANCH) | reg(value) << 40 | uput(cond, 28, 3) | sput(offset, 0, 16);
    }

    public static long setSbEntry(int endpoint, int other) {
        return op(SET_SB_ENTRY) | uput(endpoint, 0, 4) | uput(other, 4, 4);
    }

    public static long progressWait(int queue, int src) {
        return op(PROGRESS_WAIT) | pair(src) << 40 | uput(queue, 0, 5);
    }

    public static long setExceptionHandler(int exceptionType, int addr, int length) {
        return op(SET_EXCEPTION_HANDLER) | pair(addr) << 40 | reg(length) << 32 | uput(exceptionType, 0, 8);
    }

    public static long call(int addr, int length) {
        return op(CALL) | pair(addr) << 40 | reg(length) << 32;
    }

    public static long jump(int addr, int length) {
        return op(JUMP) | pair(addr) << 40 | reg(length) << 32;
    }

    public static long reqResource(boolean compute, boolean fragment, boolean tiler, boolean idvs) {
        return op(REQ_RESOURCE) | (compute ? 1 : 0) | (fragment ? 2 : 0) | (tiler ? 4 : 0) | (idvs ? 8 : 0);
    }

    public static long flushCache2(int l2, int lsc, int other, int flushIdReg, int waitMask, int signalSlot) {
        return op(FLUSH_CACHE2) | uput(l2, 0, 4) | uput(lsc, 4, 4) | uput(other, 8, 4) | uput(waitMask, 16, 16)
                | reg(flushIdReg) << 40 | uput(signalSlot, 48, 4);
    }

    private static long syncOp(int opcode, int addr, long data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return op(opcode) | (propagate ? 1 : 0) | uput(scope, 1, 2) | uput(waitMask, 16, 16) | data << 32
                | pair(addr) << 40 | uput(signalSlot, 48, 4);
    }

    public static long syncAdd32(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return syncOp(SYNC_ADD32, addr, reg(data), propagate, scope, waitMask, signalSlot);
    }

    public static long syncSet32(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return syncOp(SYNC_SET32, addr, reg(data), propagate, scope, waitMask, signalSlot);
    }

    public static long syncAdd64(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return syncOp(SYNC_ADD64, addr, pair(data), propagate, scope, waitMask, signalSlot);
    }

    public static long syncSet64(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return syncOp(SYNC_SET64, addr, pair(data), propagate, scope, waitMask, signalSlot);
    }

    /** SYNC_WAIT32: block until mem32[d addr] cond r[data] (cond LE or GT). */
    public static long syncWait32(int cond, int addr, int data, boolean errorReject) {
        return op(SYNC_WAIT32) | uput(cond, 28, 4) | reg(data) << 32 | pair(addr) << 40 | (errorReject ? 1 : 0);
    }

    public static long syncWait64(int cond, int addr, int data, boolean errorReject) {
        return op(SYNC_WAIT64) | uput(cond, 28, 4) | pair(data) << 32 | pair(addr) << 40 | (errorReject ? 1 : 0);
    }

    public static long storeState(int state, int addr, int offset, int waitMask, int signalSlot) {
        return op(STORE_STATE) | sput(offset, 0, 16) | uput(waitMask, 16, 16) | uput(state, 32, 2)
                | pair(addr) << 40 | uput(signalSlot, 48, 4);
    }

    public static long progressStore(int src) {
        return op(PROGRESS_STORE) | pair(src) << 40;
    }

    public static long progressLoad(int dst) {
        return op(PROGRESS_LOAD) | pair(dst) << 48;
    }

    public static long errorBarrier() {
        return op(ERROR_BARRIER);
    }

    public static long heapSet(int addr) {
        return op(HEAP_SET) | pair(addr) << 40;
    }
}
