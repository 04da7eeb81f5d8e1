package conformance.internal;

/**
 * DOC: The few v10 command-stream instructions the conformance cases submit.
 *
 * One little-endian u64 per instruction, opcode in bits 63:56, fields as Mesa's
 * {@code src/panfrost/genxml/v10.xml} declares them (the same encodings the model's
 * interpreter decodes; they are re-stated here because the model's internals are not exported
 * and a conformance suite must not depend on the implementation it checks). Register operands
 * index the 96-entry CS register file; a "d" operand names the even register of a 64-bit pair
 * (low word first). The cases use registers 0..15 only: Panthor's kernel ring sequence uses the
 * unpreserved registers at the top of the file.
 *
 * <pre>
 *  op  name            fields (start:size)
 *   1  MOVE48          immediate 0:48, destination d 48:8
 *   2  MOVE32          immediate 0:32, destination r 48:8
 *  16  ADD_IMMEDIATE32 immediate (signed) 0:32, source r 40:8, destination r 48:8
 *  21  STORE_MULTIPLE  offset (signed bytes) 0:16, mask 16:16, address d 40:8, base r 48:8
 *  22  BRANCH          offset (signed instructions) 0:16, condition 28:3, value r 40:8
 *  51  SYNC_ADD64      error propagate 0:1, scope 1:2, wait mask 16:16, data d 32:8,
 *                      address d 40:8, signal slot 48:4
 *  53  SYNC_WAIT64     error reject 0:1, condition 28:4, data d 32:8, address d 40:8
 * </pre>
 *
 * BRANCH moves the PC by offset + 1 instructions when the signed 32-bit register compares
 * with 0 as the condition says, so {@code branch(ALWAYS, r, -1)} spins on itself forever.
 */
public final class CsEncoder {

    public static final int COND_LE = 0;
    public static final int COND_GT = 1;
    public static final int COND_EQ = 2;
    public static final int COND_NE = 3;
    public static final int COND_ALWAYS = 6;

    private static final int MOVE48 = 1;
    private static final int MOVE32 = 2;
    private static final int ADD_IMMEDIATE32 = 16;
    private static final int STORE_MULTIPLE = 21;
    private static final int BRANCH = 22;
    private static final int SYNC_ADD64 = 51;
    private static final int SYNC_WAIT64 = 53;

    private CsEncoder() {
    }

    private static long op(int opcode) {
        return (long) opcode << 56;
    }

    private static long reg(int r) {
        if (r < 0 || r > 95) {
            throw new IllegalArgumentException("register " + r);
        }
        return r;
    }

    private static long pair(int d) {
        if ((d & 1) != 0) {
            throw new IllegalArgumentException("a 64-bit operand starts on an even register: " + d);
        }
        return reg(d);
    }

    private static long signed(long value, int start, int size) {
        long min = -(1L << (size - 1));
        long max = (1L << (size - 1)) - 1;
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " does not fit " + size + " signed bits");
        }
        return (value & ((1L << size) - 1)) << start;
    }

    /** MOVE48: d = the zero-extended 48-bit immediate. */
    public static long move48(int d, long imm48) {
        if (imm48 < 0 || imm48 >>> 48 != 0) {
            throw new IllegalArgumentException(String.format("0x%x does not fit 48 bits", imm48));
        }
        return op(MOVE48) | pair(d) << 48 | imm48;
    }

    /** MOVE32: r = the immediate. */
    public static long move32(int r, int imm) {
        return op(MOVE32) | reg(r) << 48 | (imm & 0xffff_ffffL);
    }

    /** Two MOVE32s loading a full 64-bit value into pair d. */
    public static long[] move64(int d, long value) {
        return new long[] {move32((int) pair(d), (int) value), move32(d + 1, (int) (value >>> 32))};
    }

    /** ADD_IMMEDIATE32: dst = src + imm. */
    public static long addImm32(int dst, int src, int imm) {
        return op(ADD_IMMEDIATE32) | reg(dst) << 48 | reg(src) << 40 | (imm & 0xffff_ffffL);
    }

    /** STORE_MULTIPLE: for each bit i of {@code mask}, mem32[d addr + offset + 4i] = r[base + i]. */
    public static long storeMultiple(int base, int mask, int addr, int offset) {
        return op(STORE_MULTIPLE) | reg(base) << 48 | pair(addr) << 40 | (long) (mask & 0xffff) << 16
                | signed(offset, 0, 16);
    }

    /** BRANCH: if r[value] (signed) satisfies {@code cond} against 0, skip {@code offset} instructions. */
    public static long branch(int cond, int value, int offset) {
        return op(BRANCH) | reg(value) << 40 | (long) (cond & 0x7) << 28 | signed(offset, 0, 16);
    }

    /** The "spin forever" instruction: an unconditional branch onto itself. */
    public static long spin() {
        return branch(COND_ALWAYS, 0, -1);
    }

    /** SYNC_ADD64: mem64[d addr] += d data (system scope, no wait, no error propagation). */
    public static long syncAdd64(int addr, int data) {
        return op(SYNC_ADD64) | pair(data) << 32 | pair(addr) << 40;
    }

    /** SYNC_WAIT64: block until mem64[d addr] {@code cond} d data (LE or GT, unsigned). */
    public static long syncWait64(int cond, int addr, int data) {
        return op(SYNC_WAIT64) | (long) (cond & 0xf) << 28 | pair(data) << 32 | pair(addr) << 40;
    }
}
