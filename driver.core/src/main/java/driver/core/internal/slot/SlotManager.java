package driver.core.internal.slot;

import driver.core.slot.SlotInfo;
import driver.core.slot.Subsystem;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemSlots;
import driver.core.slot.SubsystemState;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;

/**
 * DOC: The driver's slots.
 *
 * Creates the slots of one driver on a shared {@link SwapCoordinator} (one swap at a time,
 * one sequence of records) and, once given a {@link BundleContext}, a
 * {@link SubsystemTracker} per slot. Shutting down closes the slots first, so the trackers'
 * final removals do not hand over or park anything.
 */
public final class SlotManager implements SubsystemSlots {

    private final SwapCoordinator coordinator = new SwapCoordinator();
    private final Map<String, GatedSubsystemSlot<?, ?>> bySubsystem = new ConcurrentHashMap<>();
    private final List<GatedSubsystemSlot<?, ?>> inOrder = new CopyOnWriteArrayList<>();
    private final List<SubsystemTracker<?, ?>> trackers = new ArrayList<>();
    private BundleContext context;
    private boolean closed;

    /** Creates the slot of a subsystem; tracks its implementations if {@link #track} was called. */
    public synchronized <T extends Subsystem<S>, S extends SubsystemState> GatedSubsystemSlot<T, S> create(
            SlotConfig<T, S> config) {
        if (closed) {
            throw new IllegalStateException("slot manager closed");
        }
        if (bySubsystem.containsKey(config.subsystem())) {
            throw new IllegalArgumentException("a slot for " + config.subsystem() + " exists already");
        }
        GatedSubsystemSlot<T, S> slot = new GatedSubsystemSlot<>(config, coordinator);
        bySubsystem.put(config.subsystem(), slot);
        inOrder.add(slot);
        if (context != null) {
            openTracker(slot);
        }
        return slot;
    }

    /** Starts following the implementations registered in {@code context}'s framework. */
    public synchronized void track(BundleContext context) {
        if (this.context != null) {
            throw new IllegalStateException("already tracking");
        }
        this.context = context;
        for (GatedSubsystemSlot<?, ?> slot : inOrder) {
            openTracker(slot);
        }
    }

    private <T extends Subsystem<S>, S extends SubsystemState> void openTracker(GatedSubsystemSlot<T, S> slot) {
        SubsystemTracker<T, S> tracker = new SubsystemTracker<>(context, slot);
        trackers.add(tracker);
        tracker.open();
    }

    /** Closes every slot (calls fail from now on), then stops tracking. */
    public synchronized void close() {
        closed = true;
        for (GatedSubsystemSlot<?, ?> slot : inOrder) {
            slot.close();
        }
        for (SubsystemTracker<?, ?> t : trackers) {
            t.close();
        }
        trackers.clear();
    }

    @SuppressWarnings("unchecked")
    public <T extends Subsystem<S>, S extends SubsystemState> Optional<GatedSubsystemSlot<T, S>> slot(
            String subsystem, Class<T> contract) {
        GatedSubsystemSlot<?, ?> s = bySubsystem.get(subsystem);
        if (s == null || s.contract() != contract) {
            return Optional.empty();
        }
        return Optional.of((GatedSubsystemSlot<T, S>) s);
    }

    @Override
    public List<SlotInfo> slots() {
        return inOrder.stream().map(GatedSubsystemSlot::info).toList();
    }

    @Override
    public Optional<SubsystemSlot<?, ?>> slot(String subsystem) {
        return Optional.ofNullable(bySubsystem.get(subsystem));
    }

    @Override
    public SwapRecord swap(String subsystem, String impl, SwapTrigger trigger, String reason) {
        GatedSubsystemSlot<?, ?> s = bySubsystem.get(subsystem);
        return s == null ? unknown(subsystem, trigger) : s.swapTo(impl, trigger, reason);
    }

    @Override
    public SwapRecord setPreferred(String subsystem, String impl, String reason) {
        GatedSubsystemSlot<?, ?> s = bySubsystem.get(subsystem);
        return s == null ? unknown(subsystem, SwapTrigger.PREFERENCE) : s.setPreferred(impl, reason);
    }

    @Override
    public List<SwapRecord> history() {
        List<SwapRecord> all = new ArrayList<>();
        for (GatedSubsystemSlot<?, ?> s : inOrder) {
            all.addAll(s.history());
        }
        all.sort(Comparator.comparingLong(SwapRecord::sequence));
        return all;
    }

    private SwapRecord unknown(String subsystem, SwapTrigger trigger) {
        return new SwapRecord(-1, subsystem, SwapRecord.NONE, -1, SwapRecord.NONE, -1, trigger, "",
                SwapOutcome.REFUSED, "no subsystem " + subsystem + " (known: " + String.join(", ", bySubsystem.keySet())
                        + ")", SwapRecord.NONE, -1, 0, 0, System.currentTimeMillis());
    }
}
