package driver.core.slot;

import java.util.List;

/**
 * A slot as the shell shows it ({@code gpu:subsystems}). A snapshot: the counters may be a few
 * calls old by the time they are printed.
 *
 * @param subsystem          e.g. {@code mmu}
 * @param status             what the slot is doing
 * @param activeImpl         the owner of the state, {@link SwapRecord#NONE} if none
 * @param activeServiceId    its service id, -1 if none
 * @param activeOrigin       its bundle, empty if none
 * @param preferredImpl      the wanted implementation, empty if none is set
 * @param mandatory          true if calls fail ({@code ENODEV}) without an implementation, false
 *                           if they fall back to a degraded default
 * @param available          every implementation the slot could use, best first
 * @param callsInFlight      calls running in the owner now
 * @param callsWaiting       calls waiting at the closed gate now
 * @param swapCount          successful swaps, hand-overs and restores so far
 * @param rollbackCount      attempts that rolled back so far
 * @param lastPauseNanos     the gate-closed time of the most recent entry, -1 if none
 * @param parkedStateVersion version of the parked state, -1 if nothing is parked
 * @param graceNanos         how long a call waits for an implementation when none is present
 */
public record SlotInfo(
        String subsystem,
        SlotStatus status,
        String activeImpl,
        long activeServiceId,
        String activeOrigin,
        String preferredImpl,
        boolean mandatory,
        List<ProviderInfo> available,
        int callsInFlight,
        int callsWaiting,
        long swapCount,
        long rollbackCount,
        long lastPauseNanos,
        int parkedStateVersion,
        long graceNanos) {

    public SlotInfo {
        available = List.copyOf(available);
    }
}
