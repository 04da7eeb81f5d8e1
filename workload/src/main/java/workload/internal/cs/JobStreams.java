package workload.internal.cs;

/**
 * DOC: The command streams of the load client's jobs.
 *
 * Each job is a short user stream that Panthor's ring CALLs. Every stream writes a 16-byte
 * result slot: word 0 the job's unique token (or, for a loop, the token plus what the loop
 * added), word 1 for consumers the value of the sync object they waited on, read after the
 * wait (which proves the wait held). Sync objects are Panthor-style 64-bit objects
 * ({@code struct panthor_syncobj_64b}: seqno at +0, error status at +8); producers increment
 * them with error propagation, consumers wait with "inherit" so a faulty producer would make
 * the consumer fault too.
 *
 * Registers used: d0 slot address, d2 value, d4 sync object address, d6 reference value,
 * r8 loop counter, d10 observed value, d12 the constant 1. All below
 * {@code cs_reg_count - unpreserved_cs_reg_count}, so Panthor's ring code never touches them.
 */
public final class JobStreams {

    public static final int D_SLOT = 0;
    public static final int D_VALUE = 2;
    public static final int D_SYNC = 4;
    public static final int D_REF = 6;
    public static final int R_COUNT = 8;
    public static final int D_OBSERVED = 10;
    public static final int D_ONE = 12;

    /** An opcode v10 leaves undefined (63): the CS frontend raises CS_FATAL / CS_INSTR_INVALID. */
    public static final long INVALID_INSTRUCTION = 63L << 56;

    /** Bytes of a result slot. */
    public static final int SLOT_BYTES = 16;

    private JobStreams() {
    }

    /** Stores {@code token} in the slot. */
    public static CsBuilder store(CsBuilder b, long slotVa, long token) {
        b.mov48(D_SLOT, slotVa);
        b.mov64(D_VALUE, token);
        return b.store64(D_VALUE, D_SLOT, 0);
    }

    /** Adds {@code step} to {@code token} {@code iterations} times in a counted loop, stores the sum. */
    public static CsBuilder loop(CsBuilder b, long slotVa, long token, int iterations, int step) {
        b.mov48(D_SLOT, slotVa);
        b.mov64(D_VALUE, token);
        b.loop(R_COUNT, iterations, () -> b.addImm64(D_VALUE, D_VALUE, step));
        return b.store64(D_VALUE, D_SLOT, 0);
    }

    /** The value {@link #loop} stores. */
    public static long loopResult(long token, int iterations, int step) {
        return token + (long) iterations * step;
    }

    /**
     * A RUN_COMPUTE of {@code workgroups} workgroups of {@code workgroupSize} threads on
     * scoreboard entry 1, a WAIT for it, then the token.
     */
    public static CsBuilder compute(CsBuilder b, long slotVa, long token, int workgroupSize, int workgroups) {
        b.mov48(D_SLOT, slotVa);
        b.computeDispatch(workgroupSize, 1, 1, workgroups, 1, 1);
        b.setSbEntry(1, 0);
        b.runCompute(1, CsBuilder.AXIS_X, false);
        b.waitScoreboards(1 << 1);
        b.setSbEntry(0, 0);
        b.mov64(D_VALUE, token);
        return b.store64(D_VALUE, D_SLOT, 0);
    }

    /** Stores the token, then adds 1 to the sync object at {@code syncVa} (error propagated). */
    public static CsBuilder produce(CsBuilder b, long slotVa, long token, long syncVa) {
        store(b, slotVa, token);
        b.mov48(D_SYNC, syncVa);
        b.mov48(D_ONE, 1);
        return b.syncAdd64(D_SYNC, D_ONE, true, CsBuilder.SCOPE_SYSTEM, 0, 0);
    }

    /**
     * Waits until the sync object at {@code syncVa} is at least {@code target} (SYNC_WAIT64 GT
     * target - 1, inheriting its error), stores the value it saw after the wait, then the token.
     */
    public static CsBuilder consumeGpu(CsBuilder b, long slotVa, long token, long syncVa, long target) {
        if (target < 1) {
            throw new IllegalArgumentException("target must be >= 1");
        }
        b.mov48(D_SLOT, slotVa);
        b.mov48(D_SYNC, syncVa);
        b.mov64(D_REF, target - 1);
        b.syncWait64(CsBuilder.COND_GT, D_SYNC, D_REF, false);
        return observeAndStore(b, token);
    }

    /**
     * For a job the kernel only runs after its wait sync op signalled: stores the value of the
     * sync object at {@code syncVa}, then the token.
     */
    public static CsBuilder consumeKernel(CsBuilder b, long slotVa, long token, long syncVa) {
        b.mov48(D_SLOT, slotVa);
        b.mov48(D_SYNC, syncVa);
        return observeAndStore(b, token);
    }

    private static CsBuilder observeAndStore(CsBuilder b, long token) {
        b.load64(D_OBSERVED, D_SYNC, 0);
        b.store64(D_OBSERVED, D_SLOT, 8);
        b.mov64(D_VALUE, token);
        return b.store64(D_VALUE, D_SLOT, 0);
    }

    /** Stores the token at {@code unmappedVa}: a translation fault. */
    public static CsBuilder faultMmu(CsBuilder b, long unmappedVa, long token) {
        b.mov48(D_SLOT, unmappedVa);
        b.mov64(D_VALUE, token);
        return b.store64(D_VALUE, D_SLOT, 0);
    }

    /** An undefined instruction. */
    public static CsBuilder faultInvalid(CsBuilder b) {
        b.nop();
        return b.raw(INVALID_INSTRUCTION);
    }

    /** Waits for the (never written, zero) object at {@code hangVa} to become non-zero. */
    public static CsBuilder faultHang(CsBuilder b, long hangVa) {
        b.mov48(D_SYNC, hangVa);
        b.mov48(D_REF, 0);
        return b.syncWait64(CsBuilder.COND_GT, D_SYNC, D_REF, true);
    }
}
