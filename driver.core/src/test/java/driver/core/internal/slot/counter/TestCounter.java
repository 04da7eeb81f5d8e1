package driver.core.internal.slot.counter;

import driver.core.slot.IncompatibleStateException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A counter implementation with knobs that make its export, import or release misbehave. */
public class TestCounter implements Counter {

    private final String name;
    private final Ownership ownership;
    private final AtomicLong value = new AtomicLong();
    private volatile boolean owning;
    private volatile boolean retired;
    private volatile TestCounter previousOwner;

    public volatile boolean failImport;
    public volatile boolean corruptImport;
    public volatile boolean failExport;
    public volatile boolean failRelease;
    public volatile int acceptedVersion = CounterState.VERSION;
    /** Runs at the start of importState (e.g. to block, or to call through the slot). */
    public volatile Runnable importHook;

    public final AtomicInteger imports = new AtomicInteger();
    public final AtomicInteger exports = new AtomicInteger();
    public final AtomicInteger releases = new AtomicInteger();
    public final AtomicInteger calls = new AtomicInteger();

    public TestCounter(String name, Ownership ownership) {
        this.name = name;
        this.ownership = ownership;
    }

    @Override
    public String impl() {
        return name;
    }

    @Override
    public long increment() {
        checkUsable();
        calls.incrementAndGet();
        if (!owning || ownership.owner.get() != this) {
            ownership.violations.incrementAndGet();
        }
        return value.incrementAndGet();
    }

    @Override
    public long value() {
        checkUsable();
        return value.get();
    }

    @Override
    public CounterState exportState() {
        checkUsable();
        exports.incrementAndGet();
        if (failExport) {
            throw new IllegalStateException(name + " cannot export");
        }
        return new CounterState(CounterState.VERSION, value.get());
    }

    @Override
    public void importState(CounterState state) throws IncompatibleStateException {
        checkUsable();
        imports.incrementAndGet();
        Runnable hook = importHook;
        if (hook != null) {
            hook.run();
        }
        if (failImport) {
            throw new IncompatibleStateException(name + " refuses the state");
        }
        if (state.version() != acceptedVersion) {
            throw new IncompatibleStateException(name + " takes version " + acceptedVersion + ", not "
                    + state.version());
        }
        value.set(corruptImport ? state.value() + 1 : state.value());
        owning = true;
        previousOwner = ownership.owner.getAndSet(this);
    }

    @Override
    public void releaseState() {
        checkUsable();
        releases.incrementAndGet();
        owning = false;
        TestCounter previous = previousOwner;
        ownership.owner.compareAndSet(this, previous != null && previous.owning ? previous : null);
        previousOwner = null;
        value.set(-1_000_000);
        if (failRelease) {
            throw new IllegalStateException(name + " cannot release");
        }
    }

    public boolean owning() {
        return owning;
    }

    /** Makes the object unusable, as a stopped bundle's objects are after their deactivation. */
    public void retire() {
        retired = true;
    }

    private void checkUsable() {
        if (retired) {
            throw new IllegalStateException(name + " is retired");
        }
    }
}
