package driver.core.internal.drm;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A per-file id table as {@code idr_alloc(min, 0)} / {@code xa_alloc(XA_LIMIT(min, max))}:
 * ids are the lowest free value in {@code [min, max]}; a full table is {@code EBUSY} for an
 * xarray with a limit (VM and group pools) and {@code ENOSPC} for an unbounded idr. Thread-safe.
 */
public final class HandleTable<T> {

    private final int min;
    private final int max;
    private final int fullErrno;
    private final TreeMap<Integer, T> entries = new TreeMap<>();
    private int firstFree;

    private HandleTable(int min, int max, int fullErrno) {
        this.min = min;
        this.max = max;
        this.fullErrno = fullErrno;
        this.firstFree = min;
    }

    /** An idr starting at 1 with no limit (GEM handles, syncobj handles). */
    public static <T> HandleTable<T> idr() {
        return new HandleTable<>(1, Integer.MAX_VALUE, Errno.ENOSPC);
    }

    /** An xarray allocating in {@code [1, max]} (PANTHOR_MAX_VMS_PER_FILE, MAX_GROUPS_PER_POOL). */
    public static <T> HandleTable<T> limited(int max) {
        return new HandleTable<>(1, max, Errno.EBUSY);
    }

    /** Stores {@code value} under the lowest free id; the id. */
    public synchronized int alloc(T value) {
        int id = firstFree;
        while (id <= max && entries.containsKey(id)) {
            id++;
        }
        if (id > max || id < min) {
            throw new ErrnoException(fullErrno, "id table full");
        }
        entries.put(id, value);
        firstFree = id + 1;
        return id;
    }

    public synchronized T get(int id) {
        return entries.get(id);
    }

    public synchronized T remove(int id) {
        T v = entries.remove(id);
        if (v != null && id < firstFree) {
            firstFree = id;
        }
        return v;
    }

    /** Removes and returns every entry, lowest id first. */
    public synchronized List<Map.Entry<Integer, T>> drain() {
        List<Map.Entry<Integer, T>> all = new ArrayList<>(entries.entrySet());
        entries.clear();
        firstFree = min;
        return all;
    }

    public synchronized Map<Integer, T> snapshot() {
        return new TreeMap<>(entries);
    }

    public synchronized int size() {
        return entries.size();
    }

    public int maxId() {
        return max;
    }
}
