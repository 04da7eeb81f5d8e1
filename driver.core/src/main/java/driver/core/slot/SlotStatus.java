package driver.core.slot;

/** What a slot is doing. */
public enum SlotStatus {
    /** An implementation owns the state; the gate is open. */
    ACTIVE,
    /** The gate is closed for a swap, a hand-over or a restore; new calls wait. */
    SWAPPING,
    /** No implementation owns the state; it is parked in the slot and calls wait up to the grace period. */
    PARKED,
    /** The slot was shut down with the driver; calls fail at once. */
    CLOSED
}
