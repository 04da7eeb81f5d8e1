package hw.model.internal.cs;

import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.SparseMemory;
import java.util.TreeMap;

/** GpuBus with VA == PA over SparseMemory; ranges can be made to fault like unmapped or read-only pages. */
final class IdentityBus implements GpuBus {
    static final int TRANSLATION_FAULT_3 = 0xC3;
    static final int PERMISSION_FAULT_3 = 0xCB;

    final SparseMemory mem;
    private final TreeMap<Long, long[]> holes = new TreeMap<>();
    int fetches;

    IdentityBus(SparseMemory mem) {
        this.mem = mem;
    }

    /** Accesses in [va, va+len) fault with {@code type}; {@code writesOnly} models a read-only mapping. */
    void fault(long va, long len, int type, boolean writesOnly) {
        holes.put(va, new long[] {va + len, type, writesOnly ? 1 : 0});
    }

    void clearFaults() {
        holes.clear();
    }

    private void check(long va, int size, int access) throws GpuFault {
        var e = holes.floorEntry(va + size - 1);
        if (e != null && va < e.getValue()[0] && e.getKey() < va + size) {
            long[] h = e.getValue();
            if (h[2] == 0 || access == GpuFault.ACCESS_WRITE) {
                throw new GpuFault(0, Math.max(va, e.getKey()), (int) h[1], access);
            }
        }
    }

    @Override
    public int as() {
        return 0;
    }

    @Override
    public long read64(long va) throws GpuFault {
        check(va, 8, GpuFault.ACCESS_READ);
        return mem.read64(va);
    }

    @Override
    public void write64(long va, long value) throws GpuFault {
        check(va, 8, GpuFault.ACCESS_WRITE);
        mem.write64(va, value);
    }

    @Override
    public int read32(long va) throws GpuFault {
        check(va, 4, GpuFault.ACCESS_READ);
        return mem.read32(va);
    }

    @Override
    public void write32(long va, int value) throws GpuFault {
        check(va, 4, GpuFault.ACCESS_WRITE);
        mem.write32(va, value);
    }

    @Override
    public long fetch64(long va) throws GpuFault {
        fetches++;
        check(va, 8, GpuFault.ACCESS_EXECUTE);
        return mem.read64(va);
    }
}
