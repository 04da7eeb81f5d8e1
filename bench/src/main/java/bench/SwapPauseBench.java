package bench;

import driver.core.slot.SwapRecord;
import driver.mmu.cstyle.PanthorMmu;
import driver.mmu.rewritten.RewrittenMmu;
import driver.sched.cstyle.PanthorSched;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import panthor.testkit.DriverHarness;
import workload.internal.load.LoadConfig;
import workload.internal.load.LoadEngine;
import workload.internal.load.LoadRun;
import workload.internal.load.LoadSummary;

/**
 * The pause of a live MMU swap (issue 6: {@code gpu:swap-stress mmu} pause p99 at most 1 ms).
 *
 * The whole driver ({@link DriverHarness}, virtual time following wall time as in the container)
 * with both MMU implementations installed and the C-style scheduler; {@code clients} load
 * clients ({@link LoadEngine}) submit jobs, bind and wait on syncobjs in the background, and
 * every invocation swaps the MMU to the other implementation (cstyle → rewritten → cstyle …),
 * the same slot path {@code gpu:swap} and {@code gpu:swap-stress} take. {@code SampleTime}
 * gives the distribution of the whole swap call as the swapping thread sees it; the slot's own
 * measurement of the pause ({@link SwapRecord#pauseNanos}: gate closed to gate open, the time
 * UABI calls into the MMU are held back) is printed at the end of a trial as percentiles
 * (warm-up included). Between two swaps the load completes at least one more job (at most
 * 20 ms, outside the measured time), as in {@code gpu:swap-stress}. {@code clients=0} is an
 * idle driver: the state handoff alone. The fork runs with {@code -XX:ThreadPriorityPolicy=1} as
 * {@code ./panthor} does (as root, the slot's priority boost during a swap then reaches the OS).
 * Figures and what a pause consists of: docs/performance.md, "Swap pauses".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:ThreadPriorityPolicy=1"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SwapPauseBench {

    @Param({"0", "2", "8"})
    public int clients;

    private DriverHarness h;
    private LoadRun load;
    private final String[] impls = {"cstyle", "rewritten"};
    private int next = 1;
    private final long[] pauses = new long[1 << 20];
    private int pauseCount;

    @Setup(Level.Trial)
    public void setUp() {
        h = DriverHarness.startRealtime();
        PanthorMmu c = new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
        c.setSubsystems(h.subsystems());
        h.install("mmu", "cstyle", 10, c);
        RewrittenMmu r = new RewrittenMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
        r.setSubsystems(h.subsystems());
        h.install("mmu", "rewritten", -10, r);
        h.install("sched", "cstyle", new PanthorSched(h.subsystems(), h.deviceCore().firmwareApi(), h.time(),
                h.gpuInfo()));
        if (clients > 0) {
            load = new LoadEngine(h.drm(), h.time()).start(LoadConfig.of(clients, 0, 1));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long[] sorted = java.util.Arrays.copyOf(pauses, pauseCount);
        java.util.Arrays.sort(sorted);
        if (sorted.length > 0) {
            System.out.printf("%nslot pause (clients=%d, %d swaps incl. warm-up): p50=%d us p99=%d us max=%d us%n",
                    clients, sorted.length, sorted[(sorted.length - 1) / 2] / 1000,
                    sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1000, sorted[sorted.length - 1] / 1000);
        }
        try {
            if (load != null) {
                LoadSummary s = load.stop();
                if (!s.clean() || s.failed() != 0) {
                    throw new IllegalStateException("load across the swaps was not clean: " + s.line());
                }
            }
        } finally {
            h.close();
        }
    }

    @Setup(Level.Invocation)
    public void spaceOut() throws InterruptedException {
        if (load != null) {
            awaitProgress();
        }
    }

    @Benchmark
    public SwapRecord swap() {
        SwapRecord r = h.swap("mmu", impls[next]);
        if (!r.succeeded()) {
            throw new IllegalStateException("swap did not succeed: " + r.outcome() + " " + r.cause());
        }
        next ^= 1;
        if (pauseCount < pauses.length) {
            pauses[pauseCount++] = r.pauseNanos();
        }
        return r;
    }

    /** As {@code gpu:swap-stress}: the next swap lands in traffic, not in a burst of swaps. */
    private void awaitProgress() throws InterruptedException {
        long before = load.summary().completed();
        long deadline = System.nanoTime() + 20_000_000L;
        while (load.summary().completed() == before && System.nanoTime() < deadline) {
            Thread.sleep(0, 200_000);
        }
    }
}
