package driver.mmu.rewritten.slot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * DOC: A fixed set of hardware slots shared by occupants, Tyr's {@code slot.rs}.
 *
 * Each slot is {@link SlotState#FREE}, {@link SlotState#RESERVED} (never handed out by
 * {@link #activate}: AS0 is the MCU's, {@link #pin}ned to the MCU VM for good), or held by an occupant that is {@link SlotState#ACTIVE} (in use, never evicted)
 * or {@link SlotState#IDLE} (keeps the slot so a re-activation costs nothing, but may be
 * evicted). {@link #activate} seats an occupant by Tyr's policy: the slot it already holds,
 * else the lowest free slot, else the idle slot whose occupant was activated longest ago
 * (smallest activation sequence number), else {@link NoSlotException}. Every activation takes
 * a new sequence number from a counter owned by the manager.
 *
 * <p>The manager only keeps the books; programming the hardware for an activation or an
 * eviction is the caller's, who holds whatever lock guards both. Not thread-safe.
 *
 * @param <T> the occupant (identity equality)
 */
public final class SlotManager<T> {

    /** A slot's state. */
    public enum SlotState { FREE, RESERVED, ACTIVE, IDLE }

    /** How {@link #activate} seated the occupant. */
    public enum Placement {
        /** It already held a slot (active or idle). */
        KEPT,
        /** It took a free slot. */
        FREE_SLOT,
        /** It took an idle occupant's slot; {@link Activation#evicted()} lost it. */
        EVICTED
    }

    /** The result of {@link #activate}. */
    public record Activation<T>(int slot, Placement placement, Optional<T> evicted, boolean wasActive) {
    }

    /** A slot as seen from outside: for state export and introspection. */
    public record SlotView<T>(int slot, SlotState state, Optional<T> occupant, long activatedAt) {
    }

    /** Thrown when every slot is active or reserved. */
    public static final class NoSlotException extends Exception {
        private static final long serialVersionUID = 1L;

        NoSlotException() {
            super("every slot is active or busy", null, false, false);
        }
    }

    private final SlotState[] states;
    private final Object[] occupants;
    private final long[] activatedAt;
    private long sequence;

    /** {@code count} slots; the slots in {@code reservedMask} are never handed out. */
    public SlotManager(int count, long reservedMask) {
        states = new SlotState[count];
        occupants = new Object[count];
        activatedAt = new long[count];
        for (int i = 0; i < count; i++) {
            states[i] = (reservedMask & (1L << i)) != 0 ? SlotState.RESERVED : SlotState.FREE;
        }
    }

    public int count() {
        return states.length;
    }

    /** The slot {@code occupant} holds, active or idle. */
    public OptionalInt slotOf(T occupant) {
        for (int i = 0; i < occupants.length; i++) {
            if (occupants[i] == occupant) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    @SuppressWarnings("unchecked")
    public Optional<T> occupant(int slot) {
        return Optional.ofNullable((T) occupants[slot]);
    }

    public SlotState state(int slot) {
        return states[slot];
    }

    /**
     * Seats {@code occupant} as active (see the class comment for the policy) and returns where.
     * An evicted occupant has lost its slot when this returns.
     */
    public Activation<T> activate(T occupant) throws NoSlotException {
        return activate(occupant, 0);
    }

    /**
     * {@link #activate(Object)}, but the slots of {@code busyMask} do not change hands this
     * time: neither taken free nor evicted (their hardware is not ready to, e.g. an AS whose
     * page fault is still on its way to the driver). An occupant keeps its own slot regardless.
     */
    public Activation<T> activate(T occupant, long busyMask) throws NoSlotException {
        Objects.requireNonNull(occupant);
        OptionalInt held = slotOf(occupant);
        if (held.isPresent()) {
            int slot = held.getAsInt();
            boolean wasActive = states[slot] != SlotState.IDLE;
            if (!wasActive) {
                seat(slot, occupant);
            }
            return new Activation<>(slot, Placement.KEPT, Optional.empty(), wasActive);
        }
        for (int i = 0; i < states.length; i++) {
            if (states[i] == SlotState.FREE && (busyMask & (1L << i)) == 0) {
                seat(i, occupant);
                return new Activation<>(i, Placement.FREE_SLOT, Optional.empty(), false);
            }
        }
        int victim = -1;
        for (int i = 0; i < states.length; i++) {
            if (states[i] == SlotState.IDLE && (busyMask & (1L << i)) == 0
                    && (victim < 0 || activatedAt[i] < activatedAt[victim])) {
                victim = i;
            }
        }
        if (victim < 0) {
            throw new NoSlotException();
        }
        @SuppressWarnings("unchecked")
        T evicted = (T) occupants[victim];
        seat(victim, occupant);
        return new Activation<>(victim, Placement.EVICTED, Optional.of(evicted), false);
    }

    /** A reserved slot's permanent occupant (the MCU VM on AS0): never idle, never evicted. */
    public void pin(int slot, T occupant) {
        if (states[slot] != SlotState.RESERVED) {
            throw new IllegalStateException("slot " + slot + " is not reserved");
        }
        occupants[slot] = occupant;
    }

    private void seat(int slot, Object occupant) {
        states[slot] = SlotState.ACTIVE;
        occupants[slot] = occupant;
        activatedAt[slot] = sequence++;
    }

    /** The active {@code occupant} becomes idle, keeping its slot until evicted. */
    public void idle(T occupant) {
        slotOf(occupant).ifPresent(slot -> {
            if (states[slot] == SlotState.ACTIVE) {
                states[slot] = SlotState.IDLE;
            }
        });
    }

    /** {@code occupant} gives its slot back. */
    public void release(T occupant) {
        slotOf(occupant).ifPresent(this::free);
    }

    private void free(int slot) {
        states[slot] = SlotState.FREE;
        occupants[slot] = null;
        activatedAt[slot] = 0;
    }

    /** Every occupant loses its slot (reset, suspend); reserved slots keep theirs. */
    public void releaseAll() {
        for (int i = 0; i < states.length; i++) {
            if (states[i] != SlotState.RESERVED) {
                free(i);
            }
        }
    }

    /** Everything is forgotten, pinned occupants too. */
    public void clear() {
        releaseAll();
        for (int i = 0; i < states.length; i++) {
            occupants[i] = null;
        }
    }

    /** The activation counter (the next sequence number). */
    public long sequence() {
        return sequence;
    }

    public List<SlotView<T>> snapshot() {
        List<SlotView<T>> out = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            out.add(new SlotView<>(i, states[i], occupant(i), activatedAt[i]));
        }
        return out;
    }

    /**
     * Replaces the books: {@code slots} (any order; slots not listed are free) and the
     * activation counter. A reserved slot's occupant is pinned.
     */
    public void restore(List<SlotView<T>> slots, long nextSequence) {
        clear();
        for (SlotView<T> view : slots) {
            if (view.occupant().isEmpty()) {
                continue;
            }
            if (states[view.slot()] == SlotState.RESERVED) {
                occupants[view.slot()] = view.occupant().get();
                continue;
            }
            states[view.slot()] = view.state();
            occupants[view.slot()] = view.occupant().get();
            activatedAt[view.slot()] = view.activatedAt();
        }
        sequence = nextSequence;
    }
}
