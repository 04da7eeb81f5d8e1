package driver.core.internal.slot.counter;

import driver.core.slot.Subsystem;

/** A test subsystem contract: a counter whose value is its state. */
public interface Counter extends Subsystem<CounterState> {

    /** Adds one and returns the new value. */
    long increment();

    long value();
}
