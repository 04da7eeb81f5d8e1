package hw.model.internal.mmu;

import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.SparseMemory;

/**
 * GPU-side access through one address space for one unit (not thread-safe). Keeps two
 * translations on the side, the last data page and the last instruction page, each valid
 * while the AS's TLB generation is unchanged, so the command-stream interpreter's common
 * case (fetch from the ring, access one buffer) costs a compare and a memory read. Other
 * accesses look the TLB up lock-free and take the MMU's miss path (under the model lock)
 * only on a TLB miss. Scalar accesses that straddle a page are split into bytes, each
 * translated.
 */
final class AsBus implements GpuBus {

    private static final int PAGE_MASK = 0xFFF;

    private final MmuBlock mmu;
    private final MmuBlock.AddressSpace space;
    private final Tlb tlb;
    private final SparseMemory memory;
    private final int sourceId;

    private long dataVpn = -1;
    private long dataPage;
    private int dataFlags;
    private int dataGen;
    private long fetchVpn = -1;
    private long fetchPage;
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
        if ((va >>> 12) == dataVpn && dataGen == tlb.generation && off <= PAGE_MASK - 7) {
            tlb.hits++;
            return memory.read64(dataPage | off);
        }
        if (off > PAGE_MASK - 7) {
            return readBytes(va, 8, MmuBlock.ACCESS_READ);
        }
        return memory.read64(translate(va, MmuBlock.ACCESS_READ) | off);
    }

    @Override
    public int read32(long va) throws GpuFault {
        int off = (int) va & PAGE_MASK;
        if ((va >>> 12) == dataVpn && dataGen == tlb.generation && off <= PAGE_MASK - 3) {
            tlb.hits++;
            return memory.read32(dataPage | off);
        }
        if (off > PAGE_MASK - 3) {
            return (int) readBytes(va, 4, MmuBlock.ACCESS_READ);
        }
        return memory.read32(translate(va, MmuBlock.ACCESS_READ) | off);
    }

    @Override
    public void write64(long va, long value) throws GpuFault {
        int off = (int) va & PAGE_MASK;
        if ((va >>> 12) == dataVpn && dataGen == tlb.generation && off <= PAGE_MASK - 7
                && (dataFlags & PageTableWalker.PERM_WRITE) != 0) {
            tlb.hits++;
            memory.write64(dataPage | off, value);
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
        if ((va >>> 12) == dataVpn && dataGen == tlb.generation && off <= PAGE_MASK - 3
                && (dataFlags & PageTableWalker.PERM_WRITE) != 0) {
            tlb.hits++;
            memory.write32(dataPage | off, value);
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
            return memory.read64(fetchPage | off);
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
        if (access == MmuBlock.ACCESS_EXECUTE) {
            fetchVpn = vpn;
            fetchPage = e.pa;
            fetchGen = gen;
        } else {
            dataVpn = vpn;
            dataPage = e.pa;
            dataFlags = e.flags;
            dataGen = gen;
        }
        return e.pa;
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
