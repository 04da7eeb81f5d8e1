package hw.model.internal.cs;

import hw.model.api.PhysicalMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small command-stream assembler: appends v10 instructions (encoded by {@link CsInstr})
 * to a growing buffer, with labels for BRANCH targets. Used by tests, by the firmware's
 * end-to-end test, and by the driver's ring-buffer code and the workload client.
 *
 * <pre>
 *   CsAssembler a = new CsAssembler();
 *   a.move32(0, 10);
 *   CsAssembler.Label loop = a.here();
 *   a.addImm32(0, 0, -1);
 *   a.branch(CsInstr.COND_GT, 0, loop);      // runs the body 10 times
 *   long[] code = a.toArray();
 * </pre>
 *
 * Every method returns {@code this}; operands out of range throw IllegalArgumentException
 * (bad input to the assembler is a programming error, unlike bad instructions in memory,
 * which the interpreter turns into CS faults).
 */
public final class CsAssembler {

    /** A position in the program; may be bound after branches to it were emitted. */
    public static final class Label {
        private int target = -1;
        private final List<Integer> pending = new ArrayList<>();

        public boolean bound() {
            return target >= 0;
        }

        /** Instruction index the label is bound to. */
        public int index() {
            return target;
        }
    }

    private long[] code = new long[64];
    private int size;

    /** Number of instructions emitted. */
    public int size() {
        return size;
    }

    /** Size in bytes. */
    public int byteSize() {
        return size * 8;
    }

