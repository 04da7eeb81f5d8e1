package bench;

import driver.core.internal.slot.GatedSubsystemSlot;
import driver.core.internal.slot.Provider;
import driver.core.internal.slot.SlotConfig;
import driver.core.slot.IncompatibleStateException;
import driver.core.slot.Subsystem;
import driver.core.slot.SubsystemState;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of a call through a subsystem slot compared with a direct interface call (goal: within
 * 5%), single-threaded and with two threads, and the swap pause under load.
 *
 * <p>{@code work} is the callee's own cost in {@link Blackhole#consumeCPU} tokens: 0 is an
 * empty method (the gate's absolute overhead), 100 (about 0.2 us) a cheap query, 1000 (about
 * 2 us) an ioctl that does real work, such as a VM_BIND that writes page tables. The gate
 * alternatives that were measured before choosing the slot's per-thread flag are here too: a
 * ReentrantReadWriteLock read lock, a StampedLock read lock, and a striped counter (atomic
 * increment/decrement on a per-thread-hash cell). Figures: docs/live-swap.md §9.
 *
 * <p>{@code swapUnderLoad} swaps back and forth while two threads call; JMH samples the
 * duration of {@code swapTo} (drain, export, import, verify, bookkeeping) and the teardown
 * prints the recorded pauses (gate-closed time) as percentiles.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class SlotBench {

    /** A subsystem contract for the benchmark. */
    public interface Work extends Subsystem<WorkState> {
        long op(long x);
    }

    public record WorkState(int version, long base) implements SubsystemState {
    }

    public static final class WorkImpl implements Work {
        private final String name;
        private final int work;
        private long base;

        WorkImpl(String name, int work) {
            this.name = name;
            this.work = work;
        }

        @Override
        public long op(long x) {
            if (work > 0) {
                Blackhole.consumeCPU(work);
            }
            return x * 31 + base;
        }

        @Override
        public String impl() {
            return name;
        }

        @Override
        public WorkState exportState() {
            return new WorkState(1, base);
        }

        @Override
        public void importState(WorkState state) throws IncompatibleStateException {
            if (state.version() != 1) {
                throw new IncompatibleStateException("version " + state.version());
            }
            base = state.base();
        }

        @Override
        public void releaseState() {
        }
    }

    static GatedSubsystemSlot<Work, WorkState> newSlot(int work) {
        GatedSubsystemSlot<Work, WorkState> slot = new GatedSubsystemSlot<>(
                SlotConfig.mandatory("bench", Work.class, () -> new WorkState(1, 7)).withHistory(1 << 20));
        slot.addProvider(new Provider<>("a", 0, 1, "bench", new WorkImpl("a", work)));
        slot.addProvider(new Provider<>("b", 0, 2, "bench", new WorkImpl("b", work)));
        return slot;
    }

    /** Read lock around the call. */
    static final class RwLockGate<T> {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private volatile T impl;

        RwLockGate(T impl) {
            this.impl = impl;
        }

        <R> R call(Function<T, R> op) {
            lock.readLock().lock();
            try {
                return op.apply(impl);
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    /** StampedLock read lock around the call. */
    static final class StampedGate<T> {
        private final StampedLock lock = new StampedLock();
        private volatile T impl;

        StampedGate(T impl) {
            this.impl = impl;
        }

        <R> R call(Function<T, R> op) {
            long stamp = lock.readLock();
            try {
                return op.apply(impl);
            } finally {
                lock.unlockRead(stamp);
            }
        }
    }

    /** Striped in-flight counter (one padded cell per thread-id hash) and a volatile gate. */
    static final class StripedGate<T> {
        private static final int CELLS = 16;
        private static final int PAD = 16;
        private final AtomicLongArray cells = new AtomicLongArray(CELLS * PAD);
        private volatile T open;

        StripedGate(T impl) {
            this.open = impl;
        }

        <R> R call(Function<T, R> op) {
            int cell = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 60) * PAD;
            cells.getAndIncrement(cell);
            try {
                T impl = open;
                if (impl == null) {
                    throw new IllegalStateException("closed (not exercised here)");
                }
                return op.apply(impl);
            } finally {
                cells.getAndDecrement(cell);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Calls {
        @Param({"0", "100", "1000"})
        public int work;

        Work direct;
        GatedSubsystemSlot<Work, WorkState> slot;
        RwLockGate<Work> rwlock;
        StampedGate<Work> stamped;
        StripedGate<Work> striped;

        @Setup
        public void setup() {
            WorkImpl impl = new WorkImpl("direct", work);
            impl.base = 7;
            direct = impl;
            slot = newSlot(work);
            rwlock = new RwLockGate<>(impl);
            stamped = new StampedGate<>(impl);
            striped = new StripedGate<>(impl);
        }
    }

    @State(Scope.Thread)
    public static class Arg {
        long x = 12345;
    }

    // ---- one thread ----

    @Benchmark
    public long direct_1t(Calls s, Arg a) {
        return s.direct.op(a.x++);
    }

    @Benchmark
    public long slot_1t(Calls s, Arg a) {
        long x = a.x++;
        return s.slot.call(w -> w.op(x));
    }

    @Benchmark
    public long rwlock_1t(Calls s, Arg a) {
        long x = a.x++;
        return s.rwlock.call(w -> w.op(x));
    }

    @Benchmark
    public long stamped_1t(Calls s, Arg a) {
        long x = a.x++;
        return s.stamped.call(w -> w.op(x));
    }

    @Benchmark
    public long striped_1t(Calls s, Arg a) {
        long x = a.x++;
        return s.striped.call(w -> w.op(x));
    }

    // ---- two threads ----

    @Benchmark
    @Threads(2)
    public long direct_2t(Calls s, Arg a) {
        return s.direct.op(a.x++);
    }

    @Benchmark
    @Threads(2)
    public long slot_2t(Calls s, Arg a) {
        long x = a.x++;
        return s.slot.call(w -> w.op(x));
    }

    @Benchmark
    @Threads(2)
    public long rwlock_2t(Calls s, Arg a) {
        long x = a.x++;
        return s.rwlock.call(w -> w.op(x));
    }

    @Benchmark
    @Threads(2)
    public long stamped_2t(Calls s, Arg a) {
        long x = a.x++;
        return s.stamped.call(w -> w.op(x));
    }

    @Benchmark
    @Threads(2)
    public long striped_2t(Calls s, Arg a) {
        long x = a.x++;
        return s.striped.call(w -> w.op(x));
    }

    // ---- swap pause under load ----

    @State(Scope.Group)
    public static class Swapping {
        GatedSubsystemSlot<Work, WorkState> slot;
        boolean toB;

        @Setup(Level.Trial)
        public void setup() {
            slot = newSlot(100);
        }

        @TearDown(Level.Trial)
        public void report() {
            List<SwapRecord> h = slot.history();
            long[] pauses = h.stream()
                    .filter(r -> r.outcome() == SwapOutcome.SWAPPED && !r.fromImpl().equals(SwapRecord.NONE))
                    .mapToLong(SwapRecord::pauseNanos).toArray();
            long[] drains = h.stream().filter(r -> r.outcome() == SwapOutcome.SWAPPED)
                    .mapToLong(SwapRecord::drainNanos).toArray();
            Arrays.sort(pauses);
            Arrays.sort(drains);
            long rolledBack = h.stream().filter(r -> r.outcome() != SwapOutcome.SWAPPED).count();
            if (pauses.length > 0) {
                System.out.printf("%nswap pause (gate closed) over %d swaps, %d not swapped: p50=%.1f us p90=%.1f us "
                                + "p99=%.1f us p99.9=%.1f us max=%.1f us; drain p50=%.1f us p99=%.1f us%n",
                        pauses.length, rolledBack, pct(pauses, 0.50), pct(pauses, 0.90), pct(pauses, 0.99),
                        pct(pauses, 0.999), pauses[pauses.length - 1] / 1e3, pct(drains, 0.50), pct(drains, 0.99));
            }
        }

        private static double pct(long[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e3;
        }
    }

    @Benchmark
    @Group("swapUnderLoad")
    @GroupThreads(1)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public SwapRecord swapper(Swapping s) {
        s.toB = !s.toB;
        return s.slot.swapTo(s.toB ? "b" : "a", SwapTrigger.EXPLICIT, "bench");
    }

    @Benchmark
    @Group("swapUnderLoad")
    @GroupThreads(2)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long caller(Swapping s, Arg a) {
        long x = a.x++;
        return s.slot.call(w -> w.op(x));
    }
}
