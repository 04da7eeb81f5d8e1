package driver.core.internal.slot;

import driver.core.slot.Subsystem;
import driver.core.slot.SubsystemState;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a slot behaves.
 *
 * @param subsystem        e.g. {@code mmu}
 * @param contract         the contract interface its implementations register under
 * @param initialState     the state of an idle device, imported by the first implementation
 *                         (and after a state was lost)
 * @param fallback         the degraded default of an optional subsystem (calls run on it when no
 *                         implementation came within the grace period); null for a mandatory
 *                         subsystem, whose calls then fail with ENODEV. Never swapped in: its
 *                         export/import are never called.
 * @param graceNanos       how long a call waits for an implementation while none is present
 * @param drainTimeoutNanos how long a voluntary swap waits for calls in flight before it gives
 *                         up and rolls back. A hand-over forced by an unregistering service
 *                         waits without limit: the service must not go while a call runs in it.
 * @param historyCapacity  how many swap records the slot keeps
 */
public record SlotConfig<T extends Subsystem<S>, S extends SubsystemState>(
        String subsystem,
        Class<T> contract,
        Supplier<? extends S> initialState,
        T fallback,
        long graceNanos,
        long drainTimeoutNanos,
        int historyCapacity) {

    /** A mandatory subsystem waits this long for an implementation before calls fail with ENODEV. */
    public static final Duration DEFAULT_MANDATORY_GRACE = Duration.ofSeconds(5);
    /** An optional subsystem falls back to its degraded default at once. */
    public static final Duration DEFAULT_OPTIONAL_GRACE = Duration.ZERO;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_HISTORY = 1024;

    public SlotConfig {
        Objects.requireNonNull(subsystem);
        Objects.requireNonNull(contract);
        Objects.requireNonNull(initialState);
        if (graceNanos < 0 || drainTimeoutNanos < 0 || historyCapacity < 1) {
            throw new IllegalArgumentException("negative grace or drain timeout, or empty history");
        }
    }

    public boolean mandatory() {
        return fallback == null;
    }

    /** A mandatory subsystem: calls fail with ENODEV after the grace period without an implementation. */
    public static <T extends Subsystem<S>, S extends SubsystemState> SlotConfig<T, S> mandatory(
            String subsystem, Class<T> contract, Supplier<? extends S> initialState) {
        return new SlotConfig<>(subsystem, contract, initialState, null, DEFAULT_MANDATORY_GRACE.toNanos(),
                DEFAULT_DRAIN_TIMEOUT.toNanos(), DEFAULT_HISTORY);
    }

    /** An optional subsystem: calls run on {@code fallback} without an implementation. */
    public static <T extends Subsystem<S>, S extends SubsystemState> SlotConfig<T, S> optional(
            String subsystem, Class<T> contract, Supplier<? extends S> initialState, T fallback) {
        return new SlotConfig<>(subsystem, contract, initialState, Objects.requireNonNull(fallback),
                DEFAULT_OPTIONAL_GRACE.toNanos(), DEFAULT_DRAIN_TIMEOUT.toNanos(), DEFAULT_HISTORY);
    }

    public SlotConfig<T, S> withGrace(Duration grace) {
        return new SlotConfig<>(subsystem, contract, initialState, fallback, grace.toNanos(), drainTimeoutNanos,
                historyCapacity);
    }

    public SlotConfig<T, S> withDrainTimeout(Duration timeout) {
        return new SlotConfig<>(subsystem, contract, initialState, fallback, graceNanos, timeout.toNanos(),
                historyCapacity);
    }

    public SlotConfig<T, S> withHistory(int capacity) {
        return new SlotConfig<>(subsystem, contract, initialState, fallback, graceNanos, drainTimeoutNanos,
                capacity);
    }
}
