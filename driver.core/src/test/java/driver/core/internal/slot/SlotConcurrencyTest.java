package driver.core.internal.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.slot.counter.Counter;
import driver.core.internal.slot.counter.CounterState;
import driver.core.internal.slot.counter.Ownership;
import driver.core.internal.slot.counter.TestCounter;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Callers on several threads increment a counter through the slot while another thread swaps
 * the implementation thousands of times. Every increment returns the counter's new value, so
 * the values all callers saw must be exactly 1..N: a lost call leaves a gap, a call that ran on
 * a stale implementation after its state was exported repeats a value, and a call that reached
 * an implementation not owning the state is counted by {@link Ownership}.
 */
@Timeout(60)
class SlotConcurrencyTest {

    private static final int CALLERS = 4;

    private final Ownership ownership = new Ownership();

    /** Values seen by one caller thread. */
    private static final class Seen {
        long[] values = new long[1 << 12];
        int n;

        void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }
    }

    private final class Load {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Seen> seen = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final GatedSubsystemSlot<Counter, CounterState> slot;

        Load(GatedSubsystemSlot<Counter, CounterState> slot) {
            this.slot = slot;
        }

        void start() {
            for (int t = 0; t < CALLERS; t++) {
                Seen s = new Seen();
                seen.add(s);
                boolean nesting = t % 2 == 1;
                Thread th = new Thread(() -> callUntilStopped(s, nesting), "caller-" + t);
                threads.add(th);
                th.start();
            }
        }

        private void callUntilStopped(Seen s, boolean nesting) {
            try {
                while (!stop.get()) {
                    if (nesting) {
                        long[] pair = slot.call(outer -> {
                            long first = outer.increment();
                            Counter[] inner = new Counter[1];
                            long second = slot.call(c -> {
                                inner[0] = c;
                                return c.increment();
                            });
                            if (inner[0] != outer) {
                                throw new AssertionError("nested call reached another implementation");
                            }
                            return new long[] {first, second};
                        });
                        s.add(pair[0]);
                        s.add(pair[1]);
                    } else {
                        s.add(slot.call(Counter::increment));
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }

        long stopAndCheck() throws InterruptedException {
            stop.set(true);
            for (Thread th : threads) {
                th.join();
            }
            assertTrue(errors.isEmpty(), () -> "calls failed: " + errors);
            int total = seen.stream().mapToInt(s -> s.n).sum();
            long[] all = new long[total];
            int i = 0;
            for (Seen s : seen) {
                System.arraycopy(s.values, 0, all, i, s.n);
                i += s.n;
            }
            Arrays.sort(all);
            for (int k = 0; k < total; k++) {
                if (all[k] != k + 1) {
                    throw new AssertionError("values seen by the callers are not 1.." + total + ": at index " + k
                            + " found " + all[k] + (k > 0 ? " after " + all[k - 1] : ""));
                }
            }
            assertEquals(total, slot.call(Counter::value), "the state holds every call");
            assertEquals(0, ownership.violations(), "calls that reached an implementation not owning the state");
            return total;
        }
    }

    private GatedSubsystemSlot<Counter, CounterState> slot() {
        return new GatedSubsystemSlot<>(SlotConfig.mandatory("counter", Counter.class, CounterState::initial)
                .withGrace(Duration.ofSeconds(30)).withDrainTimeout(Duration.ofSeconds(30)).withHistory(100_000));
    }

    @Test
    void noCallIsLostFailedOrHalfSwappedWhileSwappingThousandsOfTimes() throws Exception {
        var slot = slot();
        TestCounter a = new TestCounter("a", ownership);
        TestCounter b = new TestCounter("b", ownership);
        TestCounter c = new TestCounter("c", ownership);
        slot.addProvider(new Provider<>("a", 0, 1, "test", a));
        slot.addProvider(new Provider<>("b", 0, 2, "test", b));
        slot.addProvider(new Provider<>("c", 0, 3, "test", c));

        Load load = new Load(slot);
        load.start();
        int swaps = 3000;
        String[] targets = {"b", "c", "a"};
        Map<SwapOutcome, Integer> outcomes = new EnumMap<>(SwapOutcome.class);
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < swaps; i++) {
            String target = targets[i % 3];
            c.failImport = i % 7 == 1;
            c.corruptImport = i % 11 == 4;
            SwapRecord r = i % 10 == 9
                    ? slot.setPreferred(target, "stress")
                    : slot.swapTo(target, SwapTrigger.EXPLICIT, "stress");
            outcomes.merge(r.outcome(), 1, Integer::sum);
            if (r.outcome() == SwapOutcome.SWAPPED) {
                pauses.add(r.pauseNanos());
            } else {
                assertEquals(SwapOutcome.ROLLED_BACK, r.outcome(), r.describe());
                assertEquals("c", r.toImpl(), r.describe());
            }
        }
        long total = load.stopAndCheck();

        assertTrue(outcomes.getOrDefault(SwapOutcome.ROLLED_BACK, 0) > 100, outcomes::toString);
        assertTrue(outcomes.getOrDefault(SwapOutcome.SWAPPED, 0) > 1500, outcomes::toString);
        assertTrue(total > swaps, "callers ran during the swaps: " + total + " calls");
        report("swap", total, outcomes, pauses);
    }

    @Test
    void handOversParkingAndRestoresUnderLoadLoseNothing() throws Exception {
        var slot = slot();
        long[] ids = {10};
        List<Provider<Counter>> present = new ArrayList<>();
        Function<String, Provider<Counter>> arrive = name -> {
            Provider<Counter> p = new Provider<>(name, 0, ids[0]++, "test", new TestCounter(name, ownership));
            present.add(p);
            slot.addProvider(p);
            return p;
        };
        arrive.apply("a");
        arrive.apply("b");

        Load load = new Load(slot);
        load.start();
        Map<SwapOutcome, Integer> outcomes = new EnumMap<>(SwapOutcome.class);
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Provider<Counter> activeOne = slot.active().orElseThrow();
            present.remove(activeOne);
            if (i % 5 == 4) {
                // the other one leaves too: the state parks, callers wait, a new one restores it
                Provider<Counter> other = present.remove(0);
                slot.removeProvider(other.serviceId(), "stress");
                SwapRecord parked = slot.removeProvider(activeOne.serviceId(), "stress");
                assertEquals(SwapOutcome.PARKED, parked.outcome(), parked.describe());
                outcomes.merge(parked.outcome(), 1, Integer::sum);
                arrive.apply(i % 2 == 0 ? "a" : "b");
                arrive.apply(i % 2 == 0 ? "b" : "a");
                SwapRecord restored = slot.history().get(slot.history().size() - 1);
                assertEquals(SwapOutcome.SWAPPED, restored.outcome(), restored.describe());
                assertEquals(SwapRecord.NONE, restored.fromImpl());
                pauses.add(restored.pauseNanos());
            } else {
                SwapRecord r = slot.removeProvider(activeOne.serviceId(), "stress");
                assertEquals(SwapOutcome.SWAPPED, r.outcome(), r.describe());
                assertEquals(SwapTrigger.UNREGISTERING, r.trigger());
                outcomes.merge(r.outcome(), 1, Integer::sum);
                pauses.add(r.pauseNanos());
                arrive.apply(activeOne.impl());
            }
        }
        long total = load.stopAndCheck();
        assertEquals(200, outcomes.get(SwapOutcome.PARKED));
        report("hand-over", total, outcomes, pauses);
    }

    private static void report(String what, long calls, Map<SwapOutcome, Integer> outcomes, List<Long> pauses) {
        long[] p = pauses.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s: calls=%d outcomes=%s pause_p50_us=%.1f pause_p99_us=%.1f pause_max_us=%.1f%n", what,
                calls, outcomes, p[p.length / 2] / 1e3, p[(int) (p.length * 0.99)] / 1e3, p[p.length - 1] / 1e3);
    }
}
