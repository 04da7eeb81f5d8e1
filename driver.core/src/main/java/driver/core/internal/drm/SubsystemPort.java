package driver.core.internal.drm;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;

/**
 * How the UABI layer reaches a subsystem (MMU, scheduler, tiler heaps) that may not be
 * present: {@link #acquire()} returns the implementation, or fails with {@code ENODEV} once the
 * subsystem has been missing for the port's grace period. The live-swap slots of driver.core
 * provide the real ports (waiting while a swap is in progress); {@link GracePort} is the plain
 * one used until they are connected, and by tests.
 */
@FunctionalInterface
public interface SubsystemPort<T> {

    /**
     * The implementation to call now.
     *
     * @throws ErrnoException {@code ENODEV} if the subsystem is absent
     */
    T acquire();

    /** A port that never has an implementation: every call is ENODEV at once. */
    static <T> SubsystemPort<T> absent(String subsystem) {
        return () -> {
            throw new ErrnoException(Errno.ENODEV, subsystem + " subsystem absent");
        };
    }

    /** A port that always has {@code impl}. */
    static <T> SubsystemPort<T> of(T impl) {
        return () -> impl;
    }
}
