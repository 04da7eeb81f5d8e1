package driver.core.internal.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.slot.counter.Counter;
import driver.core.internal.slot.counter.CounterState;
import driver.core.internal.slot.counter.Ownership;
import driver.core.internal.slot.counter.TestCounter;
import driver.core.slot.SlotInfo;
import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SubsystemSlotTest {

    private final Ownership ownership = new Ownership();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private long nextServiceId = 100;

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    private GatedSubsystemSlot<Counter, CounterState> mandatorySlot() {
        return new GatedSubsystemSlot<>(SlotConfig.mandatory("counter", Counter.class, CounterState::initial)
                .withGrace(Duration.ofSeconds(5)));
    }

    private Provider<Counter> provider(TestCounter c, int ranking) {
        return new Provider<>(c.impl(), ranking, nextServiceId++, "test", c);
    }

    private TestCounter counter(String name) {
        return new TestCounter(name, ownership);
    }

    private static long increment(GatedSubsystemSlot<Counter, CounterState> slot, int times) {
        long v = 0;
        for (int i = 0; i < times; i++) {
            v = slot.call(Counter::increment);
        }
        return v;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void firstImplementationImportsTheInitialState() {
        var slot = mandatorySlot();
        assertEquals(SlotStatus.PARKED, slot.status());
        TestCounter a = counter("a");
        SwapRecord r = slot.addProvider(provider(a, 0));
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertEquals(SwapRecord.NONE, r.fromImpl());
        assertEquals("a", r.toImpl());
        assertEquals(SwapTrigger.REGISTERED, r.trigger());
        assertEquals(1, a.imports.get());
        assertEquals(SlotStatus.ACTIVE, slot.status());
        assertEquals(1L, slot.call(Counter::increment));
        assertEquals(List.of(r), slot.history());
    }

    @Test
    void runIfPresentRunsOnTheOwnerAndNeverWaitsForAParkedSlot() {
        var slot = mandatorySlot();
        long[] seen = new long[1];
        assertFalse(slot.runIfPresent(c -> seen[0]++), "nothing owns the initial state yet");
        TestCounter a = counter("a");
        Provider<Counter> pa = provider(a, 0);
        slot.addProvider(pa);
        assertTrue(slot.runIfPresent(c -> seen[0] = c.increment()));
        assertEquals(1, seen[0]);
        slot.removeProvider(pa.serviceId(), "bundle a stopping");
        long start = System.nanoTime();
        assertFalse(slot.runIfPresent(c -> seen[0] = c.increment()));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "no wait for the 5 s grace period");
        TestCounter b = counter("b");
        slot.addProvider(provider(b, 0));
        assertTrue(slot.runIfPresent(c -> seen[0] = c.increment()));
        assertEquals(2, seen[0], "the parked state went on with b");
    }

    @Test
    void swapCarriesTheStateAndReleasesTheOld() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        assertEquals(5, increment(slot, 5));

        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.SWAPPED, r.outcome(), r.describe());
        assertEquals("a", r.fromImpl());
        assertEquals("b", r.toImpl());
        assertEquals("b", r.stateHolder());
        assertEquals(CounterState.VERSION, r.stateVersion());
        assertTrue(r.pauseNanos() > 0);
        assertTrue(r.drainNanos() <= r.pauseNanos());
        assertFalse(a.owning());
        assertEquals(1, a.releases.get());
        assertTrue(b.owning());
        assertEquals(6L, slot.call(Counter::increment));
        assertEquals(0, a.calls.get() - 5);

        assertEquals(SwapOutcome.UNCHANGED, slot.swapTo("b", SwapTrigger.EXPLICIT, "again").outcome());
        SwapRecord unknown = slot.swapTo("zzz", SwapTrigger.EXPLICIT, "typo");
        assertEquals(SwapOutcome.REFUSED, unknown.outcome());
        assertTrue(unknown.cause().contains("available: "), unknown.cause());
        assertEquals(2, slot.history().size(), "unchanged and refused requests are not recorded");
        assertEquals(0, ownership.violations());
    }

    @Test
    void failingImportRollsBackAndTheOldContinuesExactlyWhereItWas() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        b.failImport = true;
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        increment(slot, 7);
        int exportsBefore = a.exports.get();

        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.ROLLED_BACK, r.outcome());
        assertTrue(r.cause().startsWith("import into b failed: IncompatibleStateException: b refuses"), r.cause());
        assertEquals("a", r.stateHolder());
        assertEquals(exportsBefore + 1, a.exports.get());
        assertEquals(0, a.releases.get(), "the old is kept, not released and re-imported");
        assertEquals(1, a.imports.get());
        assertTrue(a.owning());
        assertEquals(1, b.releases.get(), "the failed target forgets what it took");
        assertEquals(SlotStatus.ACTIVE, slot.status());
        assertEquals(8L, slot.call(Counter::increment));
        assertEquals(1, slot.info().rollbackCount());
        assertEquals(0, ownership.violations());
    }

    @Test
    void failingVerificationRollsBack() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        b.corruptImport = true;
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        increment(slot, 3);

        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.ROLLED_BACK, r.outcome());
        assertTrue(r.cause().startsWith("verification failed: b exports a different state"), r.cause());
        assertFalse(b.owning());
        assertEquals(1, b.releases.get());
        assertSame(a, ownership.owner());
        assertEquals(4L, slot.call(Counter::increment));
        assertEquals(0, ownership.violations());
    }

    @Test
    void failingExportRollsBack() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        increment(slot, 2);
        a.failExport = true;
        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.ROLLED_BACK, r.outcome());
        assertTrue(r.cause().startsWith("export from a failed"), r.cause());
        assertEquals(0, b.imports.get());
        a.failExport = false;
        assertEquals(3L, slot.call(Counter::increment));
    }

    @Test
    void anIncompatibleVersionIsRefusedByTheTarget() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        b.acceptedVersion = 2;
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.ROLLED_BACK, r.outcome());
        assertTrue(r.cause().contains("b takes version 2, not 1"), r.cause());
    }

    @Test
    void aFailingReleaseOfTheOldIsReportedButTheSwapStands() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        a.failRelease = true;
        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertTrue(r.cause().startsWith("release of a failed"), r.cause());
        assertTrue(b.owning());
    }

    @Test
    void theLastImplementationLeavingParksItsStateAndTheNextRestoresIt() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        Provider<Counter> pa = provider(a, 0);
        slot.addProvider(pa);
        increment(slot, 9);

        SwapRecord parked = slot.removeProvider(pa.serviceId(), "bundle a stopping");
        assertEquals(SwapOutcome.PARKED, parked.outcome());
        assertEquals(SwapTrigger.UNREGISTERING, parked.trigger());
        assertEquals(SwapRecord.NONE, parked.toImpl());
        assertEquals(SwapRecord.PARKED_HOLDER, parked.stateHolder());
        assertEquals(SlotStatus.PARKED, slot.status());
        assertEquals(CounterState.VERSION, slot.info().parkedStateVersion());
        assertFalse(a.owning());

        TestCounter b = counter("b");
        SwapRecord restored = slot.addProvider(provider(b, 0));
        assertEquals(SwapOutcome.SWAPPED, restored.outcome());
        assertEquals(SwapRecord.NONE, restored.fromImpl());
        assertEquals("b", restored.toImpl());
        assertEquals(10L, slot.call(Counter::increment));
        assertEquals(-1, slot.info().parkedStateVersion());
    }

    @Test
    void aCallWaitsWhileParkedAndRunsOnTheImplementationThatArrives() throws Exception {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        Provider<Counter> pa = provider(a, 0);
        slot.addProvider(pa);
        increment(slot, 4);
        slot.removeProvider(pa.serviceId(), "gone");

        Future<Long> waiting = pool.submit(() -> slot.call(Counter::increment));
        waitFor(() -> slot.info().callsWaiting() == 1);
        assertFalse(waiting.isDone());
        TestCounter b = counter("b");
        slot.addProvider(provider(b, 0));
        assertEquals(5L, waiting.get(5, TimeUnit.SECONDS));
        assertEquals(1, b.calls.get());
    }

    @Test
    void withoutAnImplementationWithinTheGracePeriodAMandatoryCallFails() {
        var slot = new GatedSubsystemSlot<>(SlotConfig.mandatory("counter", Counter.class, CounterState::initial)
                .withGrace(Duration.ofMillis(50)));
        long start = System.nanoTime();
        SubsystemUnavailableException e = assertThrows(SubsystemUnavailableException.class,
                () -> slot.call(Counter::increment));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue(e.waitedNanos() >= TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals("counter", e.subsystem());
        assertTrue(e.getMessage().contains("grace period (50 ms)"), e.getMessage());
        assertEquals(0, slot.info().callsWaiting());
    }

    @Test
    void anOptionalSubsystemFallsBackToItsDegradedDefault() throws Exception {
        TestCounter fixed = new TestCounter("fixed", new Ownership()) {
            @Override
            public long increment() {
                return -7;
            }
        };
        var slot = new GatedSubsystemSlot<>(
                SlotConfig.optional("counter", Counter.class, CounterState::initial, fixed));
        assertEquals(-7L, slot.call(Counter::increment), "grace 0: falls back at once");
        assertFalse(slot.info().mandatory());

        var patient = new GatedSubsystemSlot<>(SlotConfig.optional("counter", Counter.class, CounterState::initial,
                fixed).withGrace(Duration.ofSeconds(5)));
        Future<Long> waiting = pool.submit(() -> patient.call(Counter::increment));
        waitFor(() -> patient.info().callsWaiting() == 1);
        patient.addProvider(provider(counter("a"), 0));
        assertEquals(1L, waiting.get(5, TimeUnit.SECONDS), "within the grace period the real one is used");
    }

    @Test
    void theActiveLeavingHandsOverToTheBestRemaining() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        TestCounter c = counter("c");
        Provider<Counter> pa = provider(a, 10);
        slot.addProvider(pa);
        slot.addProvider(provider(b, 0));
        slot.addProvider(provider(c, 5));
        increment(slot, 3);
        SwapRecord r = slot.removeProvider(pa.serviceId(), "bundle a stopping");
        assertEquals(SwapOutcome.SWAPPED, r.outcome(), r.describe());
        assertEquals("c", r.toImpl(), "highest remaining ranking");
        assertEquals(SwapTrigger.UNREGISTERING, r.trigger());
        assertEquals("bundle a stopping", r.reason());
        assertEquals(4L, slot.call(Counter::increment));
        assertEquals(1, c.calls.get());
    }

    @Test
    void aHandOverThatNoOneTakesParksTheState() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        b.failImport = true;
        Provider<Counter> pa = provider(a, 0);
        slot.addProvider(pa);
        slot.addProvider(provider(b, 0));
        increment(slot, 6);
        SwapRecord r = slot.removeProvider(pa.serviceId(), "bundle a stopping");
        assertEquals(SwapOutcome.PARKED, r.outcome());
        List<SwapRecord> h = slot.history();
        SwapRecord failed = h.get(h.size() - 2);
        assertEquals(SwapOutcome.ROLLED_BACK, failed.outcome());
        assertEquals("b", failed.toImpl());
        assertEquals(SwapRecord.PARKED_HOLDER, failed.stateHolder());

        TestCounter c = counter("c");
        slot.addProvider(provider(c, 0));
        assertEquals(7L, slot.call(Counter::increment));
    }

    @Test
    void aFailedRestoreLeavesTheStateParked() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        Provider<Counter> pa = provider(a, 0);
        slot.addProvider(pa);
        increment(slot, 11);
        slot.removeProvider(pa.serviceId(), "gone");

        TestCounter bad = counter("bad");
        bad.corruptImport = true;
        SwapRecord r = slot.addProvider(provider(bad, 0));
        assertEquals(SwapOutcome.ROLLED_BACK, r.outcome());
        assertEquals(SwapRecord.NONE, r.fromImpl());
        assertEquals(SlotStatus.PARKED, slot.status());
        assertEquals(CounterState.VERSION, slot.info().parkedStateVersion());

        SwapRecord retry = slot.swapTo("bad", SwapTrigger.EXPLICIT, "retry");
        assertEquals(SwapOutcome.ROLLED_BACK, retry.outcome());

        slot.addProvider(provider(counter("good"), 0));
        assertEquals(12L, slot.call(Counter::increment));
    }

    @Test
    void aStateLostInAHandOverIsReportedAndTheNextOwnerStartsFresh() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        Provider<Counter> pa = provider(a, 0);
        slot.addProvider(pa);
        slot.addProvider(provider(b, 0));
        increment(slot, 5);
        a.failExport = true;
        SwapRecord r = slot.removeProvider(pa.serviceId(), "bundle a stopping");
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertTrue(r.cause().contains("its state is lost"), r.cause());
        assertEquals(1L, slot.call(Counter::increment));
    }

    @Test
    void aWantedImplementationIsRememberedUntilItArrives() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        slot.addProvider(provider(a, 10));
        increment(slot, 2);
        SwapRecord r = slot.setPreferred("b", "config");
        assertEquals(SwapOutcome.UNCHANGED, r.outcome());
        assertTrue(r.cause().contains("swaps to it when it arrives"), r.cause());
        assertEquals("b", slot.preferred().orElseThrow());
        assertEquals("b", slot.info().preferredImpl());

        SwapRecord arrived = slot.addProvider(provider(counter("b"), 0));
        assertEquals(SwapOutcome.SWAPPED, arrived.outcome(), "wanted beats a higher ranking");
        assertEquals(SwapTrigger.PREFERENCE, arrived.trigger());
        assertEquals(3L, slot.call(Counter::increment));

        SwapRecord higher = slot.addProvider(provider(counter("c"), 100));
        assertEquals(SwapOutcome.UNCHANGED, higher.outcome(), "a higher ranking does not displace the wanted one");
    }

    @Test
    void settingAnAvailableWantedImplementationSwapsAtOnceAndClearingDoesNot() {
        var slot = mandatorySlot();
        slot.addProvider(provider(counter("a"), 0));
        slot.addProvider(provider(counter("b"), 0));
        SwapRecord r = slot.setPreferred("b", "config");
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertEquals(SwapTrigger.PREFERENCE, r.trigger());
        assertEquals(SwapOutcome.UNCHANGED, slot.setPreferred(null, "config deleted").outcome());
        assertEquals("b", slot.info().activeImpl());
        assertTrue(slot.preferred().isEmpty());
    }

    @Test
    void rankingTiesGoToTheLowestServiceIdAndDoNotSwapBack() {
        var slot = mandatorySlot();
        Provider<Counter> a = new Provider<>("a", 0, 10, "test", counter("a"));
        Provider<Counter> b = new Provider<>("b", 0, 11, "test", counter("b"));
        Provider<Counter> c = new Provider<>("c", 5, 12, "test", counter("c"));
        slot.addProvider(a);
        assertEquals(SwapOutcome.UNCHANGED, slot.addProvider(b).outcome(), "equal ranking, higher id: no swap");
        assertEquals(SwapOutcome.SWAPPED, slot.addProvider(c).outcome(), "higher ranking: swap");
        SwapRecord r = slot.removeProvider(12, "c leaves");
        assertEquals("a", r.toImpl(), "tie between a and b: lowest service id");
        SwapRecord again = slot.addProvider(new Provider<>("c", 5, 13, "test", counter("c2")));
        assertEquals(SwapOutcome.SWAPPED, again.outcome());

        SlotInfo info = slot.info();
        assertEquals(List.of("c", "a", "b"), info.available().stream().map(p -> p.impl()).toList());
        assertTrue(info.available().get(0).active());
    }

    @Test
    void aRankingChangeSwapsToTheNewBest() {
        var slot = mandatorySlot();
        Provider<Counter> a = new Provider<>("a", 5, 10, "test", counter("a"));
        Provider<Counter> b = new Provider<>("b", 0, 11, "test", counter("b"));
        slot.addProvider(a);
        slot.addProvider(b);
        SwapRecord r = slot.updateProvider(new Provider<>("b", 9, 11, "test", b.service()));
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertEquals("b", slot.info().activeImpl());
        assertEquals(9, slot.info().available().get(0).ranking());
    }

    @Test
    void aNestedCallPassesAClosedGateAndTheSwapWaitsForTheOuterCall() throws Exception {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);

        Future<Counter[]> outer = pool.submit(() -> slot.call(first -> {
            inside.countDown();
            proceed.await();
            Counter[] seen = new Counter[2];
            seen[0] = first;
            seen[1] = slot.call(nested -> nested);
            nested(slot);
            return seen;
        }));
        inside.await();
        Future<SwapRecord> swap = pool.submit(() -> slot.swapTo("b", SwapTrigger.EXPLICIT, "test"));
        waitFor(() -> slot.status() == SlotStatus.SWAPPING);
        proceed.countDown();

        Counter[] seen = outer.get(5, TimeUnit.SECONDS);
        assertSame(a, seen[0]);
        assertSame(a, seen[1], "the nested call reaches the implementation of the outer call");
        assertEquals(SwapOutcome.SWAPPED, swap.get(5, TimeUnit.SECONDS).outcome());
        assertEquals(2, a.calls.get());
        assertEquals(3L, slot.call(Counter::increment));
        assertSame(b, ownership.owner());
        assertEquals(0, ownership.violations());
    }

    private static void nested(GatedSubsystemSlot<Counter, CounterState> slot) {
        slot.call(Counter::increment);
        slot.run(c -> slot.call(Counter::increment));
    }

    @Test
    void aSwapFromInsideACallIsRefused() {
        var slot = mandatorySlot();
        slot.addProvider(provider(counter("a"), 0));
        slot.addProvider(provider(counter("b"), 0));
        SwapRecord r = slot.call(c -> slot.swapTo("b", SwapTrigger.EXPLICIT, "inside"));
        assertEquals(SwapOutcome.REFUSED, r.outcome());
        assertEquals(SwapOutcome.REFUSED, slot.call(c -> slot.setPreferred("b", "inside")).outcome());
        assertThrows(IllegalStateException.class,
                () -> slot.run(c -> slot.addProvider(provider(counter("x"), 0))));
        assertEquals("a", slot.info().activeImpl());
    }

    @Test
    void aSwapFromInsideACallThroughAnotherSlotOfTheSameDriverIsRefused() {
        SwapCoordinator coordinator = new SwapCoordinator();
        var first = new GatedSubsystemSlot<>(SlotConfig.mandatory("one", Counter.class, CounterState::initial),
                coordinator);
        var second = new GatedSubsystemSlot<>(SlotConfig.mandatory("two", Counter.class, CounterState::initial),
                coordinator);
        first.addProvider(provider(new TestCounter("a", new Ownership()), 0));
        second.addProvider(provider(new TestCounter("a", new Ownership()), 0));
        second.addProvider(provider(new TestCounter("b", new Ownership()), 0));
        SwapRecord r = first.call(c -> second.swapTo("b", SwapTrigger.EXPLICIT, "inside another slot"));
        assertEquals(SwapOutcome.REFUSED, r.outcome());
        assertEquals(SwapOutcome.SWAPPED, second.swapTo("b", SwapTrigger.EXPLICIT, "outside").outcome());
    }

    @Test
    void anImportThatCallsItsOwnSlotFailsAndRollsBack() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        b.importHook = () -> slot.call(Counter::value);
        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.ROLLED_BACK, r.outcome());
        assertTrue(r.cause().contains("from inside its own swap"), r.cause());
        assertEquals(1L, slot.call(Counter::increment));
    }

    @Test
    void aCallThatDoesNotDrainInTimeRollsTheSwapBack() throws Exception {
        var slot = new GatedSubsystemSlot<>(SlotConfig.mandatory("counter", Counter.class, CounterState::initial)
                .withDrainTimeout(Duration.ofMillis(30)));
        TestCounter a = counter("a");
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(counter("b"), 0));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> slow = pool.submit(() -> slot.call(c -> {
            inside.countDown();
            release.await();
            return c.increment();
        }));
        inside.await();
        assertEquals(1, slot.info().callsInFlight());
        int exportsBefore = a.exports.get();
        SwapRecord r = slot.swapTo("b", SwapTrigger.EXPLICIT, "test");
        assertEquals(SwapOutcome.ROLLED_BACK, r.outcome());
        assertTrue(r.cause().contains("did not finish within 30 ms (1 still running)"), r.cause());
        assertTrue(r.drainNanos() >= TimeUnit.MILLISECONDS.toNanos(30));
        assertEquals(exportsBefore, a.exports.get(), "nothing was exported");
        release.countDown();
        assertEquals(1L, slow.get(5, TimeUnit.SECONDS));
        assertEquals(2L, slot.call(Counter::increment));
    }

    @Test
    void callsArrivingDuringASwapWaitAndRunOnTheNewImplementation() throws Exception {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        TestCounter b = counter("b");
        slot.addProvider(provider(a, 0));
        slot.addProvider(provider(b, 0));
        increment(slot, 2);
        CountDownLatch importing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        b.importHook = () -> {
            importing.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Future<SwapRecord> swap = pool.submit(() -> slot.swapTo("b", SwapTrigger.EXPLICIT, "test"));
        importing.await();
        Future<Long> call = pool.submit(() -> slot.call(Counter::increment));
        waitFor(() -> slot.info().callsWaiting() == 1);
        assertEquals(SlotStatus.SWAPPING, slot.info().status());
        finish.countDown();
        SwapRecord r = swap.get(5, TimeUnit.SECONDS);
        assertEquals(SwapOutcome.SWAPPED, r.outcome());
        assertEquals(3L, call.get(5, TimeUnit.SECONDS));
        assertEquals(1, b.calls.get());
        assertEquals(2, a.calls.get());
    }

    @Test
    void aClosedSlotFailsCallsAtOnceAndIgnoresDepartures() {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        Provider<Counter> pa = provider(a, 0);
        slot.addProvider(pa);
        slot.close();
        assertEquals(SlotStatus.CLOSED, slot.status());
        assertFalse(a.owning());
        long start = System.nanoTime();
        assertThrows(SubsystemUnavailableException.class, () -> slot.call(Counter::increment));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no grace period when closed");
        assertEquals(SwapOutcome.UNCHANGED, slot.removeProvider(pa.serviceId(), "shutdown").outcome());
        assertEquals(SwapOutcome.REFUSED, slot.swapTo("a", SwapTrigger.EXPLICIT, "x").outcome());
    }

    @Test
    void theHistoryIsBounded() {
        var slot = new GatedSubsystemSlot<>(SlotConfig.mandatory("counter", Counter.class, CounterState::initial)
                .withHistory(4));
        slot.addProvider(provider(counter("a"), 0));
        slot.addProvider(provider(counter("b"), 0));
        for (int i = 0; i < 10; i++) {
            slot.swapTo(i % 2 == 0 ? "b" : "a", SwapTrigger.EXPLICIT, "round " + i);
        }
        List<SwapRecord> h = slot.history();
        assertEquals(4, h.size());
        assertEquals("round 9", h.get(3).reason());
        assertEquals(11, h.get(3).sequence());
        assertEquals(11, slot.info().swapCount());
    }

    @Test
    void introspectionShowsTheSlot() throws Exception {
        var slot = mandatorySlot();
        TestCounter a = counter("a");
        slot.addProvider(new Provider<>("a", 3, 42, "bundle-a 1.0.0 [bundle 7]", a));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> running = pool.submit(() -> slot.call(c -> {
            inside.countDown();
            release.await();
            return c.increment();
        }));
        inside.await();
        SlotInfo info = slot.info();
        release.countDown();
        running.get(5, TimeUnit.SECONDS);
        assertEquals("counter", info.subsystem());
        assertEquals(SlotStatus.ACTIVE, info.status());
        assertEquals("a", info.activeImpl());
        assertEquals(42, info.activeServiceId());
        assertEquals("bundle-a 1.0.0 [bundle 7]", info.activeOrigin());
        assertTrue(info.mandatory());
        assertEquals(1, info.callsInFlight());
        assertEquals(0, info.callsWaiting());
        assertEquals(1, info.swapCount());
        assertTrue(info.lastPauseNanos() >= 0);
        assertEquals(TimeUnit.SECONDS.toNanos(5), info.graceNanos());
    }

    @Test
    void theSlotKeepsNoReferenceToAnImplementationThatLeft() throws Exception {
        var slot = mandatorySlot();
        TestCounter b = counter("b");
        WeakReference<TestCounter> gone = leaveAfterSomeCalls(slot, b);
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(gone.get(), "the departed implementation is still reachable");
        assertSame(b, ownership.owner());
    }

    private WeakReference<TestCounter> leaveAfterSomeCalls(GatedSubsystemSlot<Counter, CounterState> slot,
            TestCounter b) throws Exception {
        TestCounter a = counter("a");
        Provider<Counter> pa = provider(a, 5);
        slot.addProvider(pa);
        slot.addProvider(provider(b, 0));
        increment(slot, 3);
        pool.submit(() -> slot.call(Counter::increment)).get();
        slot.removeProvider(pa.serviceId(), "bundle a stopping");
        assertEquals("b", slot.info().activeImpl());
        return new WeakReference<>(a);
    }
}
