package driver.core.internal.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.slot.counter.Counter;
import driver.core.internal.slot.counter.CounterState;
import driver.core.internal.slot.counter.FrameworkCounters;
import driver.core.internal.slot.counter.TestCounter;
import driver.core.internal.slot.counterbundle.CounterActivator;
import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemProperties;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * The slot following real services in an embedded Felix: throw-away bundles register counter
 * implementations and are started, stopped, updated and uninstalled while the test calls
 * through the slot. Shows that the hand-over happens inside the framework's UNREGISTERING
 * event, while the departing object still works (it is retired right after).
 */
@Timeout(60)
class SubsystemTrackerFelixTest {

    @TempDir
    Path storage;

    private Felix felix;
    private BundleContext context;
    private SlotManager manager;
    private GatedSubsystemSlot<Counter, CounterState> slot;

    @BeforeEach
    void startFramework() throws BundleException {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                "driver.core.slot;version=1.0.0,driver.core.internal.slot.counter;version=1.0.0");
        config.put("felix.log.level", "1");
        felix = new Felix(config);
        felix.start();
        context = felix.getBundleContext();
        FrameworkCounters.CREATED.clear();

        manager = new SlotManager();
        slot = manager.create(SlotConfig.mandatory("counter", Counter.class, CounterState::initial)
                .withGrace(Duration.ofSeconds(20)));
        manager.track(context);
    }

    @AfterEach
    void stopFramework() throws Exception {
        manager.close();
        felix.stop();
        felix.waitForStop(10_000);
        assertEquals(0, FrameworkCounters.OWNERSHIP.violations());
    }

    private Bundle install(String impl, int ranking, String version) throws Exception {
        Bundle b = context.installBundle("counter-" + impl + "-" + version, jar(impl, ranking, version));
        b.start();
        return b;
    }

    private static InputStream jar(String impl, int ranking, String version) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, "test.counter." + impl);
        a.putValue(Constants.BUNDLE_VERSION, version);
        a.putValue(Constants.BUNDLE_ACTIVATOR, CounterActivator.class.getName());
        a.putValue(Constants.IMPORT_PACKAGE, "org.osgi.framework, driver.core.slot, driver.core.internal.slot.counter");
        a.putValue("Counter-Impl", impl);
        a.putValue("Counter-Ranking", Integer.toString(ranking));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            String entry = CounterActivator.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(entry));
            try (InputStream in = CounterActivator.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private long increment(int times) {
        long v = 0;
        for (int i = 0; i < times; i++) {
            v = slot.call(Counter::increment);
        }
        return v;
    }

    private SwapRecord last() {
        List<SwapRecord> h = slot.history();
        return h.get(h.size() - 1);
    }

    private static TestCounter created(int index) {
        return FrameworkCounters.CREATED.stream().skip(index).findFirst().orElseThrow();
    }

    @Test
    void bundlesThatStartProvideImplementationsAndTheBestRuns() throws Exception {
        assertEquals(SlotStatus.PARKED, slot.status());
        install("a", 0, "1.0.0");
        assertEquals("a", slot.info().activeImpl());
        assertEquals(2, increment(2));
        install("b", 5, "1.0.0");
        SwapRecord r = last();
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertEquals(SwapTrigger.REGISTERED, r.trigger());
        assertEquals("b", slot.info().activeImpl());
        assertTrue(slot.info().activeOrigin().startsWith("test.counter.b 1.0.0 [bundle "), slot.info().activeOrigin());
        assertEquals(3, increment(1));
        assertEquals(List.of("b", "a"), manager.slots().get(0).available().stream().map(p -> p.impl()).toList());
    }

    @Test
    void stoppingTheActiveBundleHandsOverWhileItsServiceStillWorks() throws Exception {
        install("a", 0, "1.0.0");
        Bundle b = install("b", 5, "1.0.0");
        increment(5);
        TestCounter departing = created(1);
        int exportsBefore = departing.exports.get();

        b.stop();

        SwapRecord r = last();
        assertEquals(SwapOutcome.SWAPPED, r.outcome(), r.describe());
        assertEquals(SwapTrigger.UNREGISTERING, r.trigger());
        assertEquals("b", r.fromImpl());
        assertEquals("a", r.toImpl());
        assertEquals("bundle test.counter.b 1.0.0 stopping", r.reason());
        assertEquals("", r.cause(), "the export worked: the service was still usable");
        assertEquals(exportsBefore + 1, departing.exports.get());
        assertFalse(departing.owning());
        assertEquals(6, increment(1));
        assertEquals(1, slot.info().available().size());
    }

    @Test
    void updatingTheOnlyBundleParksItsStateAndTheNewRevisionTakesItOver() throws Exception {
        Bundle a = install("a", 0, "1.0.0");
        increment(3);
        long oldId = slot.info().activeServiceId();

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong lastSeen = new AtomicLong(3);
        Thread caller = new Thread(() -> {
            try {
                while (!stop.get()) {
                    long v = slot.call(Counter::increment);
                    if (v != lastSeen.get() + 1) {
                        throw new AssertionError("expected " + (lastSeen.get() + 1) + " got " + v);
                    }
                    lastSeen.set(v);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        caller.start();
        Thread.sleep(20);
        a.update(jar("a", 0, "1.0.1"));
        Thread.sleep(20);
        stop.set(true);
        caller.join();
        assertTrue(errors.isEmpty(), errors::toString);

        List<SwapRecord> h = slot.history();
        SwapRecord parked = h.get(h.size() - 2);
        SwapRecord restored = h.get(h.size() - 1);
        assertEquals(SwapOutcome.PARKED, parked.outcome(), parked.describe());
        assertEquals(SwapOutcome.SWAPPED, restored.outcome(), restored.describe());
        assertEquals(SwapRecord.NONE, restored.fromImpl());
        assertEquals("a", restored.toImpl());
        assertNotEquals(oldId, restored.toServiceId());
        assertTrue(slot.info().activeOrigin().startsWith("test.counter.a 1.0.1"), slot.info().activeOrigin());
        long before = lastSeen.get();
        assertEquals(before + 1, increment(1), "the new revision continues where the old one stopped");
    }

    @Test
    void updatingTheWantedBundleGoesToTheOtherAndBackToTheNewRevision() throws Exception {
        Bundle a = install("a", 0, "1.0.0");
        install("b", 0, "1.0.0");
        slot.setPreferred("a", "config");
        increment(4);
        int before = slot.history().size();

        a.update(jar("a", 0, "2.0.0"));

        List<SwapRecord> h = slot.history().subList(before, slot.history().size());
        assertEquals(2, h.size(), h.toString());
        assertEquals("a", h.get(0).fromImpl());
        assertEquals("b", h.get(0).toImpl());
        assertEquals(SwapTrigger.UNREGISTERING, h.get(0).trigger());
        assertEquals("b", h.get(1).fromImpl());
        assertEquals("a", h.get(1).toImpl());
        assertEquals(SwapTrigger.PREFERENCE, h.get(1).trigger());
        assertTrue(slot.info().activeOrigin().startsWith("test.counter.a 2.0.0"));
        assertEquals(5, increment(1));
    }

    @Test
    void uninstallingParksAndInstallingAgainRestores() throws Exception {
        Bundle a = install("a", 0, "1.0.0");
        increment(7);
        a.uninstall();
        assertEquals(SlotStatus.PARKED, slot.status());
        assertEquals(SwapOutcome.PARKED, last().outcome());
        install("a", 0, "1.0.0");
        assertEquals(SlotStatus.ACTIVE, slot.status());
        assertEquals(8, increment(1));
    }

    @Test
    void aRankingChangeOfARegisteredServiceSwapsToTheNewBest() throws Exception {
        install("a", 3, "1.0.0");
        install("b", 0, "1.0.0");
        assertEquals("a", slot.info().activeImpl());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SubsystemProperties.SUBSYSTEM, "counter");
        props.put(SubsystemProperties.IMPL, "b");
        props.put(Constants.SERVICE_RANKING, 10);
        FrameworkCounters.REGISTRATIONS.get("b").setProperties(props);
        SwapRecord r = last();
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertEquals("b", r.toImpl());
        assertEquals(10, slot.info().available().get(0).ranking());
    }

    @Test
    void theManagerSwapsByNameAndRefusesAnUnknownSubsystem() throws Exception {
        install("a", 3, "1.0.0");
        install("b", 0, "1.0.0");
        assertEquals(SwapOutcome.SWAPPED, manager.swap("counter", "b", SwapTrigger.EXPLICIT, "gpu:swap").outcome());
        SwapRecord unknown = manager.swap("nope", "b", SwapTrigger.EXPLICIT, "gpu:swap");
        assertEquals(SwapOutcome.REFUSED, unknown.outcome());
        assertEquals("no subsystem nope (known: counter)", unknown.cause());
        assertEquals("b", slot.info().activeImpl());
        assertEquals(1, manager.history().stream().filter(r -> r.trigger() == SwapTrigger.EXPLICIT).count());
        assertTrue(manager.slot("counter").isPresent());
    }

    @Test
    void closingTheManagerFailsCallsAndIgnoresTheDepartingServices() throws Exception {
        install("a", 0, "1.0.0");
        increment(1);
        int recorded = slot.history().size();
        manager.close();
        assertEquals(SlotStatus.CLOSED, slot.status());
        assertEquals(recorded, slot.history().size(), "no hand-over or parking at shutdown");
        assertFalse(created(0).owning());
    }
}
