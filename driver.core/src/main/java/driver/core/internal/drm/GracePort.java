package driver.core.internal.drm;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import hw.model.api.VirtualTime;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link SubsystemPort} for tests, without a slot gate, whose implementation comes and goes: a call made while it is absent
 * waits up to the grace period in virtual time for one to arrive, then fails with
 * {@code ENODEV}. Grace 0 (the default) fails at once.
 */
public final class GracePort<T> implements SubsystemPort<T> {

    private final String subsystem;
    private final VirtualTime time;
    private volatile T impl;
    private volatile long graceNanos;

    public GracePort(String subsystem, VirtualTime time) {
        this.subsystem = subsystem;
        this.time = time;
    }

    public void set(T implementation) {
        this.impl = implementation;
    }

    public void clear() {
        this.impl = null;
    }

    public T current() {
        return impl;
    }

    public void setGraceNanos(long nanos) {
        this.graceNanos = Math.max(0, nanos);
    }

    @Override
    public <R> R call(Function<? super T, ? extends R> op) {
        return op.apply(acquire());
    }

    @Override
    public boolean runIfPresent(Consumer<? super T> op) {
        T t = impl;
        if (t == null) {
            return false;
        }
        op.accept(t);
        return true;
    }

    /** The implementation to call now, waiting up to the grace period; ENODEV if none came. */
    public T acquire() {
        T t = impl;
        if (t != null) {
            return t;
        }
        if (graceNanos > 0) {
            time.await(() -> impl != null, graceNanos);
            t = impl;
            if (t != null) {
                return t;
            }
        }
        throw new ErrnoException(Errno.ENODEV, subsystem + " subsystem absent");
    }
}
