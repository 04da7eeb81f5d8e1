package workload.internal.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import driver.mmu.cstyle.PanthorMmu;
import driver.sched.cstyle.PanthorSched;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/**
 * Issue 5's containment rule under a real-time load, as the container runs it: MMU faults,
 * invalid instructions and hangs injected on victim groups fail exactly the victims' jobs;
 * every other client's job completes.
 */
class FaultContainmentTest {

    private static LoadSummary run(LoadConfig config) {
        try (DriverHarness h = DriverHarness.startRealtime()) {
            PanthorMmu mmu = new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
            mmu.setSubsystems(h.subsystems());
            h.install("mmu", "cstyle", mmu);
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

    @Test
    @Disabled("open bug (issue 5): in about 1 run in 10 an innocent group on another VM is killed with -EINVAL "
            + "when 8 real-time clients rotate through the CSG slots while victims fault; run it by hand to "
            + "reproduce: mvn -pl workload test -Dtest=FaultContainmentTest")
    void mmuFaultsAndInvalidInstructionsKillOnlyTheirVictims() {
        LoadSummary s = run(LoadConfig.of(8, Long.getLong("containment.jobs", 3000), 11)
                .withFaults(24, LoadConfig.FaultMix.FATAL));
        assertEquals(24, s.failed(), s.line());
    }

    @Test
    void hangsTimeOutOnlyTheirVictims() {
        LoadSummary s = run(LoadConfig.of(4, 800, 12).withFaults(4, LoadConfig.FaultMix.WITH_HANGS));
        assertEquals(4, s.failed(), s.line());
    }
}
