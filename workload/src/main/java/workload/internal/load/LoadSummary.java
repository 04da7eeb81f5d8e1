package workload.internal.load;

/**
 * The counts of a load run. {@code failed} includes {@code expectedFailures} (jobs made to fail
 * that failed with the fence error they had to get); {@code unexpected} counts every outcome
 * that is wrong: a failure that was not planned or had another error, a wrong value, a
 * deliberate fault that completed, a final kernel-state check that did not hold. {@code lost}
 * jobs were submitted but neither completed nor failed by the end of the drain.
 * {@code jobsPerSecond} is completed jobs per second of wall-clock time.
 */
public record LoadSummary(int clients, long submitted, long completed, long failed, long expectedFailures,
                          long unexpected, long lost, double jobsPerSecond, String state) {

    /** The one-line summary the shell prints. */
    public String line() {
        return String.format("load: clients=%d submitted=%d completed=%d failed=%d lost=%d jobs_per_s=%.0f"
                        + " expected_failures=%d unexpected=%d state=%s", clients, submitted, completed, failed, lost,
                jobsPerSecond, expectedFailures, unexpected, state);
    }

    /** No lost job and nothing unexpected. */
    public boolean clean() {
        return lost == 0 && unexpected == 0;
    }

    @Override
    public String toString() {
        return line();
    }
}
