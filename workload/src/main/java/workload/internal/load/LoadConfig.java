package workload.internal.load;

/**
 * What a load run does: how many client processes, how many jobs in total ({@code 0}: until
 * stopped), the seed of the job mix, how many jobs each client keeps in flight, how many jobs
 * are made to fail on purpose (spread over the clients' victim groups) and of which kinds
 * ({@link FaultMix}; a hang costs the 5 s job timeout of virtual time) and how long the final drain may
 * wait, in nanoseconds of virtual time, before counting what is still outstanding as lost.
 */
public record LoadConfig(int clients, long jobs, long seed, int window, int faults, FaultMix faultMix,
                         long drainTimeoutNanos) {

    /** Which deliberate faults a run makes: hangs cost a 5 s job timeout each. */
    public enum FaultMix {
        /** MMU faults and invalid instructions. */
        FATAL,
        /** MMU faults, invalid instructions and hangs. */
        WITH_HANGS,
        /** Hangs only. */
        HANGS
    }

    public static final int DEFAULT_CLIENTS = 4;
    public static final int DEFAULT_WINDOW = 32;
    public static final int MAX_CLIENTS = 32;
    public static final int MAX_WINDOW = 128;
    public static final long DEFAULT_DRAIN_NANOS = 30_000_000_000L;

    public LoadConfig {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("clients must be in 1.." + MAX_CLIENTS + ": " + clients);
        }
        if (jobs < 0) {
            throw new IllegalArgumentException("jobs must be >= 0: " + jobs);
        }
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be in 1.." + MAX_WINDOW + ": " + window);
        }
        if (faults < 0 || (jobs > 0 && faults > jobs)) {
            throw new IllegalArgumentException("faults must be in 0..jobs: " + faults);
        }
        if (faultMix == null) {
            throw new IllegalArgumentException("fault mix missing");
        }
        if (drainTimeoutNanos <= 0) {
            throw new IllegalArgumentException("drain timeout must be positive");
        }
    }

    /** {@code clients} clients running {@code jobs} jobs of seed {@code seed}, no faults. */
    public static LoadConfig of(int clients, long jobs, long seed) {
        return new LoadConfig(clients, jobs, seed, DEFAULT_WINDOW, 0, FaultMix.FATAL, DEFAULT_DRAIN_NANOS);
    }

    public LoadConfig withWindow(int value) {
        return new LoadConfig(clients, jobs, seed, value, faults, faultMix, drainTimeoutNanos);
    }

    public LoadConfig withFaults(int value, FaultMix mix) {
        return new LoadConfig(clients, jobs, seed, window, value, mix, drainTimeoutNanos);
    }

    public LoadConfig withDrainTimeoutNanos(long value) {
        return new LoadConfig(clients, jobs, seed, window, faults, faultMix, value);
    }

    /** Jobs of client {@code index} (the total split evenly, the first ones taking the remainder); 0 = unbounded. */
    long jobsOf(int index) {
        if (jobs == 0) {
            return 0;
        }
        return jobs / clients + (index < jobs % clients ? 1 : 0);
    }

    /** Deliberate faults of client {@code index}. */
    int faultsOf(int index) {
        return faults / clients + (index < faults % clients ? 1 : 0);
    }
}
