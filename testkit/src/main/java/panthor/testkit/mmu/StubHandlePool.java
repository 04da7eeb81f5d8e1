package panthor.testkit.mmu;

import driver.core.subsys.HandlePool;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.Map;
import java.util.TreeMap;

/** A handle pool like the DRM file's xarrays: the lowest free id from 1 to {@code limit}, EBUSY when full. */
public final class StubHandlePool implements HandlePool {

    private final int limit;
    private final TreeMap<Integer, Object> map = new TreeMap<>();

    public StubHandlePool(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized int alloc(Object value) {
        for (int id = 1; id <= limit; id++) {
            if (!map.containsKey(id)) {
                map.put(id, value);
                return id;
            }
        }
        throw new ErrnoException(Errno.EBUSY, "pool full");
    }

    @Override public synchronized Object get(int id) { return map.get(id); }
    @Override public synchronized Object remove(int id) { return map.remove(id); }
    @Override public synchronized Map<Integer, Object> snapshot() { return new TreeMap<>(map); }
    @Override public synchronized int size() { return map.size(); }
}
