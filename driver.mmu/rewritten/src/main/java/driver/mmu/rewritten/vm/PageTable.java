package driver.mmu.rewritten.vm;

import driver.core.kernel.PageAllocator;
import driver.core.kernel.pgtable.Lpae;
import driver.mmu.rewritten.MmuError;
import hw.model.api.PhysicalMemory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * DOC: A VM's page tables in GPU memory (io-pgtable {@code ARM_64_LPAE_S1}, as Tyr configures it).
 *
 * Descriptors come from the shared {@link Lpae} encoder. Runs are mapped with 2 MiB blocks where
 * VA and PA are 2 MiB aligned and the pages are physically contiguous, else 4 KiB pages; an
 * unmap of part of a block first splits it into a table of pages. Tables are allocated on
 * demand, one page each, and kept until the VM is released (io-pgtable never frees an emptied
 * table), so the page tables and the pages they take are exactly those of the C-style MMU for
 * the same sequence of operations.
 *
 * <p>The sparse mappings' dummy page is owned like a table page. An adopted table with no sparse
 * mapping left to name it may still own one: the one owned page no descriptor reaches. Finding
 * it reads the upper levels of the tables, so adoption only notes that it is unknown and the
 * first sparse map looks for it ({@link #adoptUnreachableDummyPage}); tables are linked as they
 * are made and never unlinked, so the unreachable page is the same then as at the adoption.
 *
 * <p>Never touches the MMU: the caller holds the region lock around an update.
 */
public final class PageTable {

    /** A translation: the leaf's level and descriptor and the physical address of the VA. */
    public record Translation(int level, long descriptor, long physicalAddress) {
    }

    /** One step of a walk, for introspection. */
    public record Step(int level, long tableAddress, int index, long descriptor) {
    }

    private final PhysicalMemory memory;
    private final PageAllocator pages;
    private final int vaBits;
    private final TreeSet<Long> tablePages = new TreeSet<>();
    private final long root;
    private long dummyPage;
    /** Adopted with no sparse mapping naming the dummy page: look for an unreachable owned page first. */
    private boolean dummyPageUnknown;

    private PageTable(PhysicalMemory memory, PageAllocator pages, int vaBits, long root, Collection<Long> adopted) {
        this.memory = memory;
        this.pages = pages;
        this.vaBits = vaBits;
        this.root = root;
        tablePages.addAll(adopted);
    }

    /** A fresh, empty level-0 table. */
    public static PageTable create(PhysicalMemory memory, PageAllocator pages, int vaBits) {
        long root = allocateTable(memory, pages);
        return new PageTable(memory, pages, vaBits, root, List.of(root));
    }

    /** Page tables that already exist in GPU memory: nothing is written. */
    public static PageTable adopt(PhysicalMemory memory, PageAllocator pages, int vaBits, long root,
                                  Collection<Long> tablePages) {
        return new PageTable(memory, pages, vaBits, root, tablePages);
    }

    private static long allocateTable(PhysicalMemory memory, PageAllocator pages) {
        long pa;
        try {
            pa = pages.allocPage();
        } catch (RuntimeException e) {
            throw new MmuError(MmuError.Kind.OUT_OF_MEMORY, "no page for a page table");
        }
        memory.zero(pa, PhysicalMemory.PAGE_SIZE);
        return pa;
    }

    private long newTable() {
        long pa = allocateTable(memory, pages);
        tablePages.add(pa);
        return pa;
    }

    public long root() {
        return root;
    }

    /** Every page this VM's tables take, sorted. */
    public List<Long> tablePages() {
        return new ArrayList<>(tablePages);
    }

    public int tablePageCount() {
        return tablePages.size();
    }

    /** Frees every table page (and the dummy page). The table must not be used afterwards. */
    public void release() {
        for (long pa : tablePages) {
            pages.freePage(pa);
        }
        tablePages.clear();
        dummyPage = 0;
        dummyPageUnknown = false;
    }

    /** The sparse mappings' zeroed dummy page, allocated on first use and owned like a table page. */
    private long dummyPage() {
        if (dummyPageUnknown) {
            dummyPageUnknown = false;
            dummyPage = unreachableOwnedPage();
        }
        if (dummyPage == 0) {
            dummyPage = newTable();
        }
        return dummyPage;
    }

    /**
     * After adoption: if no sparse mapping named the dummy page, it is the one owned page no
     * table descriptor reaches (tables are never unlinked), which the first sparse map looks
     * for; this finds it even when no sparse mapping is left to name it.
     */
    public void adoptUnreachableDummyPage() {
        dummyPageUnknown = dummyPage == 0 && !tablePages.isEmpty();
    }

    /** The one owned page no table descriptor reaches, 0 if none. Each table is read in one copy. */
    private long unreachableOwnedPage() {
        java.util.Set<Long> unreached = new java.util.HashSet<>(tablePages);
        unreached.remove(root);
        byte[] table = new byte[PhysicalMemory.PAGE_SIZE];
        java.nio.LongBuffer entries = java.nio.ByteBuffer.wrap(table).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer();
        java.util.ArrayDeque<long[]> todo = new java.util.ArrayDeque<>();
        todo.add(new long[] {root, startLevel()});
        while (!todo.isEmpty()) {
            long[] t = todo.poll();
            int level = (int) t[1];
            if (level >= Lpae.MAX_LEVELS - 1) {
                continue;
            }
            memory.read(t[0], table, 0, table.length);
            for (int i = 0; i < Lpae.ENTRIES_PER_TABLE; i++) {
                long pte = entries.get(i);
                if (Lpae.isTable(pte, level)) {
                    unreached.remove(Lpae.address(pte));
                    todo.add(new long[] {Lpae.address(pte), level + 1});
                }
            }
        }
        return unreached.size() == 1 ? unreached.iterator().next() : 0;
    }

    /** An adopted sparse mapping names the dummy page (it is among the adopted table pages). */
    public void adoptDummyPage(long pa) {
        if (dummyPage == 0) {
            dummyPage = pa;
        }
    }

    /** Maps every 4 KiB page of [va, va + size) onto the dummy page. All or nothing. */
    public void mapSparse(long va, int prot, long size) {
        long dummy = dummyPage();
        long done = 0;
        long l3Region = -1;
        long l3 = 0;
        try {
            for (; done < size; done += Lpae.SZ_4K) {
                long at = va + done;
                if (at >>> 21 != l3Region) {
                    l3 = levelThreeTable(at);
                    l3Region = at >>> 21;
                }
                writeLeaf(l3, at, dummy, prot);
            }
        } catch (MmuError e) {
            try {
                unmap(va, done);
            } catch (MmuError ignored) {
                /* the original failure is the one to report */
            }
            throw e;
        }
    }

    private int startLevel() {
        return Lpae.startLevel(vaBits);
    }

    /**
     * Maps {@code size} bytes at {@code va} onto {@code phys[firstPage...]} (one address per
     * 4 KiB page) with {@code prot}. All or nothing: on failure what was mapped is unmapped.
     */
    public void map(long va, int prot, long[] phys, int firstPage, long size) {
        long done = 0;
        long l3Region = -1;
        long l3 = 0;
        try {
            while (done < size) {
                long at = va + done;
                int page = firstPage + (int) (done / Lpae.SZ_4K);
                if (fitsBlock(at, phys, page, size - done)) {
                    mapLeaf(at, phys[page], Lpae.SZ_2M, prot);
                    done += Lpae.SZ_2M;
                    continue;
                }
                /* 4 KiB leaves: the level-3 table is walked to once per 2 MiB region */
                if (at >>> 21 != l3Region) {
                    l3 = levelThreeTable(at);
                    l3Region = at >>> 21;
                }
                writeLeaf(l3, at, phys[page], prot);
                done += Lpae.SZ_4K;
            }
        } catch (MmuError e) {
            try {
                unmap(va, done);
            } catch (MmuError ignored) {
                /* a split needing a table: the original failure is the one to report */
            }
            throw e;
        }
    }

    /** The level-3 table covering {@code va}, allocating the missing tables on the way. */
    private long levelThreeTable(long va) {
        long table = root;
        for (int level = startLevel(); level < Lpae.MAX_LEVELS - 1; level++) {
            long slot = table + 8L * Lpae.index(va, level);
            long pte = memory.read64(slot);
            if (!Lpae.isValid(pte)) {
                long next = newTable();
                memory.write64(slot, Lpae.table(next));
                table = next;
            } else if (Lpae.isTable(pte, level)) {
                table = Lpae.address(pte);
            } else {
                throw new MmuError(MmuError.Kind.ALREADY_MAPPED, "block in the way at 0x" + Long.toHexString(va));
            }
        }
        return table;
    }

    private void writeLeaf(long l3, long va, long pa, int prot) {
        long slot = l3 + 8L * Lpae.index(va, Lpae.MAX_LEVELS - 1);
        if (Lpae.isValid(memory.read64(slot))) {
            throw new MmuError(MmuError.Kind.ALREADY_MAPPED, "leaf in use at 0x" + Long.toHexString(va));
        }
        memory.write64(slot, Lpae.leaf(pa, prot, Lpae.MAX_LEVELS - 1));
    }

    /** The existing level-3 table covering {@code va}, or 0 (a block, or nothing mapped). */
    private long existingLevelThreeTable(long va) {
        long table = root;
        for (int level = startLevel(); level < Lpae.MAX_LEVELS - 1; level++) {
            long pte = memory.read64(table + 8L * Lpae.index(va, level));
            if (!Lpae.isTable(pte, level)) {
                return 0;
            }
            table = Lpae.address(pte);
        }
        return table;
    }

    private static boolean fitsBlock(long va, long[] phys, int page, long remaining) {
        if ((va & (Lpae.SZ_2M - 1)) != 0 || (phys[page] & (Lpae.SZ_2M - 1)) != 0 || remaining < Lpae.SZ_2M) {
            return false;
        }
        int count = (int) (Lpae.SZ_2M / Lpae.SZ_4K);
        for (int i = 1; i < count; i++) {
            if (phys[page + i] != phys[page] + i * Lpae.SZ_4K) {
                return false;
            }
        }
        return true;
    }

    private void mapLeaf(long va, long pa, long leafSize, int prot) {
        int leafLevel = leafSize == Lpae.SZ_2M ? 2 : 3;
        long table = root;
        for (int level = startLevel(); level < leafLevel; level++) {
            long slot = table + 8L * Lpae.index(va, level);
            long pte = memory.read64(slot);
            if (!Lpae.isValid(pte)) {
                long next = newTable();
                memory.write64(slot, Lpae.table(next));
                table = next;
            } else if (Lpae.isTable(pte, level)) {
                table = Lpae.address(pte);
            } else {
                throw new MmuError(MmuError.Kind.ALREADY_MAPPED, "block in the way at 0x" + Long.toHexString(va));
            }
        }
        long slot = table + 8L * Lpae.index(va, leafLevel);
        if (Lpae.isValid(memory.read64(slot))) {
            throw new MmuError(MmuError.Kind.ALREADY_MAPPED, "leaf in use at 0x" + Long.toHexString(va));
        }
        memory.write64(slot, Lpae.leaf(pa, prot, leafLevel));
    }

    /** Unmaps [va, va + size), splitting blocks it covers only in part. */
    public void unmap(long va, long size) {
        long done = 0;
        while (done < size) {
            long at = va + done;
            long l3 = existingLevelThreeTable(at);
            if (l3 != 0) {
                /* the pages of this 2 MiB region sit in one level-3 table: clear them in a row */
                long end = Math.min(va + size, (at | (Lpae.SZ_2M - 1)) + 1);
                for (long p = at; p < end; p += Lpae.SZ_4K) {
                    memory.write64(l3 + 8L * Lpae.index(p, Lpae.MAX_LEVELS - 1), 0);
                }
                done += end - at;
                continue;
            }
            long cleared = unmapLeaf(at, size - done);
            done += cleared == 0 ? Lpae.SZ_4K : cleared;
        }
    }

    /** Clears the leaf at {@code va} (a whole block if the rest of the range covers it); its size, or 0 if none. */
    private long unmapLeaf(long va, long remaining) {
        long table = root;
        for (int level = startLevel(); level < Lpae.MAX_LEVELS; level++) {
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
            if (level == Lpae.MAX_LEVELS - 1 || ((va & (blockSize - 1)) == 0 && remaining >= blockSize)) {
                memory.write64(slot, 0);
                return blockSize;
            }
            table = splitBlock(slot, pte, level);
        }
        return 0;
    }

    /** Replaces the block at {@code slot} by a next-level table mapping the same pages; the new table. */
    private long splitBlock(long slot, long block, int level) {
        long next = newTable();
        long childSize = Lpae.blockSize(level + 1);
        long attributes = block & ~Lpae.PTE_ADDR_MASK & ~Lpae.PTE_TYPE_MASK;
        long type = level + 1 == Lpae.MAX_LEVELS - 1 ? Lpae.PTE_TYPE_PAGE : Lpae.PTE_TYPE_BLOCK;
        long base = Lpae.address(block);
        for (int i = 0; i < Lpae.ENTRIES_PER_TABLE; i++) {
            memory.write64(next + 8L * i, attributes | type | ((base + i * childSize) & Lpae.PTE_ADDR_MASK));
        }
        memory.write64(slot, Lpae.table(next));
        return next;
    }

    /** The steps of the walk of {@code va}, down to the leaf or the first invalid entry. */
    public List<Step> walk(long va) {
        List<Step> out = new ArrayList<>();
        long table = root;
        for (int level = startLevel(); level < Lpae.MAX_LEVELS; level++) {
            int index = Lpae.index(va, level);
            long pte = memory.read64(table + 8L * index);
            out.add(new Step(level, table, index, pte));
            if (!Lpae.isTable(pte, level)) {
                break;
            }
            table = Lpae.address(pte);
        }
        return out;
    }

    /**
     * The physical address of every 4 KiB page of [va, va + size), 0 where nothing is mapped:
     * what {@link #translate} gives page by page, with one full walk per 2 MiB (the level-3
     * table of the last walk is reused) and nothing allocated but the result.
     */
    public long[] physicalPages(long va, long size) {
        long[] out = new long[(int) (size / Lpae.SZ_4K)];
        int leafLevel = Lpae.MAX_LEVELS - 1;
        long cachedRegion = -1;
        long cachedTable = 0;
        for (int i = 0; i < out.length; i++) {
            long at = va + i * Lpae.SZ_4K;
            long region = at >>> Lpae.levelShift(leafLevel - 1);
            if (region == cachedRegion) {
                long pte = memory.read64(cachedTable + 8L * Lpae.index(at, leafLevel));
                out[i] = Lpae.isValid(pte) ? Lpae.address(pte) : 0;
                continue;
            }
            long table = root;
            for (int level = startLevel(); level < Lpae.MAX_LEVELS; level++) {
                long pte = memory.read64(table + 8L * Lpae.index(at, level));
                if (Lpae.isTable(pte, level)) {
                    table = Lpae.address(pte);
                    if (level == leafLevel - 1) {
                        cachedRegion = region;
                        cachedTable = table;
                    }
                    continue;
                }
                if (Lpae.isValid(pte)) {
                    out[i] = Lpae.address(pte) + (at & (Lpae.blockSize(level) - 1));
                }
                break;
            }
        }
        return out;
    }

    /** What {@code va} translates to, if it is mapped. */
    public Optional<Translation> translate(long va) {
        List<Step> steps = walk(va);
        Step leaf = steps.get(steps.size() - 1);
        if (!Lpae.isValid(leaf.descriptor()) || Lpae.isTable(leaf.descriptor(), leaf.level())) {
            return Optional.empty();
        }
        long pa = Lpae.address(leaf.descriptor()) + (va & (Lpae.blockSize(leaf.level()) - 1));
        return Optional.of(new Translation(leaf.level(), leaf.descriptor(), pa));
    }
}
