package driver.core.slot;

import java.util.Objects;

/**
 * One entry of a slot's swap history: a swap, a hand-over, a restore of a parked state, a
 * parking, or a rolled-back attempt.
 *
 * @param sequence        increasing over all slots of the driver
 * @param subsystem       e.g. {@code mmu}
 * @param fromImpl        the implementation that owned the state before, {@link #NONE} if it was parked
 * @param fromServiceId   its service id, -1 if none
 * @param toImpl          the target, {@link #NONE} when the state was parked
 * @param toServiceId     its service id, -1 if none
 * @param trigger         what asked for it
 * @param reason          who asked and why, in words (e.g. "gpu:swap", "bundle driver.mmu.cstyle stopping")
 * @param outcome         how it ended
 * @param cause           why it rolled back, or a warning on a successful swap; empty if none
 * @param stateHolder     who owns the state after this entry: an implementation, or {@link #PARKED_HOLDER}
 * @param stateVersion    {@link SubsystemState#version()} of the state moved, -1 if no state was moved
 * @param pauseNanos      how long the gate was closed for this entry, in host nanoseconds
 *                        ({@code System.nanoTime}): the time calls were held. For a restore, only
 *                        the import and verification; the time the state spent parked is not pause.
 * @param drainNanos      the part of the pause spent waiting for calls in flight to finish
 * @param wallClockMillis when it happened ({@code System.currentTimeMillis}, for display only)
 */
public record SwapRecord(
        long sequence,
        String subsystem,
        String fromImpl,
        long fromServiceId,
        String toImpl,
        long toServiceId,
        SwapTrigger trigger,
        String reason,
        SwapOutcome outcome,
        String cause,
        String stateHolder,
        int stateVersion,
        long pauseNanos,
        long drainNanos,
        long wallClockMillis) {

    /** Stands for "no implementation" in {@link #fromImpl} and {@link #toImpl}. */
    public static final String NONE = "-";

    /** {@link #stateHolder} when the state is parked in the slot. */
    public static final String PARKED_HOLDER = "(parked)";

    public SwapRecord {
        Objects.requireNonNull(subsystem);
        Objects.requireNonNull(fromImpl);
        Objects.requireNonNull(toImpl);
        Objects.requireNonNull(trigger);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(cause);
        Objects.requireNonNull(stateHolder);
    }

    /** Whether the target took the state. */
    public boolean succeeded() {
        return outcome == SwapOutcome.SWAPPED;
    }

    /** One line for the shell: {@code #12 mmu cstyle -> rewritten EXPLICIT SWAPPED pause=41us (gpu:swap)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder()
                .append('#').append(sequence).append(' ').append(subsystem).append(' ')
                .append(fromImpl).append(" -> ").append(toImpl).append(' ')
                .append(trigger).append(' ').append(outcome)
                .append(" pause=").append(pauseNanos / 1000).append("us");
        if (!reason.isEmpty()) {
            sb.append(" (").append(reason).append(')');
        }
        if (!cause.isEmpty()) {
            sb.append(": ").append(cause);
        }
        return sb.toString();
    }
}
