package driver.core.slot;

/** What asked for a swap. */
public enum SwapTrigger {
    /** A user asked for an implementation ({@code gpu:swap}, a test, a stress run). */
    EXPLICIT,
    /** The wanted implementation was set (ConfigAdmin), or it arrived while wanted. */
    PREFERENCE,
    /** A better implementation was registered (higher ranking), or the first one arrived. */
    REGISTERED,
    /** The active implementation's service is being unregistered (bundle stop, update, uninstall). */
    UNREGISTERING,
    /** The driver is shutting down. */
    SHUTDOWN
}
