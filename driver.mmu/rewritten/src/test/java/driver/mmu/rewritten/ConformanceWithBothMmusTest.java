package driver.mmu.rewritten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import conformance.internal.CaseResult;
import conformance.internal.ConformanceSuite;
import driver.core.subsys.mmu.Mmu;
import driver.mmu.cstyle.PanthorMmu;
import driver.sched.cstyle.PanthorSched;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/**
 * The UABI conformance suite against the whole driver (testkit harness, C-style scheduler) with
 * each MMU: every case passes with both, with the same outcome. This is the UABI-level
 * differential with submits touching the mappings.
 */
class ConformanceWithBothMmusTest {

    private static Map<String, CaseResult> run(String impl) {
        try (DriverHarness h = DriverHarness.start()) {
            Mmu mmu;
            if (impl.equals("rewritten")) {
                RewrittenMmu r = new RewrittenMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
                r.setSubsystems(h.subsystems());
                mmu = r;
            } else {
                PanthorMmu c = new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
                c.setSubsystems(h.subsystems());
                mmu = c;
            }
            h.install("mmu", impl, mmu);
            h.install("sched", "cstyle", new PanthorSched(h.subsystems(), h.deviceCore().firmwareApi(), h.time(),
                    h.gpuInfo()));
            List<CaseResult> results = new ConformanceSuite().run(
                    new ConformanceSuite.Target(h.drm(), h.time(), h.device(), h.sysfs()), null, r -> { });
            Map<String, CaseResult> byName = new LinkedHashMap<>();
            for (CaseResult r : results) {
                byName.put(r.name(), r);
            }
            System.out.println(impl + ": " + ConformanceSuite.summary(results));
            return byName;
        }
    }

    @Test
    void everyCasePassesWithEitherMmu() {
        Map<String, CaseResult> cstyle = run("cstyle");
        Map<String, CaseResult> rewritten = run("rewritten");
        assertEquals(cstyle.keySet(), rewritten.keySet());
        List<String> different = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        for (CaseResult r : rewritten.values()) {
            CaseResult c = cstyle.get(r.name());
            if (c.outcome() != r.outcome()) {
                different.add("cstyle: " + c.line() + "\n    rewritten: " + r.line());
            }
            if (r.failed() || c.failed()) {
                failing.add(r.failed() ? "rewritten: " + r.line() : "cstyle: " + c.line());
            }
        }
        assertTrue(failing.isEmpty(), "failing:\n" + String.join("\n", failing));
        assertTrue(different.isEmpty(), "different outcomes:\n" + String.join("\n", different));
        assertTrue(rewritten.size() >= 150, "the whole suite ran: " + rewritten.size());
    }
}
