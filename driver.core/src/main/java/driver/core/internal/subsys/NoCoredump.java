package driver.core.internal.subsys;

import driver.core.subsys.coredump.Coredump;
import driver.core.subsys.coredump.CoredumpSnapshot;
import driver.core.subsys.coredump.CoredumpState;
import java.util.List;

/**
 * The coredump slot's fallback: snapshots are dropped, no devcoredump class appears. Never
 * swapped in; its export and import are never called.
 */
final class NoCoredump implements Coredump {

    static final NoCoredump INSTANCE = new NoCoredump();

    @Override
    public String impl() {
        return "none";
    }

    @Override
    public CoredumpState exportState() {
        return CoredumpState.initial();
    }

    @Override
    public void importState(CoredumpState state) {
    }

    @Override
    public void releaseState() {
    }

    @Override
    public int capture(CoredumpSnapshot snapshot) {
        return -1;
    }

    @Override
    public List<DumpInfo> dumps() {
        return List.of();
    }

    @Override
    public String read(int index) {
        return "";
    }

    @Override
    public void clear(int index) {
    }

    @Override
    public String sysfsClass() {
        return "";
    }
}
