package driver.core.internal.slot.counter;

import driver.core.slot.SubsystemState;

/** The counter's implementation-neutral state. */
public record CounterState(int version, long value) implements SubsystemState {

    public static final int VERSION = 1;

    public static CounterState initial() {
        return new CounterState(VERSION, 0);
    }
}
