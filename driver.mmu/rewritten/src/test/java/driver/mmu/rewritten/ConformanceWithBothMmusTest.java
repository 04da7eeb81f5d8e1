package driver.mmu.rewritten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import conformance.internal.CaseResult;
import conformance.internal.ConformanceSuite;
import driver.core.subsys.mmu.Mmu;
import driver.mmu.cstyle.PanthorMmu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/**
 * The UABI conformance suite against the whole driver (testkit harness) with each MMU: every
 * case has the same outcome with the rewritten MMU as with the C-style one, and every case
 * outside the scheduler's areas passes with the rewritten MMU. The C-style scheduler is
 * installed when it can be built from the harness; it is being finished and its cases still flip
 * from run to run with either MMU, so its areas are compared strictly only with
 * {@code -Dconformance.strict=true} (else differences are printed). This is the UABI-level
 * differential with submits touching the mappings.
 */
class ConformanceWithBothMmusTest {

    private static final List<String> SCHED_AREAS = List.of("panthor_group@", "panthor_submit@", "panthor_heap@",
            "panthor_fault@", "panthor_timeout@", "panthor_pm@", "panthor_vm@remap-gpu-view",
            "panthor_vm@partial-unmap-2m-gpu-view");

    private static Map<String, CaseResult> run(String impl) {
        DriverHarness h = DriverHarness.start();
        try {
            Mmu mmu;
            if (impl.equals("rewritten")) {
                RewrittenMmu r = new RewrittenMmu(h.mmio(), h.memory(), h.time(), h.pageAllocator(),
                        h.gpuInfo().mmuFeatures(), h.gpuInfo().asPresent(), h.drm());
                r.setSubsystems(h.subsystems());
                mmu = r;
            } else {
                PanthorMmu c = new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device());
                c.setSubsystems(h.subsystems());
                mmu = c;
            }
            h.install("mmu", impl, mmu);
            Object sched = construct(h, "driver.sched.cstyle.PanthorSched");
            if (sched != null) {
                h.install("sched", "cstyle", sched);
            }
            List<CaseResult> results = new ConformanceSuite().run(
                    new ConformanceSuite.Target(h.drm(), h.time(), h.device(), null), null, r -> { });
            Map<String, CaseResult> byName = new LinkedHashMap<>();
            for (CaseResult r : results) {
                byName.put(r.name(), r);
            }
            System.out.println(impl + ": " + ConformanceSuite.summary(results));
            return byName;
        } finally {
            try {
                h.close();
            } catch (RuntimeException e) {
                System.out.println(impl + ": harness close failed: " + e);
            }
        }
    }

    /** {@code className} built from what the harness provides (as ConformanceSuiteTest does), or null. */
    static Object construct(DriverHarness h, String className) {
        try {
            Class<?> type = Class.forName(className);
            for (java.lang.reflect.Constructor<?> ctor : type.getConstructors()) {
                Object[] args = new Object[ctor.getParameterCount()];
                boolean ok = true;
                for (int i = 0; i < args.length && ok; i++) {
                    args[i] = provide(h, ctor.getParameterTypes()[i]);
                    ok = args[i] != null;
                }
                if (ok) {
                    return ctor.newInstance(args);
                }
            }
            return null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Object provide(DriverHarness h, Class<?> wanted) throws ReflectiveOperationException {
        for (java.lang.reflect.Method m : DriverHarness.class.getMethods()) {
            if (m.getParameterCount() == 0 && !java.lang.reflect.Modifier.isStatic(m.getModifiers())
                    && m.getDeclaringClass() != Object.class && wanted.isAssignableFrom(m.getReturnType())) {
                return m.invoke(h);
            }
        }
        return null;
    }

    @Test
    void everyCaseHasTheSameOutcomeWithEitherMmu() {
        Map<String, CaseResult> cstyle = run("cstyle");
        Map<String, CaseResult> rewritten = run("rewritten");
        assertEquals(cstyle.keySet(), rewritten.keySet());
        boolean strict = Boolean.getBoolean("conformance.strict");
        List<String> different = new ArrayList<>();
        List<String> schedDifferent = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        for (CaseResult r : rewritten.values()) {
            CaseResult c = cstyle.get(r.name());
            boolean schedCase = SCHED_AREAS.stream().anyMatch(r.name()::startsWith);
            if (c.outcome() != r.outcome() || (r.failed() && !r.reason().equals(c.reason()))) {
                (schedCase && !strict ? schedDifferent : different).add("cstyle: " + c.line() + "\n    rewritten: "
                        + r.line());
            }
            if (r.failed() && !schedCase) {
                failing.add(r.line());
            }
        }
        if (!schedDifferent.isEmpty()) {
            /* The C-style scheduler is being finished and its cases still flip from run to run with
             * either MMU; asserted with -Dconformance.strict=true. */
            System.out.println("scheduler cases with different outcomes:\n" + String.join("\n", schedDifferent));
        }
        assertTrue(different.isEmpty(), "different outcomes:\n" + String.join("\n", different));
        assertTrue(failing.isEmpty(), "failing with the rewritten MMU:\n" + String.join("\n", failing));
        assertTrue(rewritten.size() >= 70, "the whole suite ran: " + rewritten.size());
    }
}
