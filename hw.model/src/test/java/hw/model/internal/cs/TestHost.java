package hw.model.internal.cs;

import java.util.ArrayList;
import java.util.List;

/** CsHost recording sync updates and flushes. */
final class TestHost implements CsHost {
    long coreMask = 0x1;
    long flushCycles = 100;
    boolean flushStalled;
    long timestamp = 0x1234_5678_9abcL;
    long cycleCount = 42;
    final List<String> syncUpdates = new ArrayList<>();
    final List<int[]> flushes = new ArrayList<>();
    long syncCmdPtr;

    @Override
    public long shaderCoreMask() {
        return coreMask;
    }

    @Override
    public void syncUpdated(CommandStream cs, long va, boolean is64) {
        syncUpdates.add(String.format("0x%x/%d", va, is64 ? 64 : 32));
        syncCmdPtr = cs.cmdPtr();
    }

    @Override
    public long flushCaches(CommandStream cs, int l2Mode, int lscMode, int otherMode, int latestFlushId) {
        flushes.add(new int[] {l2Mode, lscMode, otherMode, latestFlushId});
        return flushStalled ? FLUSH_STALLED : flushCycles;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public long cycleCount() {
        return cycleCount;
    }
}
