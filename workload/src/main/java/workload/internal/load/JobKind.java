package workload.internal.load;

/**
 * The jobs a load client submits. Each stores a unique 64-bit token (or a value derived from
 * it) into its own result slot, so its effect can be checked exactly once; the consumers also
 * store the value of the sync object they waited for, which proves the wait held.
 */
public enum JobKind {
    /** Store the token. */
    STORE(false),
    /** A counted loop adding a step to the token; stores {@code token + iterations * step}. */
    LOOP(false),
    /** RUN_COMPUTE a small dispatch, WAIT for its scoreboard entry, store the token. */
    COMPUTE(false),
    /** Store the token, then SYNC_ADD64 +1 on the client's shared sync object (BO-backed). */
    PRODUCE(false),
    /** SYNC_WAIT64 on the client's own sync object (produced by another queue), then store. */
    CONSUME_GPU(false),
    /** A GROUP_SUBMIT wait on the producer queue's timeline syncobj point, then store. */
    CONSUME_KERNEL(false),
    /** SYNC_WAIT64 on another client's sync object (a PRIME-imported BO bound in this VM). */
    CONSUME_REMOTE_GPU(false),
    /** A GROUP_SUBMIT wait on another client's producer timeline (an imported syncobj fd). */
    CONSUME_REMOTE_KERNEL(false),
    /** Store to an unmapped VA of the victim VM: MMU fault, the group becomes fatal (-EINVAL). */
    FAULT_MMU(true),
    /** An opcode v10 does not define: CS_FATAL (CS_INSTR_INVALID), the queue is fatal (-EINVAL). */
    FAULT_INVALID(true),
    /** SYNC_WAIT64 on a value nobody writes: the 5 s job timeout, the group times out (-ETIMEDOUT). */
    FAULT_HANG(true);

    private final boolean fault;

    JobKind(boolean fault) {
        this.fault = fault;
    }

    /** Whether the job is made to fail on purpose (runs on the victim group). */
    public boolean fault() {
        return fault;
    }
}
