package driver.core.slot;

/**
 * A call reached a slot that has had no implementation for the whole grace period, and the
 * subsystem has no degraded fallback. The UABI layer maps it to {@code -ENODEV}, which is
 * what Linux returns for a device whose driver is gone. Unchecked, because every call through
 * a mandatory slot can raise it and only the UABI edge handles it.
 */
public class SubsystemUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String subsystem;
    private final long waitedNanos;

    public SubsystemUnavailableException(String subsystem, long waitedNanos, String message) {
        super(message);
        this.subsystem = subsystem;
        this.waitedNanos = waitedNanos;
    }

    /** The subsystem that had no implementation, e.g. {@code mmu}. */
    public String subsystem() {
        return subsystem;
    }

    /** How long the call waited for an implementation before giving up. */
    public long waitedNanos() {
        return waitedNanos;
    }
}
