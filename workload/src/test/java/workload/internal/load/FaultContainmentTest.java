package workload.internal.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import driver.core.subsys.mmu.Mmu;
import driver.mmu.cstyle.PanthorMmu;
import driver.mmu.rewritten.RewrittenMmu;
import driver.sched.cstyle.PanthorSched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import panthor.testkit.DriverHarness;

/**
 * Issue 5's containment rule under a real-time load, as the container runs it: MMU faults,
 * invalid instructions and hangs injected on victim groups fail exactly the victims' jobs;
 * every other client's job completes. Eight clients rotate through seven user address
 * spaces, so a victim's AS is handed to an innocent VM soon after the fault: the fault must
 * still be charged to the victim.
 */
class FaultContainmentTest {

    private static LoadSummary run(String mmuImpl, LoadConfig config) {
        try (DriverHarness h = DriverHarness.startRealtime()) {
            Mmu mmu = switch (mmuImpl) {
                case "cstyle" -> {
                    PanthorMmu c = new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
                    c.setSubsystems(h.subsystems());
                    yield c;
                }
                default -> {
                    RewrittenMmu r = new RewrittenMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
                    r.setSubsystems(h.subsystems());
                    yield r;
                }
            };
            h.install("mmu", mmuImpl, mmu);
            h.install("sched", "cstyle", new PanthorSched(h.subsystems(), h.deviceCore().firmwareApi(), h.time(),
                    h.gpuInfo()));
            LoadRun run = new LoadEngine(h.drm(), h.time()).run(config);
            LoadSummary s = run.summary();
            assertEquals(0, s.lost(), s.line() + " " + run.problems());
            assertEquals(0, s.unexpected(), s.line() + " " + run.problems());
            assertEquals(s.expectedFailures(), s.failed(), s.line());
            assertEquals(s.submitted(), s.completed() + s.failed(), s.line());
            return s;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cstyle", "rewritten"})
    void mmuFaultsAndInvalidInstructionsKillOnlyTheirVictims(String mmuImpl) {
        LoadSummary s = run(mmuImpl, LoadConfig.of(8, Long.getLong("containment.jobs", 3000), 11)
                .withFaults(24, LoadConfig.FaultMix.FATAL));
        assertEquals(24, s.failed(), s.line());
    }

    /** Hangs time out after 5 s and the recovery resets the GPU: the other groups must not notice. */
    @Test
    void hangsAmongTheFaultsTimeOutOnlyTheirVictims() {
        LoadSummary s = run("cstyle", LoadConfig.of(8, 3000, 12).withFaults(24, LoadConfig.FaultMix.WITH_HANGS));
        assertEquals(24, s.failed(), s.line());
    }
}
