package hw.model.internal.mmu;

import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.SparseMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GPU-side access through one address space for one unit (not thread-safe). Keeps three
 * translations on the side, two data pages (least recently used replaced) and the last shader
 * instruction page, each the page's backing array and valid while the AS's TLB generation is
 * unchanged, so the command-stream interpreter's common case (read instructions from the
 * ring, access one buffer) costs a compare and an array read. Other
 * accesses look the TLB up lock-free and take the MMU's miss path (under the model lock)
 * only on a TLB miss. Scalar accesses that straddle a page are split into bytes, each
 * translated.
 */
final class AsBus implements GpuBus {

    private static final int PAGE_MASK = 0xFFF;
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final MmuBlock mmu;
    private final MmuBlock.AddressSpace space;
    private final Tlb tlb;
    private final SparseMemory memory;
    private final int sourceId;

    // Two data ways (typically the ring being fetched and the buffer being accessed), each the
    // page's live backing array, valid while the AS's TLB generation is unchanged.
    private long vpn0 = -1;
    private byte[] page0;
    private int flags0;
    private int gen0;
    private long vpn1 = -1;
    private byte[] page1;
    private int flags1;
    private int gen1;
    private boolean lastWay1;
    private long fetchVpn = -1;
    private byte[] fetchPage;
    private int fetchGen;

    AsBus(MmuBlock mmu, MmuBlock.AddressSpace space, SparseMemory memory, int sourceId) {
        this.mmu = mmu;
        this.space = space;
        this.tlb = space.tlb;
        this.memory = memory;
        this.sourceId = sourceId;
    }

    @Override
    public int as() {
        return space.id;
    }

    @Override
    public long read64(long va) throws GpuFault {
        int off = (int) va & PAGE_MASK;
        byte[] page = cached(va >>> 12, 0);
        if (page != null && off <= PAGE_MASK - 7) {
            return (long) I64.get(page, off);
        }
        if (off > PAGE_MASK - 7) {
            return readBytes(va, 8, MmuBlock.ACCESS_READ);
        }
        return memory.read64(translate(va, MmuBlock.ACCESS_READ) | off);
    }

    @Override
    public int read32(long va) throws GpuFault {
        int off = (int) va & PAGE_MASK;
        byte[] page = cached(va >>> 12, 0);
        if (page != null && off <= PAGE_MASK - 3) {
            return (int) I32.get(page, off);
        }
        if (off > PAGE_MASK - 3) {
            return (int) readBytes(va, 4, MmuBlock.ACCESS_READ);
        }
        return memory.read32(translate(va, MmuBlock.ACCESS_READ) | off);
    }

    @Override
    public void write64(long va, long value) throws GpuFault {
        int off = (int) va & PAGE_MASK;
        byte[] page = cached(va >>> 12, PageTableWalker.PERM_WRITE);
        if (page != null && off <= PAGE_MASK - 7) {
            I64.set(page, off, value);
            return;
        }
        if (off > PAGE_MASK - 7) {
            writeBytes(va, value, 8);
            return;
        }
        memory.write64(translate(va, MmuBlock.ACCESS_WRITE) | off, value);
    }

    @Override
    public void write32(long va, int value) throws GpuFault {
        int off = (int) va & PAGE_MASK;
        byte[] page = cached(va >>> 12, PageTableWalker.PERM_WRITE);
        if (page != null && off <= PAGE_MASK - 3) {
            I32.set(page, off, value);
            return;
        }
        if (off > PAGE_MASK - 3) {
            writeBytes(va, value, 4);
            return;
        }
        memory.write32(translate(va, MmuBlock.ACCESS_WRITE) | off, value);
    }

    @Override
    public long fetch64(long va) throws GpuFault {
        int off = (int) va & PAGE_MASK;
        if ((va >>> 12) == fetchVpn && fetchGen == tlb.generation && off <= PAGE_MASK - 7) {
            tlb.hits++;
            return (long) I64.get(fetchPage, off);
        }
        if (off > PAGE_MASK - 7) {
            return readBytes(va, 8, MmuBlock.ACCESS_EXECUTE);
        }
        return memory.read64(translate(va, MmuBlock.ACCESS_EXECUTE) | off);
    }

    /** Permission flags an access needs, indexed by access type (ATOMIC, EX, READ, WRITE). */
    private static final int[] REQUIRED = {PageTableWalker.PERM_WRITE, PageTableWalker.PERM_EXEC, 0, PageTableWalker.PERM_WRITE};

    /** PA of the page holding {@code va}, checked for {@code access}; refreshes the side translation. */
    private long translate(long va, int access) throws GpuFault {
        int gen = tlb.generation;
        long vpn = va >>> 12;
        Tlb.Entry e = tlb.lookup(vpn);
        int required = REQUIRED[access];
        if (e == null || (e.flags & required) != required) {
            e = mmu.miss(space, va, access, sourceId);
            if (tlb.lookup(vpn) != e) {
                return e.pa; // not cached (locked region): do not remember it either
            }
        } else {
            tlb.hits++;
        }
        byte[] page = memory.page(e.pa);
        if (access == MmuBlock.ACCESS_EXECUTE) {
            fetchVpn = vpn;
            fetchPage = page;
            fetchGen = gen;
        } else if (lastWay1) {
            vpn0 = vpn;
            page0 = page;
            flags0 = e.flags;
            gen0 = gen;
            lastWay1 = false;
        } else {
            vpn1 = vpn;
            page1 = page;
            flags1 = e.flags;
            gen1 = gen;
            lastWay1 = true;
        }
        return e.pa;
    }

    /**
     * The backing array of data page {@code vpn} if one of the two ways holds a current
     * translation with the {@code required} permission flags; null otherwise (take the TLB path).
     */
    private byte[] cached(long vpn, int required) {
        int gen = tlb.generation;
        if (vpn == vpn0 && gen0 == gen && (flags0 & required) == required) {
            tlb.hits++;
            lastWay1 = false;
            return page0;
        }
        if (vpn == vpn1 && gen1 == gen && (flags1 & required) == required) {
            tlb.hits++;
            lastWay1 = true;
            return page1;
        }
        return null;
    }

    private long readBytes(long va, int n, int access) throws GpuFault {
        long v = 0;
        for (int i = 0; i < n; i++) {
            long a = va + i;
            v |= (memory.read8(translate(a, access) | (a & PAGE_MASK)) & 0xFFL) << (8 * i);
        }
        return v;
    }

    private void writeBytes(long va, long value, int n) throws GpuFault {
        for (int i = 0; i < n; i++) {
            long a = va + i;
            memory.write8(translate(a, MmuBlock.ACCESS_WRITE) | (a & PAGE_MASK), (byte) (value >>> (8 * i)));
        }
    }
}
