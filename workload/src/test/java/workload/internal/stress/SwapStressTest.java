package workload.internal.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.mmu.cstyle.PanthorMmu;
import driver.mmu.rewritten.RewrittenMmu;
import driver.sched.cstyle.PanthorSched;
import java.util.List;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;
import workload.internal.load.LoadEngine;

/** The swap-stress loop on the whole driver in real time, as gpu:swap-stress runs it in the container. */
class SwapStressTest {

    @Test
    void swapsTheMmuBackAndForthUnderLoadLosingNothing() throws Exception {
        try (DriverHarness h = DriverHarness.startRealtime()) {
            PanthorMmu cstyle = new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
            cstyle.setSubsystems(h.subsystems());
            h.install("mmu", "cstyle", 0, cstyle);
            RewrittenMmu rewritten = new RewrittenMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
            rewritten.setSubsystems(h.subsystems());
            h.install("mmu", "rewritten", -10, rewritten);
            h.install("sched", "cstyle", new PanthorSched(h.subsystems(), h.deviceCore().firmwareApi(), h.time(),
                    h.gpuInfo()));
            SwapStress stress = new SwapStress(h.slots().manager(), new LoadEngine(h.drm(), h.time()));
            assertEquals(List.of("cstyle", "rewritten"), stress.pair("mmu"));

            SwapStress.Result r = stress.run("mmu", 40, 4, 5);
            assertTrue(r.clean(), r.line());
            assertEquals(40, r.swaps(), r.line());
            assertTrue(r.load().completed() > 0, r.line());
            assertTrue(r.pauseP50Nanos() > 0 && r.pauseP50Nanos() <= r.pauseP99Nanos()
                    && r.pauseP99Nanos() <= r.pauseMaxNanos(), r.line());
            assertEquals("cstyle", h.slots().mmu().info().activeImpl(), "an even number of swaps ends where it began");

            String e = assertThrows(IllegalArgumentException.class, () -> stress.pair("sched")).getMessage();
            assertTrue(e.contains("available: cstyle"), e);
            assertThrows(IllegalArgumentException.class, () -> stress.pair("gpu"));
        }
    }
}
