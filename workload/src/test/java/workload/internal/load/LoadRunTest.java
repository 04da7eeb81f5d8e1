package workload.internal.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.mmu.cstyle.PanthorMmu;
import driver.sched.cstyle.PanthorSched;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/**
 * End to end: load clients through the UABI byte path against the C-style MMU and scheduler
 * on the deterministic model. Stepped runs are single-threaded and reproducible. The threaded
 * engine (a thread per client blocking in SYNCOBJ waits) is the container's REALTIME path and is
 * checked there (gpu:load run); in deterministic time a thread blocked in a wait moves the
 * clock ahead of kernel work still queued, so it is not used here.
 */
class LoadRunTest {

    private DriverHarness h;
    private LoadEngine engine;

    @BeforeEach
    void setUp() {
        h = DriverHarness.start();
        h.install("mmu", "cstyle", new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device()));
        h.install("sched", "cstyle", new PanthorSched(h.subsystems(), h.deviceCore().firmwareApi(), h.time(), h.gpuInfo()));
        engine = new LoadEngine(h.drm(), h.time());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /**
     * Kernel work runs on its own threads while this thread does not move the clock; the
     * harness's drainWork/advanceMs are not used because they drain every live work queue of
     * the JVM, including queues left by earlier harnesses.
     */
    private static final Runnable NO_SETTLE = () -> { };

    private void idle() {
        h.time().advance(1_000_000L);
    }

    private LoadSummary stepped(LoadConfig config) {
        LoadRun run = engine.runStepped(config, NO_SETTLE, this::idle);
        LoadSummary s = run.summary();
        assertEquals(List.of(), run.problems(), s.line());
        return s;
    }

    @Test
    void everyJobCompletesAndIsCheckedOnce() {
        LoadRun run = engine.runStepped(LoadConfig.of(3, 600, 7), NO_SETTLE, this::idle);
        LoadSummary s = run.summary();
        assertEquals(List.of(), run.problems(), s.line());
        assertTrue(run.kindCounts().containsKey(JobKind.CONSUME_REMOTE_GPU)
                && run.kindCounts().containsKey(JobKind.CONSUME_REMOTE_KERNEL), run.kindCounts().toString());
        assertEquals(600, s.submitted(), s.line());
        assertEquals(600, s.completed(), s.line());
        assertEquals(0, s.failed(), s.line());
        assertEquals(0, s.lost(), s.line());
        assertEquals(0, s.unexpected(), s.line());
        assertTrue(h.drm().clients().isEmpty(), "client processes exited");
    }

    @Test
    void theSameSeedGivesTheSameJobMix() {
        LoadRun a = engine.runStepped(LoadConfig.of(1, 300, 42), NO_SETTLE, this::idle);
        tearDown();
        setUp();
        LoadRun b = engine.runStepped(LoadConfig.of(1, 300, 42), NO_SETTLE, this::idle);
        assertEquals(a.kindCounts(), b.kindCounts());
        assertEquals(a.summary().line().replaceAll("jobs_per_s=\\d+", ""), b.summary().line().replaceAll("jobs_per_s=\\d+", ""));
        tearDown();
        setUp();
        LoadRun c = engine.runStepped(LoadConfig.of(1, 300, 43), NO_SETTLE, this::idle);
        assertNotEquals(a.kindCounts(), c.kindCounts(), "another seed, another mix");
        assertTrue(a.kindCounts().keySet().containsAll(List.of(JobKind.STORE, JobKind.LOOP, JobKind.COMPUTE,
                JobKind.PRODUCE, JobKind.CONSUME_GPU, JobKind.CONSUME_KERNEL)), a.kindCounts().toString());
    }

    @Test
    void deliberateFaultsFailOnlyTheirVictimGroup() {
        LoadSummary s = stepped(LoadConfig.of(2, 400, 3).withFaults(4, LoadConfig.FaultMix.FATAL));
        assertEquals(400, s.submitted(), s.line());
        assertEquals(4, s.failed(), s.line());
        assertEquals(4, s.expectedFailures(), s.line());
        assertEquals(396, s.completed(), s.line());
        assertEquals(0, s.lost(), s.line());
        assertEquals(0, s.unexpected(), s.line());
    }

    @Test
    void aHangTimesOutItsVictimWithEtimedout() {
        LoadSummary s = stepped(LoadConfig.of(1, 40, 5).withWindow(8).withFaults(1, LoadConfig.FaultMix.HANGS));
        assertEquals(0, s.lost(), s.line());
        assertEquals(0, s.unexpected(), s.line());
        assertEquals(1, s.failed(), s.line());
        assertEquals(1, s.expectedFailures(), s.line());
        assertEquals(39, s.completed(), s.line());
    }

    @Test
    void aJobStillOutstandingAfterTheDrainDeadlineIsLost() {
        LoadRun run = engine.runStepped(LoadConfig.of(1, 20, 5).withWindow(4).withFaults(1, LoadConfig.FaultMix.HANGS)
                .withDrainTimeoutNanos(50_000_000L), NO_SETTLE, this::idle);
        LoadSummary s = run.summary();
        /* The hang and whatever queued behind it on its queue in time is lost, never dropped silently. */
        assertEquals(20, s.submitted(), s.line());
        assertTrue(s.lost() >= 1, s.line());
        assertEquals(20, s.completed() + s.lost(), s.line());
        assertEquals(0, s.failed(), s.line());
        assertTrue(!s.clean(), s.line());
        assertEquals(1, run.problems().size(), run.problems().toString());
        assertTrue(run.problems().get(0).matches(".*\\d+ jobs lost: .*FAULT_HANG.*"), run.problems().get(0));
    }
}
