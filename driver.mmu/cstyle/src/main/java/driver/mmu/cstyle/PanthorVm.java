package driver.mmu.cstyle;

import driver.core.kernel.DmaFence;
import driver.core.kernel.GemObject;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.WorkQueue;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.VmRef;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.Errno;
import hw.model.api.PhysicalMemory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * DOC: struct panthor_vm and its io-pgtable.
 *
 * A GPU virtual address space: the VA layout (user range from 0, kernel range at the top), the
 * drm_gpuvm-like mapping tree ({@link #vas}: VA to {@link PanthorVma}) and the
 * {@code ARM_64_LPAE_S1} page tables in GPU memory, written descriptor by descriptor with
 * {@link Lpae} from pages of the driver's {@link PageAllocator}. Mappings are split in 4 KiB
 * pages and 2 MiB blocks ({@code get_pgsize()}: a block when VA and PA are 2 MiB aligned and
 * the run is physically contiguous); an unmap that covers part of a 2 MiB block splits the
 * block into a level-3 table first, as {@code arm_lpae_split_blk_unmap()} does. Page-table
 * pages are freed only with the VM (io-pgtable keeps emptied tables).
 *
 * Sparse mappings ({@code DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE}) map every 4 KiB page of their
 * range to one zeroed dummy page of the VM ({@link #dummyPage}, allocated at the first sparse
 * map, counted among the VM's page-table pages so it is adopted and freed with them). An
 * adopted VM that has no sparse mapping left may still own one: it is the one owned page no
 * table descriptor reaches (tables are never unlinked). Finding it scans the upper levels of
 * the tables, so an import only marks it unknown ({@link #dummyPageUnknown}) and the first
 * sparse map after the import looks for it: new tables are linked as they are made, so the
 * unreachable page is the same then as at the import.
 *
 * This class never touches the hardware: the AS lock/flush/unlock around a page-table update
 * is {@link PanthorMmu#vmLockRegion}/{@link PanthorMmu#vmUnlockRegion}. All fields are
 * protected by {@link #opLock} ({@code vm->op_lock}) except the {@code as*} fields, which
 * belong to {@code mmu->as.slots_lock}, and the bind queue ({@code vm->entity}), which belongs
 * to {@link #bindQueueLock}.
 */
final class PanthorVm {

    /** {@code struct panthor_vma}: one mapping of a BO range (or a kernel BO's pages). */
    static final class PanthorVma {
        long va;
        long size;
        GemObject bo;
        /** Kernel BOs: the pages themselves (bo is null). */
        long[] kernelPages;
        long boOffset;
        int flags;
        boolean kernel;

        boolean sparse() {
            return bo == null && !kernel;
        }
    }

    /**
     * {@code struct panthor_vm_bind_job}: one asynchronous VM_BIND op on the VM's bind queue,
     * prepared at the ioctl (op checked, BO looked up and its pages pinned) and executed in
     * queue order once every wait fence has signaled.
     */
    static final class PanthorVmBindJob {
        final PanthorVm vm;
        final DrmPanthorVmBindOp op;
        /** The BO a MAP holds from the ioctl until its vma takes it over (or the job fails). */
        GemObject bo;
        long[] phys;
        final List<DmaFence> waitFences = new ArrayList<>();
        DmaFence doneFence;
        long seqno;
        /** The dependency callback registered on each pending wait fence. */
        Consumer<DmaFence> depCallback;

        PanthorVmBindJob(PanthorVm vm, DrmPanthorVmBindOp op) {
            this.vm = vm;
            this.op = op;
        }
    }

    final long key;
    final VmRef ref;
    final boolean forMcu;
    int clientId;
    int handle;
    final long userVaRange;
    final long kernelVaStart;
    final long kernelVaSize;
    final int vaBits;

    final ReentrantLock opLock = new ReentrantLock();
    long pgd;
    final TreeSet<Long> ptPages = new TreeSet<>();
    final TreeMap<Long, PanthorVma> vas = new TreeMap<>();
    int refs = 1;
    boolean unusable;
    boolean unhandledFault;
    boolean destroyed;
    /** The zeroed page every sparse mapping points at, 0 until the first sparse map. */
    long dummyPage;
    /** Adopted without a sparse mapping naming the dummy page: it may be an unreachable owned page. */
    boolean dummyPageUnknown;

    /* vm->entity: the bind queue, in push order; under bindQueueLock */
    final ReentrantLock bindQueueLock = new ReentrantLock();
    final ArrayDeque<PanthorVmBindJob> bindQueue = new ArrayDeque<>();
    /** {@code dma_fence_context_alloc(1)} for the bind jobs' fences. */
    final long bindFenceContext = DmaFence.allocContext();
    long bindSeqno;
    /** The run-job work of the VM's bind queue ({@code drm_sched}'s {@code work_run_job}). */
    WorkQueue.Work bindWork;

    /* as.* : under mmu->as.slots_lock */
    int asId = -1;
    int asActiveCnt;
    long asLruOrder = -1;

    final PhysicalMemory memory;
    final PageAllocator pages;

    PanthorVm(long key, boolean forMcu, long userVaRange, long kernelVaStart, long kernelVaSize, int vaBits,
              PhysicalMemory memory, PageAllocator pages) {
        this.key = key;
        this.ref = new VmRef(key);
        this.forMcu = forMcu;
        this.userVaRange = userVaRange;
        this.kernelVaStart = kernelVaStart;
        this.kernelVaSize = kernelVaSize;
        this.vaBits = vaBits;
        this.memory = memory;
        this.pages = pages;
    }

    /** {@code alloc_pt()}: a zeroed page-table page, or 0 on ENOMEM. */
    private long allocPt() {
        long pa;
        try {
            pa = pages.allocPage();
        } catch (RuntimeException e) {
            return 0;
        }
        memory.zero(pa, PhysicalMemory.PAGE_SIZE);
        ptPages.add(pa);
        return pa;
    }

    /** Allocates the level-0 table. 0 or -ENOMEM. */
    int allocPgd() {
        pgd = allocPt();
        return pgd == 0 ? -Errno.ENOMEM : 0;
    }

    /** {@code free_io_pgtable_ops()} (the dummy page is among {@link #ptPages}). */
    void freePgtable() {
        for (long pa : ptPages) {
            pages.freePage(pa);
        }
        ptPages.clear();
        pgd = 0;
        dummyPage = 0;
        dummyPageUnknown = false;
    }

    /** The sparse mappings' dummy page, allocated and zeroed on first use. 0 on ENOMEM. */
    long getDummyPage() {
        if (dummyPageUnknown) {
            dummyPageUnknown = false;
            dummyPage = unreachableOwnedPage();
        }
        if (dummyPage == 0) {
            dummyPage = allocPt();
        }
        return dummyPage;
    }

    /**
     * The one owned page no table descriptor reaches (the dummy page of an adopted VM whose
     * sparse mappings are all gone), 0 if none. Only levels 0 to 2 are scanned: level-3
     * tables hold leaves. Each table is read in one copy.
     */
    long unreachableOwnedPage() {
        if (ptPages.isEmpty()) {
            return 0;
        }
        java.util.Set<Long> reachable = new java.util.HashSet<>();
        reachable.add(pgd);
        byte[] table = new byte[(int) Lpae.SZ_4K];
        java.nio.LongBuffer entries = java.nio.ByteBuffer.wrap(table).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer();
        List<Long> level = List.of(pgd);
        for (int lvl = Lpae.startLevel(vaBits); lvl < Lpae.MAX_LEVELS - 1; lvl++) {
            List<Long> next = new ArrayList<>();
            for (long pa : level) {
                memory.read(pa, table, 0, table.length);
                for (int i = 0; i < Lpae.ENTRIES_PER_TABLE; i++) {
                    long pte = entries.get(i);
                    if (Lpae.isTable(pte, lvl)) {
                        next.add(Lpae.address(pte));
                    }
                }
            }
            reachable.addAll(next);
            level = next;
        }
        for (long pa : ptPages) {
            if (!reachable.contains(pa)) {
                return pa;
            }
        }
        return 0;
    }

    static int protFromFlags(int flags) {
        int prot = Lpae.IOMMU_READ;
        if ((flags & PanthorMmu.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY) == 0) {
            prot |= Lpae.IOMMU_WRITE;
        }
        if ((flags & PanthorMmu.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) != 0) {
            prot |= Lpae.IOMMU_NOEXEC;
        }
        if ((flags & PanthorMmu.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED) == 0) {
            prot |= Lpae.IOMMU_CACHE;
        }
        return prot;
    }

    /**
     * {@code __arm_lpae_map()} for one leaf: walks from the start level, allocating missing
     * tables, and writes a leaf of {@code pgsize} (4 KiB or 2 MiB). 0 or negative errno.
     */
    private int lpaeMap(long va, long pa, long pgsize, int prot) {
        int leafLevel = pgsize == Lpae.SZ_2M ? 2 : 3;
        long table = pgd;
        for (int level = Lpae.startLevel(vaBits); level < leafLevel; level++) {
            long slot = table + 8L * Lpae.index(va, level);
            long pte = memory.read64(slot);
            if (!Lpae.isValid(pte)) {
                long next = allocPt();
                if (next == 0) {
                    return -Errno.ENOMEM;
                }
                memory.write64(slot, Lpae.table(next));
                table = next;
            } else if (Lpae.isTable(pte, level)) {
                table = Lpae.address(pte);
            } else {
                return -Errno.EEXIST;
            }
        }
        long slot = table + 8L * Lpae.index(va, leafLevel);
        if (Lpae.isValid(memory.read64(slot))) {
            return -Errno.EEXIST;
        }
        memory.write64(slot, Lpae.leaf(pa, prot, leafLevel));
        return 0;
    }

    /**
     * {@code __arm_lpae_unmap()} of one 4 KiB page or one whole 2 MiB block at {@code va}:
     * a page inside a block splits the block ({@code arm_lpae_split_blk_unmap()}).
     * Returns the bytes unmapped (4 KiB or 2 MiB), 0 if nothing was mapped, or -ENOMEM.
     */
    private long lpaeUnmap(long va, long maxSize) {
        long table = pgd;
        for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS; level++) {
            long slot = table + 8L * Lpae.index(va, level);
            long pte = memory.read64(slot);
            if (!Lpae.isValid(pte)) {
                return 0;
            }
            if (Lpae.isTable(pte, level)) {
                table = Lpae.address(pte);
                continue;
            }
            long blockSize = Lpae.blockSize(level);
            if (level == Lpae.MAX_LEVELS - 1 || ((va & (blockSize - 1)) == 0 && maxSize >= blockSize)) {
                memory.write64(slot, 0);
                return blockSize;
            }
            /* arm_lpae_split_blk_unmap(): replace the block by a table of the next level. */
            long next = allocPt();
            if (next == 0) {
                return -Errno.ENOMEM;
            }
            long childSize = Lpae.blockSize(level + 1);
            long attrs = pte & ~Lpae.PTE_ADDR_MASK & ~Lpae.PTE_TYPE_MASK;
            long type = level + 1 == Lpae.MAX_LEVELS - 1 ? Lpae.PTE_TYPE_PAGE : Lpae.PTE_TYPE_BLOCK;
            long base = Lpae.address(pte);
            for (int i = 0; i < Lpae.ENTRIES_PER_TABLE; i++) {
                memory.write64(next + 8L * i, attrs | type | ((base + i * childSize) & Lpae.PTE_ADDR_MASK));
            }
            memory.write64(slot, Lpae.table(next));
            table = next;
        }
        return 0;
    }

    /**
     * {@code panthor_vm_map_pages()}: maps {@code size} bytes of {@code phys} (one PA per 4 KiB
     * page) at {@code va}, 2 MiB blocks where VA and PA allow. On failure what was mapped is
     * unmapped again. 0 or negative errno.
     */
    int vmMapPages(long va, int prot, long[] phys, int firstPage, long size) {
        long done = 0;
        long l3Region = -1;
        long l3 = 0;
        while (done < size) {
            int page = firstPage + (int) (done / Lpae.SZ_4K);
            long pa = phys[page];
            long cur = va + done;
            int ret;
            if ((cur & (Lpae.SZ_2M - 1)) == 0 && (pa & (Lpae.SZ_2M - 1)) == 0
                    && size - done >= Lpae.SZ_2M && contiguous(phys, page, (int) (Lpae.SZ_2M / Lpae.SZ_4K))) {
                ret = lpaeMap(cur, pa, Lpae.SZ_2M, prot);
                done += Lpae.SZ_2M;
            } else {
                /* 4 KiB leaves: the level-3 table is walked to once per 2 MiB region */
                if (cur >>> 21 != l3Region) {
                    l3 = lpaeWalkToL3(cur);
                    l3Region = cur >>> 21;
                }
                ret = l3 == 0 ? -Errno.ENOMEM : l3 < 0 ? -Errno.EEXIST : lpaeMapLeaf(l3, cur, pa, prot);
                done += Lpae.SZ_4K;
            }
            if (ret != 0) {
                vmUnmapPages(va, cur - va);
                return ret;
            }
        }
        return 0;
    }

    /**
     * The level-3 table covering {@code va}, tables allocated on the way as
     * {@code __arm_lpae_map()} does; 0 on ENOMEM, -1 if a block mapping is in the way.
     */
    private long lpaeWalkToL3(long va) {
        long table = pgd;
        for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS - 1; level++) {
            long slot = table + 8L * Lpae.index(va, level);
            long pte = memory.read64(slot);
            if (!Lpae.isValid(pte)) {
                long next = allocPt();
                if (next == 0) {
                    return 0;
                }
                memory.write64(slot, Lpae.table(next));
                table = next;
            } else if (Lpae.isTable(pte, level)) {
                table = Lpae.address(pte);
            } else {
                return -1;
            }
        }
        return table;
    }

    /** One 4 KiB leaf in level-3 table {@code l3}; -EEXIST if the slot is taken. */
    private int lpaeMapLeaf(long l3, long va, long pa, int prot) {
        long slot = l3 + 8L * Lpae.index(va, Lpae.MAX_LEVELS - 1);
        if (Lpae.isValid(memory.read64(slot))) {
            return -Errno.EEXIST;
        }
        memory.write64(slot, Lpae.leaf(pa, prot, Lpae.MAX_LEVELS - 1));
        return 0;
    }

    /** The level-3 table covering {@code va} if there is one (no allocation), else 0. */
    private long lpaeFindL3(long va) {
        long table = pgd;
        for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS - 1; level++) {
            long pte = memory.read64(table + 8L * Lpae.index(va, level));
            if (!Lpae.isTable(pte, level)) {
                return 0;
            }
            table = Lpae.address(pte);
        }
        return table;
    }

    /**
     * Sparse map: every 4 KiB page of [va, va + size) points at {@code dummy} ("mapped over a
     * dummy object in a cyclic fashion"). On failure what was mapped is unmapped again.
     */
    int vmMapSparse(long va, int prot, long dummy, long size) {
        long l3Region = -1;
        long l3 = 0;
        for (long done = 0; done < size; done += Lpae.SZ_4K) {
            long cur = va + done;
            if (cur >>> 21 != l3Region) {
                l3 = lpaeWalkToL3(cur);
                l3Region = cur >>> 21;
            }
            int ret = l3 == 0 ? -Errno.ENOMEM : l3 < 0 ? -Errno.EEXIST : lpaeMapLeaf(l3, cur, dummy, prot);
            if (ret != 0) {
                vmUnmapPages(va, done);
                return ret;
            }
        }
        return 0;
    }

    private static boolean contiguous(long[] phys, int first, int count) {
        for (int i = 1; i < count; i++) {
            if (phys[first + i] != phys[first] + i * Lpae.SZ_4K) {
                return false;
            }
        }
        return true;
    }

    /** {@code panthor_vm_unmap_pages()}. 0 or -ENOMEM (a block split could not get a table). */
    int vmUnmapPages(long va, long size) {
        long done = 0;
        while (done < size) {
            long cur = va + done;
            long l3 = lpaeFindL3(cur);
            if (l3 != 0) {
                /* the pages of this 2 MiB region sit in one level-3 table: clear them in a row */
                long regionEnd = (cur | (Lpae.SZ_2M - 1)) + 1;
                long end = Math.min(va + size, regionEnd);
                for (long p = cur; p < end; p += Lpae.SZ_4K) {
                    memory.write64(l3 + 8L * Lpae.index(p, Lpae.MAX_LEVELS - 1), 0);
                }
                done += end - cur;
                continue;
            }
            long ret = lpaeUnmap(cur, size - done);
            if (ret < 0) {
                return (int) ret;
            }
            done += ret == 0 ? Lpae.SZ_4K : ret;
        }
        return 0;
    }

    /** The vmas overlapping [va, va + size), by VA. */
    List<PanthorVma> findOverlaps(long va, long size) {
        List<PanthorVma> out = new ArrayList<>();
        Map.Entry<Long, PanthorVma> floor = vas.floorEntry(va);
        Iterator<PanthorVma> it = (floor != null ? vas.tailMap(floor.getKey(), true) : vas.tailMap(va, true))
                .values().iterator();
        while (it.hasNext()) {
            PanthorVma vma = it.next();
            if (vma.va >= va + size) {
                break;
            }
            if (vma.va + vma.size > va) {
                out.add(vma);
            }
        }
        return out;
    }

    long mappedBytes() {
        long sum = 0;
        for (PanthorVma vma : vas.values()) {
            sum += vma.size;
        }
        return sum;
    }
}
