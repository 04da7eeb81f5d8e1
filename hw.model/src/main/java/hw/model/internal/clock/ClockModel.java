package hw.model.internal.clock;

import hw.model.api.GpuClock;
import hw.model.internal.EventTrace;
import hw.model.internal.VirtualClock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * DOC: GPU clock, operating points and load accounting.
 *
 * The RK3588's "core" GPU clock with the G610 operating-point table of the SoC device tree
 * ({@code gpu_opp_table} in rk3588s.dtsi: 300 to 1000 MHz in 100 MHz steps, "mali" supply
 * 675, 675, 675, 675, 700, 750, 800, 850 mV; the per-leakage-bin "L1".."L5" voltages of the
 * Rockchip tree are not modelled). The clock starts at the highest OPP, so a driver that never
 * runs devfreq sees the fastest GPU. (On the board the CRU boots the GPU clock at 200 MHz,
 * which is no OPP; panthor's devfreq init rounds it up to the 300 MHz OPP. The model has no
 * off-table rates, so it starts from a table entry instead.) Rate changes take effect at once;
 * there is no PLL relock latency.
 *
 * The timestamp counter runs from the 24 MHz system oscillator (xin24m), independent of the
 * OPP.
 *
 * Load: hardware blocks report activity with {@link #setActive(String, boolean)} under a
 * name of their choosing ("cs", "mcu", "power", ...). The GPU is busy while at least one
 * source is active; busy and idle virtual time accumulate from model creation. This is the
 * raw material panthor's devfreq accounting ({@code record_busy/record_idle}) reads as
 * {@code busy_time}/{@code idle_time}.
 *
 * The cycle counter integrates the core clock over virtual time, so changing the OPP changes
 * its slope from that instant on; it counts from model creation and is not stopped by resets
 * or power-down (simplification: real CYCLE_COUNT only advances while the GPU is clocked).
 */
public final class ClockModel implements GpuClock {

    /** gpu_opp_table of rk3588s.dtsi (nominal "opp-microvolt"), lowest first. */
    public static final List<Opp> RK3588_OPPS = List.of(
            new Opp(300_000_000L, 675_000L),
            new Opp(400_000_000L, 675_000L),
            new Opp(500_000_000L, 675_000L),
            new Opp(600_000_000L, 675_000L),
            new Opp(700_000_000L, 700_000L),
            new Opp(800_000_000L, 750_000L),
            new Opp(900_000_000L, 800_000L),
            new Opp(1_000_000_000L, 850_000L));

    /** The RK3588 system counter (xin24m) that feeds GPU TIMESTAMP. */
    public static final long TIMESTAMP_HZ = 24_000_000L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final VirtualClock time;
    private final EventTrace trace;
    private final Set<String> active = new TreeSet<>();

    private long frequencyHz;
    /** Whole cycles up to {@link #rateSince}, plus the fraction left over (in Hz·ns). */
    private long cyclesBefore;
    private long cyclesRemainderHzNs;
    private long rateSince;

    private long busy;
    private long idle;
    private long stateSince;

    public ClockModel(VirtualClock time, EventTrace trace) {
        this.time = time;
        this.trace = trace;
        this.frequencyHz = RK3588_OPPS.get(RK3588_OPPS.size() - 1).frequencyHz();
        long now = time.nowNanos();
        this.rateSince = now;
        this.stateSince = now;
    }

    @Override
    public List<Opp> opps() {
        return RK3588_OPPS;
    }

    @Override
    public synchronized long frequencyHz() {
        return frequencyHz;
    }

    @Override
    public void setFrequencyHz(long hz) {
        if (RK3588_OPPS.stream().noneMatch(o -> o.frequencyHz() == hz)) {
            throw new IllegalArgumentException("no operating point at " + hz + " Hz; the OPPs are "
                    + RK3588_OPPS.stream().map(o -> o.frequencyHz() / 1_000_000 + " MHz").toList());
        }
        synchronized (this) {
            if (hz == frequencyHz) {
                return;
            }
            accrueCycles(time.nowNanos());
            frequencyHz = hz;
        }
        trace.record("clk-set-rate", hz);
    }

    /** The nominal voltage of the current OPP, in microvolts. */
    public synchronized long microvolts() {
        long hz = frequencyHz;
        return RK3588_OPPS.stream().filter(o -> o.frequencyHz() == hz).findFirst().orElseThrow().microvolts();
    }

    @Override
    public long timestampFrequencyHz() {
        return TIMESTAMP_HZ;
    }

    /** The 24 MHz system counter at virtual time {@code nanos} (before TIMESTAMP_OFFSET). */
    public static long timestampTicksAt(long nanos) {
        return (nanos / NANOS_PER_SECOND) * TIMESTAMP_HZ + (nanos % NANOS_PER_SECOND) * TIMESTAMP_HZ / NANOS_PER_SECOND;
    }

    /** The system counter now. */
    public long timestampTicks() {
        return timestampTicksAt(time.nowNanos());
    }

    /** GPU core cycles since model creation, integrated over every OPP change. */
    public synchronized long cycles() {
        long d = time.nowNanos() - rateSince;
        long hzNs = cyclesRemainderHzNs + (d % NANOS_PER_SECOND) * frequencyHz;
        return cyclesBefore + (d / NANOS_PER_SECOND) * frequencyHz + hzNs / NANOS_PER_SECOND;
    }

    /** Virtual nanoseconds that {@code cycles} core cycles take at the current frequency (rounded up). */
    public synchronized long cyclesToNanos(long cycles) {
        if (cycles <= 0) {
            return 0;
        }
        long hz = frequencyHz;
        long whole = cycles / hz;
        long rest = cycles % hz;
        return whole * NANOS_PER_SECOND + (rest * NANOS_PER_SECOND + hz - 1) / hz;
    }

    /**
     * Marks {@code source} active or inactive. The GPU counts as busy while any source is
     * active. Idempotent: marking an active source active again changes nothing.
     */
    public void setActive(String source, boolean on) {
        boolean changed;
        synchronized (this) {
            boolean wasBusy = !active.isEmpty();
            changed = on ? active.add(source) : active.remove(source);
            if (!changed) {
                return;
            }
            boolean isBusy = !active.isEmpty();
            if (wasBusy != isBusy) {
                accrueLoad(time.nowNanos(), wasBusy);
            }
        }
        trace.record((on ? "active+" : "active-") + source);
    }

    /** Whether {@code source} is active now. */
    public synchronized boolean isActive(String source) {
        return active.contains(source);
    }

    /** Whether any source other than {@code excluded} is active. */
    public synchronized boolean activeExcept(String excluded) {
        return active.size() > (active.contains(excluded) ? 1 : 0);
    }

    /** Whether the GPU is busy (any source active). */
    public synchronized boolean busy() {
        return !active.isEmpty();
    }

    /** The sources active now, sorted by name. */
    public synchronized List<String> activeSources() {
        return List.copyOf(active);
    }

    /** Marks every source inactive (a GPU reset stops all work). */
    public void clearActive() {
        List<String> was;
        synchronized (this) {
            if (active.isEmpty()) {
                return;
            }
            accrueLoad(time.nowNanos(), true);
            was = List.copyOf(active);
            active.clear();
        }
        for (String s : was) {
            trace.record("active-" + s);
        }
    }

    @Override
    public synchronized long busyNanos() {
        return busy + (active.isEmpty() ? 0 : time.nowNanos() - stateSince);
    }

    @Override
    public synchronized long idleNanos() {
        return idle + (active.isEmpty() ? time.nowNanos() - stateSince : 0);
    }

    private void accrueLoad(long now, boolean wasBusy) {
        long d = now - stateSince;
        if (wasBusy) {
            busy += d;
        } else {
            idle += d;
        }
        stateSince = now;
    }

    private void accrueCycles(long now) {
        long d = now - rateSince;
        long hzNs = cyclesRemainderHzNs + (d % NANOS_PER_SECOND) * frequencyHz;
        cyclesBefore += (d / NANOS_PER_SECOND) * frequencyHz + hzNs / NANOS_PER_SECOND;
        cyclesRemainderHzNs = hzNs % NANOS_PER_SECOND;
        rateSince = now;
    }
}
