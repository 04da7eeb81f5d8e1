package driver.core.internal.slot;

import driver.core.slot.ProviderInfo;
import driver.core.slot.SlotInfo;
import driver.core.slot.SlotStatus;
import driver.core.slot.Subsystem;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemState;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DOC: Slot protocol.
 *
 * The pure slot: no OSGi here, so it runs in unit tests and benchmarks; {@link SubsystemTracker}
 * feeds it services. Implementations arrive and leave through {@link #addProvider},
 * {@link #updateProvider} and {@link #removeProvider}; users act through {@link #swapTo} and
 * {@link #setPreferred}. All of them run under the {@link SwapCoordinator}'s lock, so a slot
 * changes one step at a time and at most one gate of the driver is closed.
 *
 * <p>The three transitions, each with the gate closed and the pause measured from closing to
 * opening:
 * <ul>
 * <li><b>Swap</b> (explicit, preference, a better implementation arrived): close, drain (with a
 *     time limit), export from the old, import into the new, verify
 *     {@code imported.equals(new.exportState())}, release the old, open on the new. On any
 *     failure the target is released and the gate reopens on the old implementation, which
 *     was never touched: export is a read-only snapshot, so rolling back means keeping the
 *     old as it is, not importing into it again (a second import could itself fail).
 * <li><b>Hand-over</b> (the active implementation's service is unregistering): close, drain
 *     without a time limit (the service must not go while a call runs in it), export, release,
 *     then import into the remaining implementations best first; if none takes the state it is
 *     parked. This runs inside the framework's UNREGISTERING event, while the old service
 *     object still works.
 * <li><b>Restore</b> (an implementation arrives, or is chosen, while the state is parked):
 *     import and verify with the gate still closed; on success open on it, on failure the
 *     state stays parked. The first implementation ever restores the initial state.
 * </ul>
 * If an export fails during a hand-over the state is lost; the slot says so in the record and
 * the next owner starts from the initial state (an idle device) so that the driver keeps
 * working.
 */
public final class GatedSubsystemSlot<T extends Subsystem<S>, S extends SubsystemState>
        implements SubsystemSlot<T, S> {

    private final SlotConfig<T, S> config;
    private final String subsystem;
    private final SwapCoordinator coordinator;
    private final CallGate<T> gate;
    private final SwapHistory history;

    // Written under the coordinator's lock; volatile so that info() needs no lock.
    private volatile List<Provider<T>> providers = List.of();
    private volatile Provider<T> active;
    private volatile SlotStatus status = SlotStatus.PARKED;
    /** The parked state; null means the next owner starts from the initial state. */
    private volatile S parked;
    private volatile String preferred;

    private final AtomicLong swapCount = new AtomicLong();
    private final AtomicLong rollbackCount = new AtomicLong();
    private volatile long lastPauseNanos = -1;

    /** A slot with its own coordinator (tests, benchmarks). */
    public GatedSubsystemSlot(SlotConfig<T, S> config) {
        this(config, new SwapCoordinator());
    }

    public GatedSubsystemSlot(SlotConfig<T, S> config, SwapCoordinator coordinator) {
        this.config = config;
        this.subsystem = config.subsystem();
        this.coordinator = coordinator;
        this.gate = new CallGate<>(subsystem, config.graceNanos(), config.fallback());
        this.history = new SwapHistory(config.historyCapacity());
        coordinator.register(gate);
    }

    // ---- calls -------------------------------------------------------------------------

    @Override
    public <R, X extends Throwable> R call(Call<? super T, ? extends R, X> op) throws X {
        CallGate.Caller<T> c = gate.caller();
        T impl = gate.enter(c);
        try {
            return op.apply(impl);
        } finally {
            gate.exit(c);
        }
    }

    @Override
    public <X extends Throwable> void run(Task<? super T, X> op) throws X {
        CallGate.Caller<T> c = gate.caller();
        T impl = gate.enter(c);
        try {
            op.accept(impl);
        } finally {
            gate.exit(c);
        }
    }

    @Override
    public <X extends Throwable> boolean runIfPresent(Task<? super T, X> op) throws X {
        CallGate.Caller<T> c = gate.caller();
        T impl = gate.enterIfPresent(c);
        if (impl == null) {
            return false;
        }
        try {
            op.accept(impl);
            return true;
        } finally {
            gate.exit(c);
        }
    }

    // ---- implementations arriving and leaving -------------------------------------------

    /**
     * A new implementation. Restores the parked state into it, or swaps to it if it is better
     * than the active one (wanted, else higher ranking, else lower service id).
     */
    public SwapRecord addProvider(Provider<T> p) {
        coordinator.lock(subsystem);
        try {
            providers = with(providers, p);
            if (status == SlotStatus.CLOSED) {
                return notRecorded(SwapOutcome.UNCHANGED, null, p, SwapTrigger.REGISTERED, "slot closed");
            }
            SwapTrigger trigger = p.impl().equals(preferred) ? SwapTrigger.PREFERENCE : SwapTrigger.REGISTERED;
            if (status == SlotStatus.PARKED) {
                return restore(p, trigger, "implementation " + p.impl() + " arrived (" + p.origin() + ")");
            }
            Provider<T> a = active;
            if (a != null && order().compare(p, a) < 0) {
                return swap(p, trigger, "better implementation " + p.impl() + " arrived (" + p.origin() + ")");
            }
            return notRecorded(SwapOutcome.UNCHANGED, a, p, SwapTrigger.REGISTERED, "not better than the active one");
        } finally {
            coordinator.unlock();
        }
    }

    /** An implementation's properties changed (e.g. its ranking); swaps if the best one changed. */
    public SwapRecord updateProvider(Provider<T> p) {
        coordinator.lock(subsystem);
        try {
            providers = with(providers, p);
            Provider<T> a = active;
            if (a != null && a.serviceId() == p.serviceId()) {
                active = p;
                a = p;
            }
            if (status != SlotStatus.ACTIVE || a == null) {
                return notRecorded(SwapOutcome.UNCHANGED, a, p, SwapTrigger.REGISTERED, "not active");
            }
            Provider<T> best = providers.stream().min(order()).orElseThrow();
            if (best.serviceId() != a.serviceId() && order().compare(best, a) < 0) {
                return swap(best, SwapTrigger.REGISTERED, "ranking of " + p.impl() + " changed");
            }
            return notRecorded(SwapOutcome.UNCHANGED, a, best, SwapTrigger.REGISTERED, "best unchanged");
        } finally {
            coordinator.unlock();
        }
    }

    /**
     * An implementation is going away. If it is the active one its state is handed over to the
     * best remaining implementation before this returns, or parked if none takes it. Call it
     * while the service object still works (the framework's UNREGISTERING event).
     */
    public SwapRecord removeProvider(long serviceId, String reason) {
        coordinator.lock(subsystem);
        try {
            Provider<T> p = null;
            for (Provider<T> q : providers) {
                if (q.serviceId() == serviceId) {
                    p = q;
                }
            }
            if (p == null) {
                return notRecorded(SwapOutcome.UNCHANGED, null, null, SwapTrigger.UNREGISTERING, "unknown service");
            }
            providers = without(providers, serviceId);
            Provider<T> a = active;
            if (status == SlotStatus.CLOSED || a == null || a.serviceId() != serviceId) {
                return notRecorded(SwapOutcome.UNCHANGED, a, p, SwapTrigger.UNREGISTERING, "not active");
            }
            return handOver(a, reason);
        } finally {
            coordinator.unlock();
        }
    }

    // ---- user triggers ---------------------------------------------------------------------

    @Override
    public SwapRecord swapTo(String impl, SwapTrigger trigger, String reason) {
        Objects.requireNonNull(impl);
        if (coordinator.currentThreadInCall() || gate.currentThreadInCall()) {
            return notRecorded(SwapOutcome.REFUSED, active, null, trigger,
                    "requested from inside a call through a subsystem slot");
        }
        coordinator.lock(subsystem);
        try {
            Provider<T> a = active;
            if (status == SlotStatus.CLOSED) {
                return notRecorded(SwapOutcome.REFUSED, a, null, trigger, "the slot is closed");
            }
            if (a != null && a.impl().equals(impl)) {
                return notRecorded(SwapOutcome.UNCHANGED, a, a, trigger, impl + " is already active");
            }
            Optional<Provider<T>> target = bestNamed(impl);
            if (target.isEmpty()) {
                return notRecorded(SwapOutcome.REFUSED, a, null, trigger, "no implementation '" + impl
                        + "' of " + subsystem + " is available (available: " + availableNames() + ")");
            }
            return status == SlotStatus.PARKED
                    ? restore(target.get(), trigger, reason)
                    : swap(target.get(), trigger, reason);
        } finally {
            coordinator.unlock();
        }
    }

    @Override
    public SwapRecord setPreferred(String impl, String reason) {
        String want = impl == null || impl.isBlank() ? null : impl.trim();
        if (coordinator.currentThreadInCall() || gate.currentThreadInCall()) {
            return notRecorded(SwapOutcome.REFUSED, active, null, SwapTrigger.PREFERENCE,
                    "requested from inside a call through a subsystem slot");
        }
        coordinator.lock(subsystem);
        try {
            preferred = want;
            Provider<T> a = active;
            if (want == null) {
                return notRecorded(SwapOutcome.UNCHANGED, a, null, SwapTrigger.PREFERENCE, "preference cleared");
            }
            if (status == SlotStatus.CLOSED) {
                return notRecorded(SwapOutcome.UNCHANGED, a, null, SwapTrigger.PREFERENCE, "the slot is closed");
            }
            if (a != null && a.impl().equals(want)) {
                return notRecorded(SwapOutcome.UNCHANGED, a, a, SwapTrigger.PREFERENCE, want + " is already active");
            }
            Optional<Provider<T>> target = bestNamed(want);
            if (target.isEmpty()) {
                return notRecorded(SwapOutcome.UNCHANGED, a, null, SwapTrigger.PREFERENCE,
                        want + " is not available; the slot swaps to it when it arrives");
            }
            return status == SlotStatus.PARKED
                    ? restore(target.get(), SwapTrigger.PREFERENCE, reason)
                    : swap(target.get(), SwapTrigger.PREFERENCE, reason);
        } finally {
            coordinator.unlock();
        }
    }

    @Override
    public Optional<String> preferred() {
        return Optional.ofNullable(preferred);
    }

    /**
     * Shuts the slot down with the driver: drains, releases the active implementation, and
     * fails every waiting and future call. Implementations that leave afterwards are ignored.
     */
    public void close() {
        coordinator.lock(subsystem);
        try {
            if (status == SlotStatus.CLOSED) {
                return;
            }
            Provider<T> a = active;
            if (a != null) {
                status = SlotStatus.SWAPPING;
                gate.closeForSwap();
                gate.drain(-1);
                releaseQuietly(a);
                active = null;
            }
            status = SlotStatus.CLOSED;
            gate.shutdown();
        } finally {
            coordinator.unlock();
        }
    }

    // ---- the three transitions ---------------------------------------------------------------

    /** Voluntary swap from the active implementation to {@code target}; rolls back on any failure. */
    private SwapRecord swap(Provider<T> target, SwapTrigger trigger, String reason) {
        return boosted(() -> swapClosed(target, trigger, reason));
    }

    /**
     * Runs a transition at the highest thread priority: while the gate is closed every caller of
     * the subsystem waits for this thread, so it should not lose its core to threads that are not
     * in the way (the same reason a kernel boosts a lock holder). On two cores under load a
     * preempted swap otherwise waits out other threads' time slices, milliseconds. Only has an
     * effect where the JVM maps Java priorities to the OS (on Linux
     * {@code -XX:ThreadPriorityPolicy=1} as root, which {@code ./panthor} passes).
     */
    private static SwapRecord boosted(java.util.function.Supplier<SwapRecord> transition) {
        Thread me = Thread.currentThread();
        int priority = me.getPriority();
        me.setPriority(Thread.MAX_PRIORITY);
        try {
            return transition.get();
        } finally {
            me.setPriority(priority);
        }
    }

    private SwapRecord swapClosed(Provider<T> target, SwapTrigger trigger, String reason) {
        Provider<T> from = active;
        long closed = System.nanoTime();
        status = SlotStatus.SWAPPING;
        gate.closeForSwap();
        boolean drained = gate.drain(config.drainTimeoutNanos());
        long drainNanos = System.nanoTime() - closed;
        if (!drained) {
            int still = gate.callsInFlight();
            reopen(from);
            return rolledBack(from, target, trigger, reason, "calls in flight did not finish within "
                    + TimeUnit.NANOSECONDS.toMillis(config.drainTimeoutNanos()) + " ms (" + still
                    + " still running)", from.impl(), -1, closed, drainNanos);
        }
        S state;
        try {
            state = Objects.requireNonNull(from.service().exportState(), "exportState() returned null");
        } catch (Throwable e) {
            reopen(from);
            return rolledBack(from, target, trigger, reason, "export from " + from.impl() + " failed: " + describe(e),
                    from.impl(), -1, closed, drainNanos);
        }
        String failure = importAndVerify(target, state);
        if (failure != null) {
            reopen(from);
            return rolledBack(from, target, trigger, reason, failure, from.impl(), state.version(), closed, drainNanos);
        }
        String warning = releaseQuietly(from);
        active = target;
        status = SlotStatus.ACTIVE;
        gate.open(target.service());
        long pause = System.nanoTime() - closed;
        swapCount.incrementAndGet();
        return recorded(from, target, trigger, reason, SwapOutcome.SWAPPED, warning, target.impl(),
                state.version(), pause, drainNanos);
    }

    /** The active implementation {@code leaving} is being unregistered. */
    private SwapRecord handOver(Provider<T> leaving, String reason) {
        return boosted(() -> handOverClosed(leaving, reason));
    }

    private SwapRecord handOverClosed(Provider<T> leaving, String reason) {
        long closed = System.nanoTime();
        status = SlotStatus.SWAPPING;
        gate.closeForSwap();
        gate.drain(-1);
        long drainNanos = System.nanoTime() - closed;
        S state;
        String note = "";
        try {
            state = Objects.requireNonNull(leaving.service().exportState(), "exportState() returned null");
        } catch (Throwable e) {
            state = null;
            note = "export from " + leaving.impl() + " failed (" + describe(e)
                    + "): its state is lost; the next owner starts from the initial state";
        }
        String warning = releaseQuietly(leaving);
        if (!warning.isEmpty()) {
            note = note.isEmpty() ? warning : note + "; " + warning;
        }
        active = null;
        S toImport = state;
        if (toImport == null) {
            try {
                toImport = Objects.requireNonNull(config.initialState().get(), "initial state is null");
            } catch (Throwable e) {
                note = note + "; no initial state: " + describe(e);
            }
        }
        List<Provider<T>> candidates = new ArrayList<>(toImport == null ? List.of() : providers);
        candidates.sort(order());
        for (Provider<T> candidate : candidates) {
            String failure = importAndVerify(candidate, toImport);
            if (failure == null) {
                active = candidate;
                parked = null;
                status = SlotStatus.ACTIVE;
                gate.open(candidate.service());
                long pause = System.nanoTime() - closed;
                swapCount.incrementAndGet();
                return recorded(leaving, candidate, SwapTrigger.UNREGISTERING, reason, SwapOutcome.SWAPPED, note,
                        candidate.impl(), toImport.version(), pause, drainNanos);
            }
            rolledBack(leaving, candidate, SwapTrigger.UNREGISTERING, reason, failure, SwapRecord.PARKED_HOLDER,
                    toImport.version(), closed, drainNanos);
        }
        parked = state;
        status = SlotStatus.PARKED;
        gate.park();
        long pause = System.nanoTime() - closed;
        return recorded(leaving, null, SwapTrigger.UNREGISTERING, reason, SwapOutcome.PARKED, note,
                SwapRecord.PARKED_HOLDER, state == null ? -1 : state.version(), pause, drainNanos);
    }

    /** Imports the parked state (or the initial state) into {@code target}. */
    private SwapRecord restore(Provider<T> target, SwapTrigger trigger, String reason) {
        return boosted(() -> restoreClosed(target, trigger, reason));
    }

    private SwapRecord restoreClosed(Provider<T> target, SwapTrigger trigger, String reason) {
        long start = System.nanoTime();
        status = SlotStatus.SWAPPING;
        gate.closeForSwap();
        S state = parked;
        String note = "";
        if (state == null) {
            try {
                state = Objects.requireNonNull(config.initialState().get(), "initial state is null");
            } catch (Throwable e) {
                status = SlotStatus.PARKED;
                gate.park();
                return rolledBack(null, target, trigger, reason, "no initial state: " + describe(e),
                        SwapRecord.PARKED_HOLDER, -1, start, 0);
            }
            note = "started from the initial state";
        }
        String failure = importAndVerify(target, state);
        if (failure != null) {
            status = SlotStatus.PARKED;
            gate.park();
            return rolledBack(null, target, trigger, reason, failure, SwapRecord.PARKED_HOLDER, state.version(),
                    start, 0);
        }
        parked = null;
        active = target;
        status = SlotStatus.ACTIVE;
        gate.open(target.service());
        long pause = System.nanoTime() - start;
        swapCount.incrementAndGet();
        return recorded(null, target, trigger, reason, SwapOutcome.SWAPPED, note, target.impl(), state.version(),
                pause, 0);
    }

    /** Null if {@code target} took {@code state}; otherwise why not (and {@code target} was released). */
    private String importAndVerify(Provider<T> target, S state) {
        T impl = target.service();
        try {
            impl.importState(state);
        } catch (Throwable e) {
            return withRelease("import into " + target.impl() + " failed: " + describe(e), target);
        }
        S check;
        try {
            check = impl.exportState();
        } catch (Throwable e) {
            return withRelease("verification failed: " + target.impl() + " could not export after import: "
                    + describe(e), target);
        }
        if (!state.equals(check)) {
            return withRelease("verification failed: " + target.impl()
                    + " exports a different state than it imported", target);
        }
        return null;
    }

    private String withRelease(String failure, Provider<T> target) {
        String warning = releaseQuietly(target);
        return warning.isEmpty() ? failure : failure + "; " + warning;
    }

    /** Releases {@code p}'s state; returns a warning if that threw. */
    private static <T extends Subsystem<?>> String releaseQuietly(Provider<T> p) {
        try {
            p.service().releaseState();
            return "";
        } catch (Throwable e) {
            return "release of " + p.impl() + " failed: " + describe(e);
        }
    }

    private void reopen(Provider<T> from) {
        status = SlotStatus.ACTIVE;
        gate.open(from.service());
    }

    // ---- records -------------------------------------------------------------------------------

    private SwapRecord rolledBack(Provider<T> from, Provider<T> to, SwapTrigger trigger, String reason, String cause,
            String holder, int version, long closedAt, long drainNanos) {
        rollbackCount.incrementAndGet();
        return recorded(from, to, trigger, reason, SwapOutcome.ROLLED_BACK, cause, holder, version,
                System.nanoTime() - closedAt, drainNanos);
    }

    private SwapRecord recorded(Provider<T> from, Provider<T> to, SwapTrigger trigger, String reason,
            SwapOutcome outcome, String cause, String holder, int version, long pauseNanos, long drainNanos) {
        SwapRecord r = new SwapRecord(coordinator.nextSequence(), subsystem,
                from == null ? SwapRecord.NONE : from.impl(), from == null ? -1 : from.serviceId(),
                to == null ? SwapRecord.NONE : to.impl(), to == null ? -1 : to.serviceId(),
                trigger, reason == null ? "" : reason, outcome, cause, holder, version, pauseNanos, drainNanos,
                System.currentTimeMillis());
        history.add(r);
        lastPauseNanos = pauseNanos;
        return r;
    }

    private SwapRecord notRecorded(SwapOutcome outcome, Provider<T> from, Provider<T> to, SwapTrigger trigger,
            String cause) {
        Provider<T> a = active;
        return new SwapRecord(-1, subsystem,
                from == null ? SwapRecord.NONE : from.impl(), from == null ? -1 : from.serviceId(),
                to == null ? SwapRecord.NONE : to.impl(), to == null ? -1 : to.serviceId(),
                trigger, "", outcome, cause, a == null ? SwapRecord.PARKED_HOLDER : a.impl(), -1, 0, 0,
                System.currentTimeMillis());
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    // ---- selection ---------------------------------------------------------------------------

    private Comparator<Provider<T>> order() {
        return Provider.bestFirst(preferred);
    }

    private Optional<Provider<T>> bestNamed(String impl) {
        Provider<T> a = active;
        return providers.stream()
                .filter(p -> p.impl().equals(impl))
                .filter(p -> a == null || p.serviceId() != a.serviceId())
                .min(order());
    }

    private String availableNames() {
        List<String> names = providers.stream().sorted(order()).map(Provider::impl).distinct().toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static <T> List<Provider<T>> with(List<Provider<T>> list, Provider<T> p) {
        List<Provider<T>> out = new ArrayList<>(without(list, p.serviceId()));
        out.add(p);
        return List.copyOf(out);
    }

    private static <T> List<Provider<T>> without(List<Provider<T>> list, long serviceId) {
        return list.stream().filter(q -> q.serviceId() != serviceId).toList();
    }

    // ---- introspection ---------------------------------------------------------------------

    @Override
    public String subsystem() {
        return subsystem;
    }

    @Override
    public Class<T> contract() {
        return config.contract();
    }

    public SlotConfig<T, S> config() {
        return config;
    }

    /** Changes how long calls wait for an implementation while none is present (ConfigAdmin). */
    public void setGrace(java.time.Duration grace) {
        gate.setGraceNanos(grace.toNanos());
    }

    /** Whether an implementation owns the state or is taking it over (a call would not wait for the grace period). */
    public boolean hasImplementation() {
        SlotStatus s = status;
        return s == SlotStatus.ACTIVE || s == SlotStatus.SWAPPING;
    }

    public SlotStatus status() {
        return status;
    }

    /** The state parked while no implementation owns it (empty while one does, or before the first). */
    public Optional<S> parkedState() {
        return status == SlotStatus.PARKED ? Optional.ofNullable(parked) : Optional.empty();
    }

    /** The implementation that owns the state, if any. */
    public Optional<Provider<T>> active() {
        return Optional.ofNullable(active);
    }

    @Override
    public SlotInfo info() {
        Provider<T> a = active;
        S p = parked;
        String pref = preferred;
        List<ProviderInfo> available = providers.stream().sorted(Provider.bestFirst(pref))
                .map(q -> q.info(a != null && q.serviceId() == a.serviceId())).toList();
        return new SlotInfo(subsystem, status,
                a == null ? SwapRecord.NONE : a.impl(), a == null ? -1 : a.serviceId(), a == null ? "" : a.origin(),
                pref == null ? "" : pref, config.mandatory(), available, gate.callsInFlight(), gate.callsWaiting(),
                swapCount.get(), rollbackCount.get(), lastPauseNanos,
                status == SlotStatus.PARKED && p != null ? p.version() : -1, gate.graceNanos());
    }

    @Override
    public List<SwapRecord> history() {
        return history.snapshot();
    }
}
