package driver.core.internal.slot.counter;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which counter implementation owns the state (the one that imported it last and has not
 * released it). A call that reaches any other implementation is a violation: it would work on
 * a stale or half-swapped state.
 */
public final class Ownership {

    final AtomicReference<TestCounter> owner = new AtomicReference<>();
    final AtomicInteger violations = new AtomicInteger();

    public int violations() {
        return violations.get();
    }

    public TestCounter owner() {
        return owner.get();
    }
}
