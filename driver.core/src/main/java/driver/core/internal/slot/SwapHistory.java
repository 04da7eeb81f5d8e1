package driver.core.internal.slot;

import driver.core.slot.SwapRecord;
import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} swap records of a slot, oldest first. */
final class SwapHistory {

    private final SwapRecord[] ring;
    private long added;

    SwapHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1");
        }
        this.ring = new SwapRecord[capacity];
    }

    synchronized void add(SwapRecord r) {
        ring[(int) (added % ring.length)] = r;
        added++;
    }

    synchronized List<SwapRecord> snapshot() {
        int n = (int) Math.min(added, ring.length);
        List<SwapRecord> out = new ArrayList<>(n);
        for (long i = added - n; i < added; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    synchronized SwapRecord last() {
        return added == 0 ? null : ring[(int) ((added - 1) % ring.length)];
    }
}
