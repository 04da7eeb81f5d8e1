package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import driver.core.slot.SubsystemSlots;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Live MMU swaps in the container (issue 6), every way a user swaps: {@code gpu:swap},
 * ConfigAdmin, and the bundle lifecycle (stop, update, uninstall, install + start), each
 * while a load runs across it, with the conformance suite passing before and after; then
 * {@code gpu:swap-stress}; swaps under a load with injected faults; then 100 update/refresh
 * cycles of the active MMU bundle after which the old revisions' class loaders must be
 * collectable.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MmuLiveSwapIT {

    private static final String CSTYLE = "driver.mmu.cstyle";
    private static final String REWRITTEN = "driver.mmu.rewritten";

    @Inject
    CommandProcessor processor;

    @Inject
    SubsystemSlots slots;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return PanthorContainer.options();
    }

    /** gpu:swap each way under load; the suite passes before and after each (so also with the rewrite). */
    @Test
    public void gpuSwapBothWaysUnderLoad() throws Exception {
        underLoad(() -> assertTrue(run("gpu:swap mmu rewritten").contains("SWAPPED")));
        assertEquals("rewritten", activeMmu());
        underLoad(() -> assertTrue(run("gpu:swap mmu cstyle").contains("SWAPPED")));
        assertEquals("cstyle", activeMmu());
    }

    /**
     * Faults injected into a load stay with their victims while the MMU is swapped back and
     * forth under it: the address spaces they masked and the faults still on their way belong
     * to the device's MMU line, not to either MMU.
     */
    @Test
    public void faultsDuringSwapsStayWithTheirVictims() throws Exception {
        run("gpu:load start --clients 8 --jobs 4000 --faults 30 --seed 9");
        String line;
        try {
            for (String impl : new String[] {"rewritten", "cstyle", "rewritten", "cstyle"}) {
                Thread.sleep(50);
                assertTrue(run("gpu:swap mmu " + impl).contains("SWAPPED"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            do {
                Thread.sleep(50);
                line = GogoShell.lastLine(run("gpu:load status"));
            } while (!line.contains("state=finished") && System.nanoTime() < deadline);
        } finally {
            line = GogoShell.lastLine(run("gpu:load stop"));
        }
        assertTrue(line, line.contains("state=finished"));
        assertEquals(line, 4000, GogoShell.field(line, "submitted"));
        assertEquals(line, 30, GogoShell.field(line, "expected_failures"));
        assertEquals(line, 30, GogoShell.field(line, "failed"));
        assertEquals(line, 0, GogoShell.field(line, "unexpected"));
        assertEquals(line, 0, GogoShell.field(line, "lost"));
        BaselineIT.assertConformancePasses(processor);
    }

    @Test
    public void configAdminPreferenceSwapsUnderLoad() throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("driver.core.subsystems", "?");
        try {
            underLoad(() -> {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put("mmu.impl", "rewritten");
                c.update(props);
                await(() -> "rewritten".equals(activeMmu()), "ConfigAdmin never swapped the MMU");
            });
            BaselineIT.assertConformancePasses(processor);
        } finally {
            c.delete();
            run("gpu:swap mmu cstyle");
        }
        assertEquals("cstyle", activeMmu());
    }

    @Test
    public void bundleLifecycleUnderLoad() throws Exception {
        Bundle cstyle = bundle(CSTYLE);
        String location = cstyle.getLocation();
        underLoad(() -> {
            cstyle.stop();
            assertEquals("stop hands the state to the other MMU", "rewritten", activeMmu());
            cstyle.start();
            await(() -> "cstyle".equals(activeMmu()), "the restarted bundle never took over");
            cstyle.update();
            await(() -> "cstyle".equals(activeMmu()), "the updated bundle never took over");
            cstyle.uninstall();
            assertEquals("rewritten", activeMmu());
            Bundle again = context.installBundle(location);
            again.start();
            await(() -> "cstyle".equals(activeMmu()), "the reinstalled bundle never took over");
        });
        BaselineIT.assertConformancePasses(processor);
    }

    @Test
    public void swapStressLosesNothing() throws Exception {
        String line = GogoShell.lastLine(run("gpu:swap-stress mmu --swaps 200 --clients 4"));
        assertTrue(line, line.startsWith("swap-stress: subsystem=mmu swaps=200 "));
        assertEquals(line, 0, GogoShell.field(line, "rollbacks"));
        assertEquals(line, 0, GogoShell.field(line, "lost"));
        assertEquals(line, 0, GogoShell.field(line, "failed"));
        assertEquals("cstyle", activeMmu());
    }

    @Test
    public void oldRevisionsAreCollectedAfterAHundredUpdateRefreshCycles() throws Exception {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<WeakReference<ClassLoader>> old = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Bundle b = bundle(CSTYLE);
            old.add(new WeakReference<>(b.adapt(BundleWiring.class).getClassLoader()));
            b.update();
            CountDownLatch refreshed = new CountDownLatch(1);
            wiring.refreshBundles(List.of(b), e -> {
                if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                    refreshed.countDown();
                }
            });
            assertTrue("refresh " + i + " never finished", refreshed.await(30, TimeUnit.SECONDS));
            await(() -> "cstyle".equals(activeMmu()), "revision " + (i + 1) + " never took over");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long alive;
        do {
            System.gc();
            Thread.sleep(50);
            alive = old.stream().filter(r -> r.get() != null).count();
        } while (alive > 0 && System.nanoTime() < deadline);
        assertEquals("old class loaders still reachable", 0, alive);
        BaselineIT.assertConformancePasses(processor);
    }

    // ---- helpers ------------------------------------------------------------------------

    private void underLoad(UnderLoad.Body body) throws Exception {
        UnderLoad.run(processor, body);
    }

    private String activeMmu() {
        return slots.slot("mmu").orElseThrow().info().activeImpl();
    }

    private Bundle bundle(String bsn) {
        Bundle b = Arrays.stream(context.getBundles()).filter(x -> bsn.equals(x.getSymbolicName()))
                .findFirst().orElse(null);
        assertNotNull(bsn + " not installed", b);
        return b;
    }

    private static void await(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(message, System.nanoTime() < deadline);
            Thread.sleep(10);
        }
    }

    private String run(String command) throws Exception {
        return GogoShell.run(processor, command);
    }
}
