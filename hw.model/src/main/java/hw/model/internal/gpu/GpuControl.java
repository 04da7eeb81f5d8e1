package hw.model.internal.gpu;

import static hw.model.regs.MaliRegs.*;

import hw.model.api.IrqLine;
import hw.model.api.VirtualTime;
import hw.model.internal.EventTrace;
import hw.model.internal.G610;
import hw.model.internal.GpuModel;
import hw.model.internal.IrqRegs;
import hw.model.internal.MmioBus;
import hw.model.internal.VirtualClock;
import hw.model.internal.clock.ClockModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * DOC: GPU_CONTROL.
 *
 * The command, status, power and counter registers of the GPU_CONTROL block (the
 * identification registers are mapped by {@link GpuModel}). Every effect that takes time on
 * silicon takes virtual time here, scheduled on the model clock; the durations are model
 * choices (no public source gives G610 figures), all far below panthor's timeouts:
 *
 * <pre>
 *   soft reset (GPU_CMD 0x101)       {@value #SOFT_RESET_NANOS} ns   panthor waits 100 ms
 *   hard reset (GPU_CMD 0x201)       {@value #HARD_RESET_NANOS} ns
 *   cache flush (GPU_CMD 0x..04)     {@value #FLUSH_NANOS} ns       panthor waits 100 ms
 *   L2 power on/off                  {@value #L2_POWER_NANOS} ns    panthor polls 20 ms
 *   shader / tiler power on/off      {@value #CORE_POWER_NANOS} ns
 * </pre>
 *
 * GPU_CMD is {@code type | payload << 8}: NOP 0; RESET 1 (payload 1 soft, 2 hard); FLUSH_CACHES 4
 * (payload {@code l2 | lsc << 4 | other << 8}, each CACHE_CLEAN bit 0 / CACHE_INV bit 1);
 * CLEAR_FAULT 7. Other types and a command written while a reset is in flight are ignored.
 *
 * Reset: after the delay every other block is reset through the reset hooks registered with
 * {@link GpuModel#onReset} (MMU, CSF, ...), all power domains drop to off (pending
 * transitions are cancelled), pending flushes are dropped, every activity source is cleared
 * and the GPU_CONTROL registers return to their reset values: GPU_FAULT_*, TIMESTAMP_OFFSET,
 * COHERENCY_PROTOCOL (ACE_LITE 0), PWR_OVERRIDE0/1 and the PWR_KEY lock. GPU_INT_RAWSTAT is
 * cleared and then RESET_COMPLETED (bit 8) raised. GPU_INT_MASK survives the reset
 * (simplification: panthor waits for RESET_COMPLETED through the IRQ without re-writing the
 * mask around a reset, so the model keeps it). Soft and hard reset differ only in duration.
 * CSF_GPU_LATEST_FLUSH_ID is not reset either: keeping it monotonic means a flush id taken
 * before a reset never looks newer than the caches (real behaviour unconfirmed).
 *
 * Cache flush: completes after the delay by incrementing CSF_GPU_LATEST_FLUSH_ID (24-bit,
 * wrapping; the page userspace maps at offset 0x10000) and raising CLEAN_CACHES_COMPLETED
 * (bit 17). The model has no caches (memory is always coherent), so the flush types only
 * matter for the trace. While {@link #stallCacheFlush} is armed, flushes stay pending; disarming
 * completes them after the normal delay, a reset drops them. {@link #flushCaches} offers the
 * same flush to the firmware (FLUSH_CACHE2): same delay, stall and flush id, no GPU IRQ.
 *
 * Power: three domains, L2 (L2_PRESENT 0x1), SHADER (SHADER_PRESENT 0x50005) and TILER
 * (TILER_PRESENT 0x1), each with 64-bit READY/PWRON/PWROFF/PWRTRANS/PWRACTIVE as LO/HI pairs.
 * Writing a mask to PWRON puts the present cores that are off (and not already in transition)
 * into PWRTRANS; after the domain's delay they move to READY; PWROFF is the reverse for cores
 * that are on. A write naming a core that is in transition is dropped for that core, and bits
 * outside *_PRESENT are ignored (panthor waits for PWRTRANS to clear before each write).
 * Dependency, as on silicon: shader cores and the tiler sit behind the L2, so cores asked to
 * power on while the L2 is not READY (or is powering off) stay in PWRTRANS until it is, and
 * then take their own delay; an L2 power-off waits in PWRTRANS until no shader core or tiler
 * is on or in transition. Each completed transition raises POWER_CHANGED (bit 9), plus POWER_CHANGED_ALL
 * (bit 10) when nothing is left in transition. GPU_STATUS.PWR_ACTIVE (bit 1) is set while
 * anything is in transition, and power transitions count as busy time for the clock model.
 * *_PWRACTIVE reads the READY cores while GPU_STATUS.ACTIVE is set, else 0.
 *
 * GPU_STATUS: ACTIVE (bit 0) while any block reports activity to the clock model (other than
 * power transitions); PWR_ACTIVE (bit 1); PAGE_FAULT (bit 4) while an address space's page-fault
 * bit is set in MMU_INT_RAWSTAT (latched, not yet cleared); PROTM_ACTIVE and DBG_ENABLED are
 * always 0.
 *
 * GPU_PWR_KEY / PWR_OVERRIDE0/1: writing the unlock key 0x2968A819 to GPU_PWR_KEY makes the
 * next write to PWR_OVERRIDE0 or PWR_OVERRIDE1 take effect; that write locks them again, as
 * does writing any other value to the key. Locked writes are dropped. The override values have
 * no effect on the model's power behaviour.
 *
 * Counters: TIMESTAMP = 24 MHz system counter at the current virtual time + TIMESTAMP_OFFSET
 * (rw, 64-bit, LO/HI written separately); CYCLE_COUNT = core cycles from the clock model
 * (virtual time integrated over the OPPs). Both read live, so LO and HI can tear across a
 * carry; reading without tearing is the driver's job, as on silicon.
 *
 * Faults reported by other blocks ({@link #reportFault}) latch GPU_FAULT_STATUS/ADDR and
 * raise FAULT (bit 0); CLEAR_FAULT clears the latch (not the IRQ bit).
 *
 * Callers of the public methods hold the model lock; clock events take it themselves.
 */
public final class GpuControl {

    /** Flush-id counter width: user-submitted flush ids must have bits 24..30 clear. */
    public static final int FLUSH_ID_MASK = 0x00FF_FFFF;

    public static final long SOFT_RESET_NANOS = 50_000L;
    public static final long HARD_RESET_NANOS = 100_000L;
    public static final long FLUSH_NANOS = 5_000L;
    public static final long L2_POWER_NANOS = 100_000L;
    public static final long CORE_POWER_NANOS = 50_000L;

    /** Activity source name used for power transitions in the clock model. */
    public static final String POWER_SOURCE = "power";

    /** A power domain of GPU_CONTROL. */
    public enum Domain {
        SHADER(SHADER_READY, SHADER_PWRON, SHADER_PWROFF, SHADER_PWRTRANS, SHADER_PWRACTIVE,
                G610.SHADER_PRESENT, CORE_POWER_NANOS),
        TILER(TILER_READY, TILER_PWRON, TILER_PWROFF, TILER_PWRTRANS, TILER_PWRACTIVE,
                G610.TILER_PRESENT, CORE_POWER_NANOS),
        L2(L2_READY, L2_PWRON, L2_PWROFF, L2_PWRTRANS, L2_PWRACTIVE, G610.L2_PRESENT, L2_POWER_NANOS);

        final int ready;
        final int pwron;
        final int pwroff;
        final int pwrtrans;
        final int pwractive;
        final long present;
        final long delay;

        Domain(int ready, int pwron, int pwroff, int pwrtrans, int pwractive, long present, long delay) {
            this.ready = ready;
            this.pwron = pwron;
            this.pwroff = pwroff;
            this.pwrtrans = pwrtrans;
            this.pwractive = pwractive;
            this.present = present;
            this.delay = delay;
        }

        /** The cores of this domain present on the G610. */
        public long present() {
            return present;
        }
    }

    private final GpuModel model;
    private final Object lock;
    private final VirtualClock time;
    private final EventTrace trace;
    private final ClockModel clk;
    private final IrqRegs irq;
    private final Map<Domain, PowerDomain> domains = new EnumMap<>(Domain.class);
    private final List<Runnable> powerListeners = new ArrayList<>();
    private final List<PendingFlush> flushes = new ArrayList<>();

    private VirtualTime.Timer resetTimer;
    private int faultStatus;
    private long faultAddr;
    private long timestampOffset;
    private int coherencyProtocol;
    private int pwrOverride0;
    private int pwrOverride1;
    private boolean pwrKeyUnlocked;
    private boolean stallFlush;
    private int latestFlushId;
    private long resets;

    public GpuControl(GpuModel model) {
        this.model = model;
        this.lock = model.lock();
        this.time = model.clock();
        this.trace = model.trace();
        this.clk = model.gpuClock();
        this.irq = new IrqRegs(IrqLine.GPU, model.irq(), trace);
        for (Domain d : Domain.values()) {
            domains.put(d, new PowerDomain(d));
        }
        model.irq().connect(IrqLine.GPU, irq::stat);
        map(model.mmio());
    }

    private void map(MmioBus bus) {
        irq.mapAt(bus, GPU_INT_RAWSTAT, "GPU_INT");
        bus.map(GPU_CMD, "GPU_CMD", () -> 0, this::command);
        bus.mapReadOnly(GPU_STATUS, "GPU_STATUS", this::status);
        bus.mapReadOnly(GPU_FAULT_STATUS, "GPU_FAULT_STATUS", () -> faultStatus);
        bus.mapReadOnly(GPU_FAULT_ADDR_LO, "GPU_FAULT_ADDR_LO", () -> (int) faultAddr);
        bus.mapReadOnly(GPU_FAULT_ADDR_HI, "GPU_FAULT_ADDR_HI", () -> (int) (faultAddr >>> 32));
        bus.map(GPU_PWR_KEY, "GPU_PWR_KEY", () -> 0, v -> pwrKeyUnlocked = v == GPU_PWR_KEY_UNLOCK);
        bus.map(GPU_PWR_OVERRIDE0, "GPU_PWR_OVERRIDE0", () -> pwrOverride0, v -> {
            if (consumeKey(0, v)) {
                pwrOverride0 = v;
            }
        });
        bus.map(GPU_PWR_OVERRIDE1, "GPU_PWR_OVERRIDE1", () -> pwrOverride1, v -> {
            if (consumeKey(1, v)) {
                pwrOverride1 = v;
            }
        });
        bus.map(GPU_TIMESTAMP_OFFSET_LO, "GPU_TIMESTAMP_OFFSET_LO", () -> (int) timestampOffset,
                v -> timestampOffset = (timestampOffset & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL));
        bus.map(GPU_TIMESTAMP_OFFSET_HI, "GPU_TIMESTAMP_OFFSET_HI", () -> (int) (timestampOffset >>> 32),
                v -> timestampOffset = (timestampOffset & 0xFFFF_FFFFL) | ((long) v << 32));
        bus.mapReadOnly(GPU_CYCLE_COUNT_LO, "GPU_CYCLE_COUNT_LO", () -> (int) clk.cycles());
        bus.mapReadOnly(GPU_CYCLE_COUNT_HI, "GPU_CYCLE_COUNT_HI", () -> (int) (clk.cycles() >>> 32));
        bus.mapReadOnly(GPU_TIMESTAMP_LO, "GPU_TIMESTAMP_LO", () -> (int) timestamp());
        bus.mapReadOnly(GPU_TIMESTAMP_HI, "GPU_TIMESTAMP_HI", () -> (int) (timestamp() >>> 32));
        for (Domain d : Domain.values()) {
            PowerDomain p = domains.get(d);
            String n = d.name();
            map64ReadOnly(bus, d.ready, n + "_READY", () -> p.ready);
            map64WriteOnly(bus, d.pwron, n + "_PWRON", m -> powerOn(d, m));
            map64WriteOnly(bus, d.pwroff, n + "_PWROFF", m -> powerOff(d, m));
            map64ReadOnly(bus, d.pwrtrans, n + "_PWRTRANS", p::transitioning);
            map64ReadOnly(bus, d.pwractive, n + "_PWRACTIVE",
                    () -> (status() & GPU_STATUS_ACTIVE) != 0 ? p.ready : 0L);
        }
        bus.map(GPU_COHERENCY_PROTOCOL, "GPU_COHERENCY_PROTOCOL", () -> coherencyProtocol, v -> {
            coherencyProtocol = v;
            trace.record("gpu-coherency", v);
        });
        bus.mapReadOnly(CSF_GPU_LATEST_FLUSH_ID, "CSF_GPU_LATEST_FLUSH_ID", () -> latestFlushId);
    }

    private static void map64ReadOnly(MmioBus bus, int lo, String name, java.util.function.LongSupplier value) {
        bus.mapReadOnly(lo, name + "_LO", () -> (int) value.getAsLong());
        bus.mapReadOnly(lo + 4, name + "_HI", () -> (int) (value.getAsLong() >>> 32));
    }

    /** A 64-bit command register: each half is a command for its 32 cores (write LO then HI). */
    private static void map64WriteOnly(MmioBus bus, int lo, String name, java.util.function.LongConsumer cmd) {
        bus.map(lo, name + "_LO", () -> 0, v -> cmd.accept(v & 0xFFFF_FFFFL));
        bus.map(lo + 4, name + "_HI", () -> 0, v -> cmd.accept((long) v << 32));
    }

    private boolean consumeKey(int n, int value) {
        boolean ok = pwrKeyUnlocked;
        pwrKeyUnlocked = false;
        trace.record(ok ? "gpu-pwr-override" : "gpu-pwr-override-locked", n, value);
        return ok;
    }

    // --- GPU_CMD -------------------------------------------------------------------------------

    private void command(int value) {
        int type = GPU_CMD_TYPE_GET(value);
        trace.record("gpu-cmd", value);
        if (resetTimer != null) {
            return;
        }
        switch (type) {
            case GPU_CMD_TYPE_NOP -> { }
            case GPU_CMD_TYPE_RESET -> {
                int mode = value & GPU_CMD_RESET_MODE_MASK;
                if (mode == GPU_CMD_RESET_MODE_SOFT || mode == GPU_CMD_RESET_MODE_HARD) {
                    startReset(mode == GPU_CMD_RESET_MODE_HARD);
                }
            }
            case GPU_CMD_TYPE_FLUSH_CACHES -> startFlush(GPU_CMD_FLUSH_L2_GET(value), GPU_CMD_FLUSH_LSC_GET(value),
                    GPU_CMD_FLUSH_OTHER_GET(value), true, null);
            case GPU_CMD_TYPE_CLEAR_FAULT -> {
                faultStatus = 0;
                faultAddr = 0;
            }
            default -> { }
        }
    }

    private void startReset(boolean hard) {
        trace.record(hard ? "gpu-hard-reset-start" : "gpu-soft-reset-start");
        resetTimer = time.schedule(hard ? HARD_RESET_NANOS : SOFT_RESET_NANOS, () -> {
            synchronized (lock) {
                completeReset(hard);
            }
        });
    }

    private void completeReset(boolean hard) {
        resetTimer = null;
        resets++;
        clk.clearActive();
        model.runResetHooks();
        for (PowerDomain p : domains.values()) {
            p.reset();
        }
        clk.setActive(POWER_SOURCE, false);
        for (PendingFlush f : flushes) {
            if (f.timer != null) {
                f.timer.cancel();
            }
        }
        flushes.clear();
        faultStatus = 0;
        faultAddr = 0;
        timestampOffset = 0;
        coherencyProtocol = GPU_COHERENCY_ACE_LITE;
        pwrOverride0 = 0;
        pwrOverride1 = 0;
        pwrKeyUnlocked = false;
        irq.clear(0xFFFF_FFFF);
        trace.record(hard ? "gpu-hard-reset-done" : "gpu-soft-reset-done");
        irq.raise(GPU_IRQ_RESET_COMPLETED);
        notifyPower();
    }

    /** Whether a GPU_CMD reset is in flight. */
    public boolean resetInProgress() {
        return resetTimer != null;
    }

    /** Completed resets since the model was created. */
    public long resetCount() {
        return resets;
    }

    // --- Cache flush -----------------------------------------------------------------------------

    /**
     * Starts a cache flush on behalf of the firmware (FLUSH_CACHE2): same duration, stall
     * injection and flush-id bump as GPU_CMD FLUSH_CACHES, but no GPU IRQ; {@code done} runs
     * under the model lock when the flush completes (never, if a reset drops it).
     */
    public void flushCaches(int l2, int lsc, int other, Runnable done) {
        startFlush(l2, lsc, other, false, done);
    }

    private void startFlush(int l2, int lsc, int other, boolean irqOnDone, Runnable done) {
        PendingFlush f = new PendingFlush(l2 | lsc << 4 | other << 8, irqOnDone, done);
        flushes.add(f);
        trace.record("gpu-flush-start", f.payload, irqOnDone ? 1 : 0);
        if (!stallFlush) {
            scheduleFlush(f);
        }
    }

    private void scheduleFlush(PendingFlush f) {
        f.timer = time.schedule(FLUSH_NANOS, () -> {
            synchronized (lock) {
                if (flushes.remove(f)) {
                    completeFlush(f);
                }
            }
        });
    }

    private void completeFlush(PendingFlush f) {
        latestFlushId = (latestFlushId + 1) & FLUSH_ID_MASK;
        trace.record("gpu-flush-done", f.payload, latestFlushId);
        if (f.irq) {
            irq.raise(GPU_IRQ_CLEAN_CACHES_COMPLETED);
        }
        if (f.done != null) {
            f.done.run();
        }
    }

    /** Fault injection: while set, cache flushes never complete. */
    public void stallCacheFlush(boolean stall) {
        if (stallFlush == stall) {
            return;
        }
        stallFlush = stall;
        trace.record("inject-stall-flush", stall ? 1 : 0);
        for (PendingFlush f : flushes) {
            if (stall && f.timer != null) {
                f.timer.cancel();
                f.timer = null;
            } else if (!stall && f.timer == null) {
                scheduleFlush(f);
            }
        }
    }

    public boolean cacheFlushStalled() {
        return stallFlush;
    }

    /** Flushes started and not completed yet. */
    public int pendingFlushes() {
        return flushes.size();
    }

    /** CSF_GPU_LATEST_FLUSH_ID. */
    public int latestFlushId() {
        return latestFlushId;
    }

    // --- Power -----------------------------------------------------------------------------------

    /** Requests power-on of {@code mask} cores of {@code domain}, as a write to *_PWRON. */
    public void powerOn(Domain domain, long mask) {
        PowerDomain p = domains.get(domain);
        long m = mask & domain.present & ~p.ready & ~p.transitioning();
        trace.record("gpu-pwron-" + domain, mask);
        if (m != 0) {
            p.pendingOn |= m;
            kickAll();
        }
    }

    /** Requests power-off of {@code mask} cores of {@code domain}, as a write to *_PWROFF. */
    public void powerOff(Domain domain, long mask) {
        PowerDomain p = domains.get(domain);
        long m = mask & domain.present & p.ready & ~p.transitioning();
        trace.record("gpu-pwroff-" + domain, mask);
        if (m != 0) {
            p.pendingOff |= m;
            kickAll();
        }
    }

    /** *_READY of a domain. */
    public long ready(Domain domain) {
        return domains.get(domain).ready;
    }

    /** *_PWRTRANS of a domain. */
    public long transitioning(Domain domain) {
        return domains.get(domain).transitioning();
    }

    public boolean l2Ready() {
        return domains.get(Domain.L2).ready != 0;
    }

    /** Whether any domain has cores in transition. */
    public boolean powerTransitionInFlight() {
        for (PowerDomain p : domains.values()) {
            if (p.transitioning() != 0) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code listener} (under the model lock) after every completed power transition and reset. */
    public void onPowerChange(Runnable listener) {
        powerListeners.add(listener);
    }

    /** The on-transitions of {@code p} that may start now (cores need a READY L2 that is staying on). */
    private long startableOn(PowerDomain p) {
        if (p.domain == Domain.L2) {
            return p.pendingOn;
        }
        PowerDomain l2 = domains.get(Domain.L2);
        return l2.ready != 0 && l2.pendingOff == 0 ? p.pendingOn : 0;
    }

    /** The off-transitions of {@code p} that may start now (the L2 goes last). */
    private long startableOff(PowerDomain p) {
        if (p.domain != Domain.L2) {
            return p.pendingOff;
        }
        PowerDomain sh = domains.get(Domain.SHADER);
        PowerDomain ti = domains.get(Domain.TILER);
        return (sh.ready | sh.transitioning() | ti.ready | ti.transitioning()) == 0 ? p.pendingOff : 0;
    }

    private void kickAll() {
        for (Domain d : Domain.values()) {
            PowerDomain p = domains.get(d);
            if (p.timer != null) {
                continue;
            }
            long on = startableOn(p);
            long off = startableOff(p);
            if ((on | off) != 0) {
                p.timer = time.schedule(d.delay, () -> {
                    synchronized (lock) {
                        completeTransition(p, on, off);
                    }
                });
            }
        }
        clk.setActive(POWER_SOURCE, powerTransitionInFlight());
    }

    private void completeTransition(PowerDomain p, long on, long off) {
        p.timer = null;
        p.pendingOn &= ~on;
        p.pendingOff &= ~off;
        p.ready = (p.ready | on) & ~off;
        trace.record("gpu-power-" + p.domain, p.ready);
        int bits = GPU_IRQ_POWER_CHANGED;
        kickAll();
        if (!powerTransitionInFlight()) {
            bits |= GPU_IRQ_POWER_CHANGED_ALL;
        }
        irq.raise(bits);
        notifyPower();
    }

    private void notifyPower() {
        for (Runnable r : List.copyOf(powerListeners)) {
            r.run();
        }
    }

    // --- Status, faults, counters ------------------------------------------------------------------

    /** GPU_STATUS. */
    public int status() {
        int s = 0;
        if (clk.activeExcept(POWER_SOURCE)) {
            s |= GPU_STATUS_ACTIVE;
        }
        if (powerTransitionInFlight()) {
            s |= GPU_STATUS_PWR_ACTIVE;
        }
        if (model.mmu() != null && model.mmu().pendingFaults() != 0) {
            s |= GPU_STATUS_PAGE_FAULT;
        }
        return s;
    }

    /** Latches a GPU fault (GPU_FAULT_STATUS/ADDR) and raises GPU_IRQ_FAULT. */
    public void reportFault(int status, long address) {
        faultStatus = status;
        faultAddr = address;
        trace.record("gpu-fault", status & 0xFFFF_FFFFL, address);
        irq.raise(GPU_IRQ_FAULT);
    }

    /** TIMESTAMP: the 24 MHz system counter plus TIMESTAMP_OFFSET. */
    public long timestamp() {
        return clk.timestampTicks() + timestampOffset;
    }

    public long timestampOffset() {
        return timestampOffset;
    }

    public int coherencyProtocol() {
        return coherencyProtocol;
    }

    public int pwrOverride(int n) {
        return n == 0 ? pwrOverride0 : pwrOverride1;
    }

    /** The GPU_INT_* registers; other blocks may raise GPU IRQ bits (e.g. MCU_STATUS_CHANGED). */
    public IrqRegs irq() {
        return irq;
    }

    private final class PowerDomain {
        final Domain domain;
        long ready;
        long pendingOn;
        long pendingOff;
        VirtualTime.Timer timer;

        PowerDomain(Domain domain) {
            this.domain = domain;
        }

        long transitioning() {
            return pendingOn | pendingOff;
        }

        void reset() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            ready = 0;
            pendingOn = 0;
            pendingOff = 0;
        }
    }

    private static final class PendingFlush {
        final int payload;
        final boolean irq;
        final Runnable done;
        VirtualTime.Timer timer;

        PendingFlush(int payload, boolean irq, Runnable done) {
            this.payload = payload;
            this.irq = irq;
            this.done = done;
        }
    }
}
