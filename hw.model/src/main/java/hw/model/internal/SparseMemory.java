package hw.model.internal;

import hw.model.api.PhysicalMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DOC: Physical memory.
 *
 * Sparse RAM: 4 KiB pages allocated on first touch, zero-filled, kept in a two-level table
 * indexed by page frame number. Accesses are little-endian and may straddle pages only in
 * the bulk copy methods; a scalar access that straddles a page boundary is split byte-wise.
 * Concurrent CPU and GPU accesses race exactly as they would on real RAM.
 */
public final class SparseMemory implements PhysicalMemory {

    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int L2_BITS = 14;
    private static final int L2_SIZE = 1 << L2_BITS;

    private final int paBits;
    private final long limit;
    private final byte[][][] directory;
    private final AtomicLong resident = new AtomicLong();

    public SparseMemory(int paBits) {
        this.paBits = paBits;
        this.limit = 1L << paBits;
        long pages = limit >>> PAGE_SHIFT;
        this.directory = new byte[(int) Math.max(1, pages >>> L2_BITS)][][];
    }

    @Override
    public int paBits() {
        return paBits;
    }

    /**
     * The live backing array of the 4 KiB page holding {@code pa}, allocated if needed. Pages
     * never move, so a caller may keep the array as long as it keeps the translation that led
     * to it (the MMU's per-unit translation cache does).
     */
    public byte[] page(long pa) {
        if (pa < 0 || pa >= limit) {
            throw new IllegalArgumentException(String.format("bus error: PA 0x%x beyond %d-bit physical space", pa, paBits));
        }
        long pfn = pa >>> PAGE_SHIFT;
        int hi = (int) (pfn >>> L2_BITS);
        int lo = (int) (pfn & (L2_SIZE - 1));
        byte[][] table = directory[hi];
        if (table == null) {
            synchronized (directory) {
                table = directory[hi];
                if (table == null) {
                    table = new byte[L2_SIZE][];
                    directory[hi] = table;
                }
            }
        }
        byte[] page = table[lo];
        if (page == null) {
            synchronized (table) {
                page = table[lo];
                if (page == null) {
                    page = new byte[PAGE_SIZE];
                    table[lo] = page;
                    resident.incrementAndGet();
                }
            }
        }
        return page;
    }

    @Override
    public byte read8(long pa) {
        return page(pa)[(int) (pa & (PAGE_SIZE - 1))];
    }

    @Override
    public void write8(long pa, byte value) {
        page(pa)[(int) (pa & (PAGE_SIZE - 1))] = value;
    }

    @Override
    public int read32(long pa) {
        int off = (int) (pa & (PAGE_SIZE - 1));
        if (off <= PAGE_SIZE - 4) {
            return (int) I32.get(page(pa), off);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (read8(pa + i) & 0xff) << (8 * i);
        }
        return v;
    }

    @Override
    public void write32(long pa, int value) {
        int off = (int) (pa & (PAGE_SIZE - 1));
        if (off <= PAGE_SIZE - 4) {
            I32.set(page(pa), off, value);
            return;
        }
        for (int i = 0; i < 4; i++) {
            write8(pa + i, (byte) (value >>> (8 * i)));
        }
    }

    @Override
    public long read64(long pa) {
        int off = (int) (pa & (PAGE_SIZE - 1));
        if (off <= PAGE_SIZE - 8) {
            return (long) I64.get(page(pa), off);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (read8(pa + i) & 0xffL) << (8 * i);
        }
        return v;
    }

    @Override
    public void write64(long pa, long value) {
        int off = (int) (pa & (PAGE_SIZE - 1));
        if (off <= PAGE_SIZE - 8) {
            I64.set(page(pa), off, value);
            return;
        }
        for (int i = 0; i < 8; i++) {
            write8(pa + i, (byte) (value >>> (8 * i)));
        }
    }

    @Override
    public void read(long pa, byte[] dst, int offset, int length) {
        while (length > 0) {
            int off = (int) (pa & (PAGE_SIZE - 1));
            int n = Math.min(length, PAGE_SIZE - off);
            System.arraycopy(page(pa), off, dst, offset, n);
            pa += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void write(long pa, byte[] src, int offset, int length) {
        while (length > 0) {
            int off = (int) (pa & (PAGE_SIZE - 1));
            int n = Math.min(length, PAGE_SIZE - off);
            System.arraycopy(src, offset, page(pa), off, n);
            pa += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void zero(long pa, long length) {
        while (length > 0) {
            int off = (int) (pa & (PAGE_SIZE - 1));
            int n = (int) Math.min(length, PAGE_SIZE - off);
            java.util.Arrays.fill(page(pa), off, off + n, (byte) 0);
            pa += n;
            length -= n;
        }
    }

    @Override
    public long residentPages() {
        return resident.get();
    }
}
