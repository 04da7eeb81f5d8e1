package workload.internal.stress;

import driver.core.slot.ProviderInfo;
import driver.core.slot.SlotInfo;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemSlots;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.util.Arrays;
import java.util.List;
import workload.internal.load.LoadConfig;
import workload.internal.load.LoadEngine;
import workload.internal.load.LoadRun;
import workload.internal.load.LoadSummary;

/**
 * DOC: Swap stress ({@code gpu:swap-stress}).
 *
 * Swaps a subsystem back and forth between its two best implementations, {@code swaps} times,
 * while {@code clients} load clients ({@link LoadEngine}) keep submitting through the UABI,
 * then stops the load and checks that no job was lost or failed. Each swap is an explicit slot
 * swap, the same path as {@code gpu:swap}; between two swaps the stress waits until the load
 * completed at least one more job (at most {@link #MAX_SPACING_MS} ms of wall time), so every
 * swap lands in the middle of traffic rather than in a burst. Pauses are the slots' own
 * measurement ({@link SwapRecord#pauseNanos}: how long the gate held calls); rollbacks are
 * attempts the slot undid. The run ends on the implementation it started with when
 * {@code swaps} is even.
 */
public final class SwapStress {

    static final long MAX_SPACING_MS = 20;

    /** What a stress run measured; {@link #line()} is the shell's summary. */
    public record Result(String subsystem, int swaps, int rollbacks, int refused, LoadSummary load,
                         long pauseP50Nanos, long pauseP99Nanos, long pauseMaxNanos) {

        public String line() {
            return String.format("swap-stress: subsystem=%s swaps=%d rollbacks=%d lost=%d failed=%d"
                            + " pause_p50_us=%d pause_p99_us=%d pause_max_us=%d refused=%d unexpected=%d",
                    subsystem, swaps, rollbacks, load.lost(), load.failed(), pauseP50Nanos / 1000,
                    pauseP99Nanos / 1000, pauseMaxNanos / 1000, refused, load.unexpected());
        }

        /** Nothing lost, nothing failed, nothing rolled back or refused. */
        public boolean clean() {
            return load.clean() && load.failed() == 0 && rollbacks == 0 && refused == 0;
        }
    }

    private final SubsystemSlots slots;
    private final LoadEngine engine;

    public SwapStress(SubsystemSlots slots, LoadEngine engine) {
        this.slots = slots;
        this.engine = engine;
    }

    /**
     * The two implementations a stress run alternates between: the active one first, then the
     * best other one.
     *
     * @throws IllegalArgumentException unknown subsystem, or fewer than two implementations
     */
    public List<String> pair(String subsystem) {
        SubsystemSlot<?, ?> slot = slots.slot(subsystem).orElseThrow(() -> new IllegalArgumentException(
                "no subsystem '" + subsystem + "'; known: "
                        + String.join(", ", slots.slots().stream().map(SlotInfo::subsystem).toList())));
        SlotInfo info = slot.info();
        List<String> impls = info.available().stream().map(ProviderInfo::impl).distinct().toList();
        if (impls.size() < 2 || SwapRecord.NONE.equals(info.activeImpl())) {
            throw new IllegalArgumentException("swap-stress needs an active " + subsystem
                    + " implementation and another one to swap to; available: "
                    + (impls.isEmpty() ? "none" : String.join(", ", impls)));
        }
        String active = info.activeImpl();
        String other = impls.stream().filter(i -> !i.equals(active)).findFirst().orElseThrow();
        return List.of(active, other);
    }

    /** Runs the stress; never throws for a failed swap (it is counted), only for bad arguments. */
    public Result run(String subsystem, int swaps, int clients, long seed) throws InterruptedException {
        if (swaps < 1) {
            throw new IllegalArgumentException("swaps must be >= 1: " + swaps);
        }
        List<String> pair = pair(subsystem);
        LoadRun load = engine.start(LoadConfig.of(clients, 0, seed));
        long[] pauses = new long[swaps];
        int done = 0;
        int rollbacks = 0;
        int refused = 0;
        LoadSummary summary;
        try {
            for (int i = 0; i < swaps; i++) {
                awaitProgress(load);
                String target = pair.get((i + 1) % 2);
                SwapRecord r = slots.swap(subsystem, target, SwapTrigger.EXPLICIT, "gpu:swap-stress");
                if (r.succeeded()) {
                    pauses[done++] = r.pauseNanos();
                } else if (r.outcome() == SwapOutcome.ROLLED_BACK) {
                    rollbacks++;
                } else {
                    refused++;
                }
            }
        } finally {
            summary = load.stop();
        }
        long[] sorted = Arrays.copyOf(pauses, done);
        Arrays.sort(sorted);
        return new Result(subsystem, done, rollbacks, refused, summary, percentile(sorted, 50),
                percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    private static void awaitProgress(LoadRun load) throws InterruptedException {
        long before = load.summary().completed();
        long deadline = System.nanoTime() + MAX_SPACING_MS * 1_000_000L;
        while (load.summary().completed() == before && System.nanoTime() < deadline && !load.finished()) {
            Thread.sleep(0, 200_000);
        }
    }

    /** The nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
