package driver.core.slot;

/** How a swap attempt ended. */
public enum SwapOutcome {
    /** The target took the state and serves calls (a swap, a hand-over or a restore). */
    SWAPPED,
    /**
     * The target did not take the state (export, import or verification failed, or the
     * calls in flight did not drain in time); the state stayed where it was: with the previous
     * implementation, exactly as before, or parked.
     */
    ROLLED_BACK,
    /** No implementation is left; the state was parked in the slot. */
    PARKED,
    /**
     * Nothing to do (the target is already active, or a wanted implementation was
     * remembered). Not recorded.
     */
    UNCHANGED,
    /**
     * The request was invalid (no such implementation, the slot is closed, or asked from
     * inside a call through a slot). Not recorded.
     */
    REFUSED
}
