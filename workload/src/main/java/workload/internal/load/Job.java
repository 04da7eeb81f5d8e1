package workload.internal.load;

/**
 * One submitted job and what its effect must be. A job is resolved exactly once: completed,
 * failed (with the errno or fence error seen and whether it was the one expected), or, if a
 * run ends with it unresolved, lost.
 */
final class Job {

    enum Outcome { PENDING, COMPLETED, FAILED }

    final long seq;
    final JobKind kind;
    final int queue;
    final long token;
    /** Value the result slot must hold afterwards. */
    final long expectedValue;
    /** Minimum value of the observed sync object stored at slot + 8 (consumers), else -1. */
    final long minObserved;
    /** The fence error the kernel must give a job made to fail (a positive errno), else 0. */
    final int expectedError;
    final int context;
    /** Victim group instance the job was submitted to, or -1 for the main group. */
    final int victimInstance;
    long point;
    /** Virtual time of the GROUP_SUBMIT. */
    long submitNanos;
    Outcome outcome = Outcome.PENDING;

    Job(long seq, JobKind kind, int queue, long token, long expectedValue, long minObserved, int expectedError,
        int context, int victimInstance) {
        this.seq = seq;
        this.kind = kind;
        this.queue = queue;
        this.token = token;
        this.expectedValue = expectedValue;
        this.minObserved = minObserved;
        this.expectedError = expectedError;
        this.context = context;
        this.victimInstance = victimInstance;
    }

    @Override
    public String toString() {
        return kind + "#" + seq + "@q" + queue + ":" + point;
    }
}
