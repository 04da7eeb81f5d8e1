package driver.core.slot;

/**
 * Thrown by {@link Subsystem#importState} when an implementation cannot take a state: an
 * unknown {@link SubsystemState#version() version}, a feature it does not implement, or
 * content it finds inconsistent. The implementation must have changed nothing shared (GPU
 * memory, registers, timers) when it throws; the slot then rolls the swap back.
 */
public class IncompatibleStateException extends Exception {

    private static final long serialVersionUID = 1L;

    public IncompatibleStateException(String message) {
        super(message);
    }

    public IncompatibleStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
