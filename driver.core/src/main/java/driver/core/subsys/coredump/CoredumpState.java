package driver.core.subsys.coredump;

import driver.core.slot.SubsystemState;
import java.util.List;

/**
 * The coredump state: the published dumps not yet cleared (with their formatted text), and the
 * next index.
 */
public record CoredumpState(int version, int nextIndex, List<Dump> dumps) implements SubsystemState {

    public static final int VERSION = 1;

    public CoredumpState {
        dumps = List.copyOf(dumps);
    }

    public static CoredumpState initial() {
        return new CoredumpState(VERSION, 0, List.of());
    }

    /** A published dump. */
    public record Dump(int index, CoredumpSnapshot snapshot, String text) {
    }
}
