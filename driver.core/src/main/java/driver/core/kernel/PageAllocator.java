package driver.core.kernel;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import hw.model.api.PhysicalMemory;
import java.util.BitSet;

/**
 * DOC: Page allocator.
 *
 * Hands out 4 KiB pages of the model's {@link PhysicalMemory} from one fixed physical range
 * ({@link #DEFAULT_BASE}, {@link #DEFAULT_SIZE}: 1 GiB at 0x8000_0000, the simulated system's
 * "RAM available to the GPU driver"). It is what {@code alloc_page()} and
 * {@code dma_alloc_coherent()} are to Panthor: GEM shmem pages, page-table pages, firmware
 * sections and ring buffers all come from here.
 *
 * Pages are handed out zero-filled, like {@code __GFP_ZERO}: a page that was used before is
 * scrubbed on allocation; a page never handed out is still untouched (and reads as zero) in
 * the sparse model memory, so it is not touched until its user writes it. Exhaustion is
 * {@code ENOMEM} ({@link ErrnoException}); a multi-page request is all-or-nothing. Freeing a
 * page that is not allocated is a kernel bug ({@link IllegalStateException}).
 *
 * Single pages are taken next-fit from a rotating cursor; contiguous runs first-fit from the
 * bottom. The allocator is thread-safe.
 */
public final class PageAllocator {

    public static final long DEFAULT_BASE = 0x8000_0000L;
    public static final long DEFAULT_SIZE = 1L << 30;
    public static final int PAGE_SIZE = PhysicalMemory.PAGE_SIZE;

    /** A snapshot of the allocator's counters. */
    public record Stats(long base, long totalPages, long usedPages, long peakUsedPages,
                        long allocations, long frees, long failures) {
        public long freePages() {
            return totalPages - usedPages;
        }
    }

    private final PhysicalMemory memory;
    private final long base;
    private final int totalPages;
    private final BitSet used;
    private final BitSet dirty;
    private int cursor;
    private long usedPages;
    private long peakUsedPages;
    private long allocations;
    private long frees;
    private long failures;

    public PageAllocator(PhysicalMemory memory) {
        this(memory, DEFAULT_BASE, DEFAULT_SIZE);
    }

    public PageAllocator(PhysicalMemory memory, long base, long size) {
        if ((base & (PAGE_SIZE - 1)) != 0 || size <= 0 || (size & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("range must be page aligned and non-empty");
        }
        if (size / PAGE_SIZE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("range too large: " + size);
        }
        if (base + size > (1L << memory.paBits())) {
            throw new IllegalArgumentException(String.format(
                    "range 0x%x+0x%x beyond the %d-bit physical space", base, size, memory.paBits()));
        }
        this.memory = memory;
        this.base = base;
        this.totalPages = (int) (size / PAGE_SIZE);
        this.used = new BitSet(totalPages);
        this.dirty = new BitSet(totalPages);
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public long base() {
        return base;
    }

    /** First address past the managed range. */
    public long end() {
        return base + (long) totalPages * PAGE_SIZE;
    }

    /** Whether {@code pa} lies in the managed range. */
    public boolean contains(long pa) {
        return pa >= base && pa < end();
    }

    /** One zeroed page; its physical address. */
    public long allocPage() {
        synchronized (this) {
            int index = used.nextClearBit(cursor);
            if (index >= totalPages) {
                index = used.nextClearBit(0);
            }
            if (index >= totalPages) {
                failures++;
                throw new ErrnoException(Errno.ENOMEM, "out of GPU pages");
            }
            take(index);
            cursor = index + 1 >= totalPages ? 0 : index + 1;
            return scrub(index);
        }
    }

    /** {@code count} zeroed pages, not necessarily contiguous; all of them or ENOMEM. */
    public long[] allocPages(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative count");
        }
        long[] pages = new long[count];
        synchronized (this) {
            if (count > totalPages - usedPages) {
                failures++;
                throw new ErrnoException(Errno.ENOMEM, "out of GPU pages (" + count + " wanted)");
            }
            for (int i = 0; i < count; i++) {
                pages[i] = allocPage();
            }
        }
        return pages;
    }

    /**
     * {@code count} physically contiguous zeroed pages whose first address is a multiple of
     * {@code alignPages} pages; the first address, or ENOMEM.
     */
    public long allocContiguous(int count, int alignPages) {
        if (count <= 0 || alignPages <= 0 || Integer.bitCount(alignPages) != 1) {
            throw new IllegalArgumentException("count > 0 and power-of-two alignment required");
        }
        synchronized (this) {
            int alignBase = (int) ((base / PAGE_SIZE) % alignPages);
            int start = alignBase == 0 ? 0 : alignPages - alignBase;
            while (start + count <= totalPages) {
                int busy = used.nextSetBit(start);
                if (busy < 0 || busy >= start + count) {
                    for (int i = start; i < start + count; i++) {
                        take(i);
                        scrub(i);
                    }
                    return base + (long) start * PAGE_SIZE;
                }
                int next = busy + 1;
                start = next + ((alignPages - ((next + alignBase) % alignPages)) % alignPages);
            }
            failures++;
            throw new ErrnoException(Errno.ENOMEM, "no contiguous run of " + count + " pages");
        }
    }

    public void freePage(long pa) {
        synchronized (this) {
            int index = index(pa);
            if (!used.get(index)) {
                throw new IllegalStateException(String.format("double free of page 0x%x", pa));
            }
            used.clear(index);
            usedPages--;
            frees++;
        }
    }

    public void freePages(long[] pages) {
        synchronized (this) {
            for (long pa : pages) {
                freePage(pa);
            }
        }
    }

    public void freeContiguous(long pa, int count) {
        synchronized (this) {
            for (int i = 0; i < count; i++) {
                freePage(pa + (long) i * PAGE_SIZE);
            }
        }
    }

    /** Whether the page at {@code pa} is currently allocated. */
    public synchronized boolean isAllocated(long pa) {
        return used.get(index(pa));
    }

    public synchronized Stats stats() {
        return new Stats(base, totalPages, usedPages, peakUsedPages, allocations, frees, failures);
    }

    private void take(int index) {
        used.set(index);
        usedPages++;
        allocations++;
        peakUsedPages = Math.max(peakUsedPages, usedPages);
    }

    private long scrub(int index) {
        long pa = base + (long) index * PAGE_SIZE;
        if (dirty.get(index)) {
            memory.zero(pa, PAGE_SIZE);
        } else {
            dirty.set(index);
        }
        return pa;
    }

    private int index(long pa) {
        if ((pa & (PAGE_SIZE - 1)) != 0 || !contains(pa)) {
            throw new IllegalStateException(String.format("0x%x is not a page of this allocator", pa));
        }
        return (int) ((pa - base) / PAGE_SIZE);
    }
}