    public long get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return code[index];
    }

    public long[] toArray() {
        return Arrays.copyOf(code, size);
    }

    /** Little-endian bytes, as the instructions sit in memory. */
    public byte[] toBytes() {
        byte[] b = new byte[size * 8];
        for (int i = 0; i < size; i++) {
            long v = code[i];
            for (int k = 0; k < 8; k++) {
                b[i * 8 + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    /** Copies the program to physical memory at {@code pa}. */
    public void writeTo(PhysicalMemory memory, long pa) {
        byte[] b = toBytes();
        memory.write(pa, b, 0, b.length);
    }

    public CsAssembler emit(long instruction) {
        if (size == code.length) {
            code = Arrays.copyOf(code, size * 2);
        }
        code[size++] = instruction;
        return this;
    }

    /** A new unbound label. */
    public Label label() {
        return new Label();
    }

    /** A label bound to the next instruction. */
    public Label here() {
        Label l = new Label();
        bind(l);
        return l;
    }

    /** Binds {@code label} to the next instruction and patches earlier branches to it. */
    public CsAssembler bind(Label label) {
        if (label.bound()) {
            throw new IllegalStateException("label already bound");
        }
        label.target = size;
        for (int at : label.pending) {
            code[at] = withBranchOffset(code[at], size - (at + 1));
        }
        label.pending.clear();
        return this;
    }

    private static long withBranchOffset(long branch, int offset) {
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("branch offset out of range: " + offset);
        }
        return (branch & ~0xffffL) | (offset & 0xffffL);
    }

    // --- instructions ---

    public CsAssembler nop() {
        return emit(CsInstr.nop());
    }

    public CsAssembler move48(int d, long imm48) {
        return emit(CsInstr.move48(d, imm48));
    }

    public CsAssembler move32(int r, int imm) {
        return emit(CsInstr.move32(r, imm));
    }

    /** Loads a full 64-bit constant into pair d (MOVE48, or two MOVE32 when it needs more than 48 bits). */
    public CsAssembler move64(int d, long imm) {
        if (imm >>> 48 == 0) {
            return move48(d, imm);
        }
        move32(d, (int) imm);
        return move32(d + 1, (int) (imm >>> 32));
    }

    public CsAssembler addImm32(int dst, int src, int imm) {
        return emit(CsInstr.addImm32(dst, src, imm));
    }

    public CsAssembler addImm64(int dst, int src, int imm) {
        return emit(CsInstr.addImm64(dst, src, imm));
    }

    public CsAssembler umin32(int dst, int src0, int src1) {
        return emit(CsInstr.umin32(dst, src0, src1));
    }

    public CsAssembler loadMultiple(int base, int mask, int addr, int offset) {
        return emit(CsInstr.loadMultiple(base, mask, addr, offset));
    }

    public CsAssembler storeMultiple(int base, int mask, int addr, int offset) {
        return emit(CsInstr.storeMultiple(base, mask, addr, offset));
    }

    /** BRANCH with a raw offset (instructions, relative to the next instruction). */
    public CsAssembler branch(int cond, int reg, int offset) {
        return emit(CsInstr.branch(cond, reg, offset));
    }

    /** BRANCH to a label, bound already (backward) or later (forward). */
    public CsAssembler branch(int cond, int reg, Label target) {
        long ins = CsInstr.branch(cond, reg, 0);
        if (target.bound()) {
            return emit(withBranchOffset(ins, target.target - (size + 1)));
        }
        target.pending.add(size);
        return emit(ins);
    }

    public CsAssembler waitMask(int mask) {
        return emit(CsInstr.waitMask(mask, false));
    }

    public CsAssembler wait(int mask, boolean progressIncrement) {
        return emit(CsInstr.waitMask(mask, progressIncrement));
    }

    /** RUN_COMPUTE with resource selects 0 on the X axis. */
    public CsAssembler runCompute(int taskIncrement) {
        return emit(CsInstr.runCompute(taskIncrement, CsInstr.AXIS_X, 0, 0, 0, 0, false));
    }

    public CsAssembler runCompute(int taskIncrement, int axis, int srt, int spd, int tsd, int fau, boolean progressInc) {
        return emit(CsInstr.runCompute(taskIncrement, axis, srt, spd, tsd, fau, progressInc));
    }

    public CsAssembler setSbEntry(int endpoint, int other) {
        return emit(CsInstr.setSbEntry(endpoint, other));
    }

    public CsAssembler call(int addr, int length) {
        return emit(CsInstr.call(addr, length));
    }

    public CsAssembler jump(int addr, int length) {
        return emit(CsInstr.jump(addr, length));
    }

    public CsAssembler flushCache2(int l2, int lsc, int other, int flushIdReg, int waitMask, int signalSlot) {
        return emit(CsInstr.flushCache2(l2, lsc, other, flushIdReg, waitMask, signalSlot));
    }

    /** SYNC_ADD32, system scope, no wait, signal slot 0, error propagation on. */
    public CsAssembler syncAdd32(int addr, int data) {
        return emit(CsInstr.syncAdd32(addr, data, true, CsInstr.SCOPE_SYSTEM, 0, 0));
    }

    public CsAssembler syncAdd32(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(CsInstr.syncAdd32(addr, data, propagate, scope, waitMask, signalSlot));
    }

    public CsAssembler syncSet32(int addr, int data) {
        return emit(CsInstr.syncSet32(addr, data, true, CsInstr.SCOPE_SYSTEM, 0, 0));
    }

    public CsAssembler syncSet32(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(CsInstr.syncSet32(addr, data, propagate, scope, waitMask, signalSlot));
    }

    /** SYNC_ADD64, system scope, no wait, signal slot 0, error propagation on (Panthor's ring). */
    public CsAssembler syncAdd64(int addr, int data) {
        return emit(CsInstr.syncAdd64(addr, data, true, CsInstr.SCOPE_SYSTEM, 0, 0));
    }

    public CsAssembler syncAdd64(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(CsInstr.syncAdd64(addr, data, propagate, scope, waitMask, signalSlot));
    }

    public CsAssembler syncSet64(int addr, int data) {
        return emit(CsInstr.syncSet64(addr, data, true, CsInstr.SCOPE_SYSTEM, 0, 0));
    }

    public CsAssembler syncSet64(int addr, int data, boolean propagate, int scope, int waitMask, int signalSlot) {
        return emit(CsInstr.syncSet64(addr, data, propagate, scope, waitMask, signalSlot));
    }

    /** SYNC_WAIT32 inheriting errors (error_reject off), as Mesa's panvk emits it. */
    public CsAssembler syncWait32(int cond, int addr, int data) {
        return emit(CsInstr.syncWait32(cond, addr, data, false));
    }

    public CsAssembler syncWait32(int cond, int addr, int data, boolean errorReject) {
        return emit(CsInstr.syncWait32(cond, addr, data, errorReject));
    }

    public CsAssembler syncWait64(int cond, int addr, int data) {
        return emit(CsInstr.syncWait64(cond, addr, data, false));
    }

    public CsAssembler syncWait64(int cond, int addr, int data, boolean errorReject) {
        return emit(CsInstr.syncWait64(cond, addr, data, errorReject));
    }

    public CsAssembler storeState(int state, int addr, int offset) {
        return emit(CsInstr.storeState(state, addr, offset, 0, 0));
    }

    public CsAssembler errorBarrier() {
        return emit(CsInstr.errorBarrier());
    }

    public CsAssembler progressLoad(int dst) {
        return emit(CsInstr.progressLoad(dst));
    }

    public CsAssembler progressStore(int src) {
        return emit(CsInstr.progressStore(src));
    }

    /** Pads with NOPs up to a multiple of {@code instructions} (Panthor pads jobs to 64-byte lines). */
    public CsAssembler padTo(int instructions) {
        while (size % instructions != 0) {
            nop();
        }
        return this;
    }

    /** Checks that every label used by a branch was bound. */
    public CsAssembler verify(Label... labels) {
        for (Label l : labels) {
            if (!l.bound()) {
                throw new IllegalStateException("unbound label");
            }
        }
        return this;
    }
}
