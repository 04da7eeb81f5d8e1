package hw.model.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * DOC: Event trace.
 *
 * Every externally visible hardware event (register side effects, IRQ edges, firmware
 * acknowledgements, command completions, faults) is recorded with the virtual time at which
 * it happened. The trace keeps a running FNV-1a hash of all records and the last few records
 * in text form; two deterministic runs of the same scenario must produce the same hash.
 */
public final class EventTrace {

    private static final int KEEP = 256;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final ArrayDeque<Entry> recent = new ArrayDeque<>();
    private long hash = FNV_OFFSET;
    private long count;
    private java.util.function.LongSupplier time = () -> 0L;

    void clock(java.util.function.LongSupplier now) {
        this.time = now;
    }

    public synchronized void record(String kind, long... args) {
        long t = time.getAsLong();
        mix(t);
        for (int i = 0; i < kind.length(); i++) {
            mixByte(kind.charAt(i));
        }
        for (long a : args) {
            mix(a);
        }
        count++;
        if (recent.size() == KEEP) {
            recent.removeFirst();
        }
        recent.addLast(new Entry(t, kind, args));
    }

    public synchronized long hash() {
        return hash;
    }

    public synchronized long count() {
        return count;
    }

    public synchronized List<String> recent(int n) {
        List<String> out = new ArrayList<>();
        int skip = Math.max(0, recent.size() - n);
        for (Entry e : recent) {
            if (skip-- <= 0) {
                out.add(e.text());
            }
        }
        return out;
    }

    /** One recorded event; formatted only when someone reads the trace. */
    private record Entry(long time, String kind, long[] args) {
        String text() {
            StringBuilder sb = new StringBuilder().append(time).append(' ').append(kind);
            for (long a : args) {
                sb.append(" 0x").append(Long.toHexString(a));
            }
            return sb.toString();
        }
    }

    private void mix(long v) {
        for (int i = 0; i < 8; i++) {
            mixByte((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private void mixByte(int b) {
        hash ^= b;
        hash *= FNV_PRIME;
    }
}
