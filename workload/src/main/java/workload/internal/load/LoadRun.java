package workload.internal.load;

import driver.core.api.DrmDevice;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One load run: its clients, their threads and the counts. Live counts are readable from any
 * thread ({@link #summary}); {@link #stop} ends submission and waits for the drain.
 */
public final class LoadRun {

    private static final Logger LOG = Logger.getLogger(LoadRun.class.getName());

    /** How long an idle client blocks in one SYNCOBJ_TIMELINE_WAIT (virtual time). */
    static final long WAIT_SLICE_NANOS = 2_000_000L;
    static final int MAX_PROBLEMS = 50;
    /** A client that resolves nothing for this long (virtual time) while submitting stops and drains. */
    static final long STALL_NANOS = 30_000_000_000L;

    private final LoadConfig config;
    private final DrmDevice drm;
    private final VirtualTime time;
    private final List<LoadClient> clients = new ArrayList<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger problemCount = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile String state = "setting-up";
    private volatile long startWallNanos;
    private volatile long endWallNanos;

    LoadRun(LoadConfig config, DrmDevice drm, VirtualTime time) {
        this.config = config;
        this.drm = drm;
        this.time = time;
    }

    public LoadConfig config() {
        return config;
    }

    /** Sets up every client and connects them in a ring; on failure everything is torn down. */
    private void setUp() {
        try {
            for (int i = 0; i < config.clients(); i++) {
                LoadClient c = new LoadClient(i, config, time, this::problem);
                clients.add(c);
                c.setUp(drm);
            }
            if (clients.size() > 1) {
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).connect(clients.get((i + clients.size() - 1) % clients.size()));
                }
            }
        } catch (RuntimeException e) {
            closeClients();
            state = "failed";
            ended.countDown();
            throw new IllegalStateException("setting up client " + clients.size() + " of " + config.clients()
                    + " failed: " + e.getMessage(), e);
        }
        clients.forEach(LoadClient::markReady);
        startWallNanos = System.nanoTime();
        state = "running";
    }

    void startThreads() {
        setUp();
        List<Thread> threads = new ArrayList<>();
        for (LoadClient c : clients) {
            Thread t = new Thread(() -> drive(c), "workload-" + c.name);
            t.setDaemon(true);
            threads.add(t);
        }
        Thread finisher = new Thread(() -> {
            for (Thread t : threads) {
                joinUninterruptibly(t);
            }
            end();
        }, "workload-finisher");
        finisher.setDaemon(true);
        threads.forEach(Thread::start);
        finisher.start();
    }

    private void drive(LoadClient c) {
        try {
            long lastProgress = time.nowNanos();
            while (!stopRequested && !c.quotaDone()) {
                if (c.step(true)) {
                    lastProgress = time.nowNanos();
                } else if (c.outstanding() == 0) {
                    Thread.onSpinWait();
                } else if (time.nowNanos() - lastProgress > STALL_NANOS) {
                    problem(c.name + ": no job resolved for " + STALL_NANOS / 1_000_000
                            + " ms with " + c.outstanding() + " outstanding; stopped submitting");
                    break;
                } else {
                    c.awaitProgress(WAIT_SLICE_NANOS);
                }
            }
            long deadline = time.nowNanos() + config.drainTimeoutNanos();
            while (c.outstanding() > 0) {
                long left = deadline - time.nowNanos();
                if (left <= 0) {
                    break;
                }
                if (!c.step(false)) {
                    c.awaitProgress(Math.min(WAIT_SLICE_NANOS, left));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, c.name + " stopped", e);
            problem(c.name + ": stopped by " + e);
        }
    }

    LoadSummary runStepped(Runnable settle, Runnable idle) {
        setUp();
        long deadline = 0;
        long lastProgress = time.nowNanos();
        try {
            while (true) {
                boolean stop = stopRequested;
                boolean progress = false;
                boolean allSubmitted = true;
                int outstanding = 0;
                for (LoadClient c : clients) {
                    boolean submit = !stop && !c.quotaDone();
                    progress |= c.step(submit);
                    settle.run();
                    allSubmitted &= stop || c.quotaDone();
                    outstanding += c.outstanding();
                }
                if (allSubmitted && outstanding == 0) {
                    break;
                }
                if (progress) {
                    lastProgress = time.nowNanos();
                } else if (!allSubmitted && time.nowNanos() - lastProgress > STALL_NANOS) {
                    problem("no job resolved for " + STALL_NANOS / 1_000_000 + " ms with " + outstanding
                            + " outstanding; stopped submitting");
                    stopRequested = true;
                    continue;
                }
                if (allSubmitted && deadline == 0) {
                    deadline = time.nowNanos() + config.drainTimeoutNanos();
                }
                if (deadline != 0 && time.nowNanos() >= deadline) {
                    break;
                }
                if (!progress) {
                    idle.run();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stepped load run stopped", e);
            problem("stopped by " + e);
        }
        end();
        return summary();
    }

    private void end() {
        state = "draining";
        for (LoadClient c : clients) {
            try {
                c.finishRun();
            } catch (RuntimeException e) {
                problem(c.name + ": final check failed: " + e);
            }
        }
        endWallNanos = System.nanoTime();
        closeClients();
        state = "finished";
        ended.countDown();
    }

    private void closeClients() {
        for (LoadClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, c.name + ": exit failed", e);
            }
        }
    }

    /** Keeps and logs the first {@link #MAX_PROBLEMS}; a run whose driver is gone would log thousands a second. */
    private void problem(String message) {
        long n = problemCount.incrementAndGet();
        if (n <= MAX_PROBLEMS) {
            problems.add(message);
            LOG.warning(message);
        } else if (n == MAX_PROBLEMS + 1) {
            LOG.warning("further problems are counted, not logged");
        }
    }

    // ------------------------------------------------------------------ control and status

    /** Stops submitting; returns at once. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Stops submitting and waits for the drain; the final summary. */
    public LoadSummary stop() {
        requestStop();
        return awaitEnd();
    }

    /** Waits for the run to end; the final summary. */
    public LoadSummary awaitEnd() {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return summary();
    }

    /** Waits at most {@code millis} of wall time for the end; whether it ended. */
    public boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    public boolean finished() {
        return ended.getCount() == 0;
    }

    /** The counts now (final once {@link #finished}). */
    public LoadSummary summary() {
        long submitted = 0;
        long completed = 0;
        long failed = 0;
        long expected = 0;
        long unexpected = 0;
        long lost = 0;
        for (LoadClient c : clients) {
            submitted += c.submitted.get();
            completed += c.completed.get();
            failed += c.failed.get();
            expected += c.failedExpected.get();
            unexpected += c.unexpected.get();
            lost += c.lost.get();
        }
        long start = startWallNanos;
        long end = endWallNanos != 0 ? endWallNanos : System.nanoTime();
        double seconds = start == 0 ? 0 : (end - start) / 1e9;
        double rate = seconds > 0 ? completed / seconds : 0;
        return new LoadSummary(config.clients(), submitted, completed, failed, expected, unexpected, lost, rate, state);
    }

    /** Jobs submitted so far per kind. */
    public Map<JobKind, Long> kindCounts() {
        Map<JobKind, Long> m = new EnumMap<>(JobKind.class);
        for (JobKind k : JobKind.values()) {
            long n = 0;
            for (LoadClient c : clients) {
                n += c.kinds.get(k.ordinal());
            }
            if (n > 0) {
                m.put(k, n);
            }
        }
        return m;
    }

    /** The longest submit-to-resolution time of any job, in virtual nanoseconds, and which job. */
    public String slowestJob() {
        long max = -1;
        String which = "";
        for (LoadClient c : clients) {
            if (c.maxLatencyNanos.get() > max) {
                max = c.maxLatencyNanos.get();
                which = c.name + " " + c.slowestJob;
            }
        }
        return String.format("%.3f ms (%s)", max / 1e6, which);
    }

    /** The first {@value #MAX_PROBLEMS} unexpected outcomes, described. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    public int problemCount() {
        return problemCount.get();
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
