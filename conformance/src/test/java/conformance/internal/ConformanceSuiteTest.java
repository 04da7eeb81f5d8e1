package conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.uapi.Errno;
import driver.mmu.cstyle.PanthorMmu;
import driver.sched.cstyle.PanthorSched;
import java.util.List;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/**
 * The whole suite against the testkit harness with the C-style MMU and scheduler, and the
 * suite's own machinery (failure reporting, skips, filters).
 *
 * Every case must pass, and the harness must close cleanly (no runtime-PM reference or group
 * left behind). Switches: {@code -Dconformance.filter=GLOB} runs a subset,
 * {@code -Dconformance.realtime=true} runs in REALTIME virtual time as the container does.
 */
class ConformanceSuiteTest {

    @Test
    void wholeSuiteAgainstTheCStyleImplementations() throws Exception {
        String filter = System.getProperty("conformance.filter");
        DriverHarness h = Boolean.getBoolean("conformance.realtime") ? DriverHarness.startRealtime()
                : DriverHarness.start();
        try {
            PanthorMmu mmu = new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
            mmu.setSubsystems(h.subsystems());
            h.install("mmu", "cstyle", mmu);
            h.install("sched", "cstyle", new PanthorSched(h.subsystems(), h.deviceCore().firmwareApi(), h.time(),
                    h.gpuInfo()));
            ConformanceSuite suite = new ConformanceSuite();
            List<CaseResult> results = suite.run(new ConformanceSuite.Target(h.drm(), h.time(), h.device(), h.sysfs()),
                    filter, r -> System.out.println(r.line()));
            System.out.println(ConformanceSuite.summary(results));

            List<String> unexpected = results.stream().filter(CaseResult::failed).map(CaseResult::line).toList();
            assertTrue(filter != null || results.size() >= 70, "at least 70 cases, have " + results.size());
            assertTrue(unexpected.isEmpty(), "unexpected failures:\n" + String.join("\n", unexpected));
        } finally {
            h.close();
        }
    }

    @Test
    void aBrokenExpectationFailsAndIsReported() {
        try (DriverHarness h = DriverHarness.start()) {
            ConformanceSuite suite = new ConformanceSuite(List.of(
                    new Case("panthor_selftest@expects-einval-from-a-valid-create", ctx -> {
                        Client c = ctx.open("selftest");
                        ctx.expectErrno(Errno.EINVAL, "BO_CREATE of 4 KiB", () -> c.bo(4096));
                    }),
                    new Case("panthor_selftest@unexpected-errno", ctx -> ctx.open("selftest2").bo(0)),
                    new Case("panthor_selftest@bug-in-case", ctx -> {
                        throw new IllegalStateException("boom");
                    }),
                    new Case("panthor_selftest@needs-sysfs", ctx -> ctx.requireSysfs()),
                    new Case("panthor_selftest@passes", ctx -> ctx.open("selftest3").bo(4096))));
            List<CaseResult> r = suite.run(h.drm(), h.time(), null);
            assertEquals(5, r.size());
            assertEquals("FAIL panthor_selftest@expects-einval-from-a-valid-create: BO_CREATE of 4 KiB: expected EINVAL, "
                    + "got success", r.get(0).line());
            assertEquals("FAIL panthor_selftest@unexpected-errno: DRM_IOCTL_PANTHOR_BO_CREATE failed: EINVAL", r.get(1).line());
            assertTrue(r.get(2).failed() && r.get(2).reason().startsWith("IllegalStateException: boom at "), r.get(2).line());
            assertEquals(CaseResult.Outcome.SKIP, r.get(3).outcome());
            assertTrue(r.get(4).passed(), r.get(4).line());
            assertTrue(r.get(4).line().matches("ok   panthor_selftest@passes  \\d+\\.\\d ms"), r.get(4).line());
            assertEquals("1 passed, 3 failed", ConformanceSuite.summary(r));
            assertTrue(h.drm().clients().isEmpty(), "every case's processes exited: " + h.drm().clients());
        }
    }

    @Test
    void filtersAreIgtGlobs() {
        ConformanceSuite suite = new ConformanceSuite();
        List<String> vm = suite.select("panthor_vm@bind-map-*");
        assertTrue(vm.contains("panthor_vm@bind-map-4k") && vm.contains("panthor_vm@bind-map-2m"), vm.toString());
        assertTrue(vm.stream().allMatch(n -> n.startsWith("panthor_vm@bind-map-")), vm.toString());
        assertEquals(List.of("panthor_query@gpu-info", "panthor_vm@bind-partial-unmap-2m"),
                suite.select("panthor_query@gpu-inf?, panthor_vm@bind-partial-unmap-2m"));
        assertEquals(suite.cases().size(), suite.select("").size());
        assertTrue(suite.select("nothing*").isEmpty());
    }
}
