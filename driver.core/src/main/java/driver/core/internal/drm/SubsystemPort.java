package driver.core.internal.drm;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How the UABI layer reaches a subsystem (MMU, scheduler, tiler heaps) that may not be
 * present. Call-through: the port runs the operation inside the subsystem's slot
 * ({@code slot.call(...)}), so a swap drains it and it never runs on an implementation that
 * lost its state. A port fails with {@code ENODEV} once the subsystem has been missing for its
 * grace period. The driver core's slots provide the ports ({@link SlotPort}); tests use
 * {@link #of} and {@link #absent}.
 */
public interface SubsystemPort<T> {

    /**
     * Runs {@code op} on the implementation and returns its result; exceptions thrown by
     * {@code op} pass unchanged.
     *
     * @throws ErrnoException {@code ENODEV} if the subsystem is absent
     */
    <R> R call(Function<? super T, ? extends R> op);

    /** {@link #call} without a result. */
    default void run(Consumer<? super T> op) {
        call(t -> {
            op.accept(t);
            return null;
        });
    }

    /**
     * Runs {@code op} only if an implementation is there now, without waiting for one
     * (postclose must not wait a grace period). Returns whether it ran.
     */
    boolean runIfPresent(Consumer<? super T> op);

    /** A port that never has an implementation: every call is ENODEV at once. */
    static <T> SubsystemPort<T> absent(String subsystem) {
        return new SubsystemPort<>() {
            @Override
            public <R> R call(Function<? super T, ? extends R> op) {
                throw new ErrnoException(Errno.ENODEV, subsystem + " subsystem absent");
            }

            @Override
            public boolean runIfPresent(Consumer<? super T> op) {
                return false;
            }
        };
    }

    /** A port that always has {@code impl}. */
    static <T> SubsystemPort<T> of(T impl) {
        return new SubsystemPort<>() {
            @Override
            public <R> R call(Function<? super T, ? extends R> op) {
                return op.apply(impl);
            }

            @Override
            public boolean runIfPresent(Consumer<? super T> op) {
                op.accept(impl);
                return true;
            }
        };
    }
}
