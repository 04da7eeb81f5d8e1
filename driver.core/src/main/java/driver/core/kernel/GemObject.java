package driver.core.kernel;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * DOC: GEM buffer objects.
 *
 * A shmem-backed buffer object as {@code struct panthor_gem_object} over
 * {@code drm_gem_shmem_object}: a page-aligned size, the creation flags (NO_MMAP, WB_MMAP), an
 * optional exclusive VM (the object may only be bound to that VM and never exported), a label
 * ({@code BO_SET_LABEL}), and its pages.
 *
 * Pages come from the {@link PageAllocator} lazily, all at once, the first time anything needs
 * them ({@link #pinPages()} for a CPU mapping or a GPU VM mapping, {@link #pages()}), as
 * {@code drm_gem_shmem_get_pages()} does; so a BO_CREATE of more memory than exists succeeds
 * and the failure is ENOMEM at first use. They are never swapped out and are returned to the
 * allocator when the last reference is dropped.
 *
 * References: the creator's, every file handle, every dma-buf, every CPU mapping and every VM
 * mapping hold one ({@link #get()}/{@link #put()}). {@link #handleCount()} counts file handles
 * separately, as {@code obj->handle_count}, for the fdinfo-like views.
 */
public final class GemObject {

    private static final AtomicInteger IDS = new AtomicInteger(1);

    private final int id = IDS.getAndIncrement();
    private final PageAllocator allocator;
    private final long size;
    private final int flags;
    private final Object exclusiveVm;
    private final boolean imported;
    private final Consumer<GemObject> onFree;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicInteger handles = new AtomicInteger();
    private long[] pages;
    private int pinCount;
    private volatile String label;
    private volatile long mmapOffset = -1;
    private DmaBuf exportedDmaBuf;
    private boolean freed;

    /**
     * A new object with one reference owned by the caller.
     *
     * @param size page-aligned size in bytes, &gt; 0
     * @param exclusiveVm the VM object this BO is private to, or null
     * @param onFree run once when the last reference goes, after the pages are freed
     */
    public GemObject(PageAllocator allocator, long size, int flags, Object exclusiveVm, boolean imported,
                     Consumer<GemObject> onFree) {
        if (size <= 0 || (size & (PageAllocator.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("GEM size must be page aligned and positive: " + size);
        }
        this.allocator = allocator;
        this.size = size;
        this.flags = flags;
        this.exclusiveVm = exclusiveVm;
        this.imported = imported;
        this.onFree = onFree;
    }

    /** Debug id, unique in this JVM. */
    public int id() {
        return id;
    }

    public long size() {
        return size;
    }

    /** The physical memory the pages are in. */
    public hw.model.api.PhysicalMemory memory() {
        return allocator.memory();
    }

    public long pageCount() {
        return size / PageAllocator.PAGE_SIZE;
    }

    /** Creation flags ({@code DRM_PANTHOR_BO_*}). */
    public int flags() {
        return flags;
    }

    /** The exclusive VM, or null. */
    public Object exclusiveVm() {
        return exclusiveVm;
    }

    /** Imported from another driver's dma-buf ({@code drm_gem_is_imported()}). */
    public boolean isImported() {
        return imported;
    }

    public String label() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    public GemObject get() {
        if (refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("GEM object " + id + " used after free");
        }
        return this;
    }

    /** Drops a reference; the last one frees the pages. */
    public void put() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            free();
        } else if (left < 0) {
            throw new IllegalStateException("GEM object " + id + " over-released");
        }
    }

    public int refCount() {
        return refs.get();
    }

    public int handleCount() {
        return handles.get();
    }

    /** A file handle now names this object (the caller also holds a reference for it). */
    public void handleOpened() {
        handles.incrementAndGet();
    }

    public void handleClosed() {
        handles.decrementAndGet();
    }

    /**
     * The physical pages, allocating them on first use (ENOMEM if the allocator is exhausted
     * or the object is larger than it could ever hold).
     */
    public synchronized long[] pages() {
        if (freed) {
            throw new IllegalStateException("GEM object " + id + " used after free");
        }
        if (pages == null) {
            long count = pageCount();
            if (count > Integer.MAX_VALUE) {
                throw new ErrnoException(Errno.ENOMEM, "BO of " + size + " bytes");
            }
            pages = allocator.allocPages((int) count);
        }
        return pages;
    }

    /** Whether pages have been allocated. */
    public synchronized boolean hasPages() {
        return pages != null;
    }

    /** Pins the pages for a mapping ({@code drm_gem_shmem_pin}); returns them. */
    public synchronized long[] pinPages() {
        long[] p = pages();
        pinCount++;
        return p;
    }

    public synchronized void unpinPages() {
        if (pinCount == 0) {
            throw new IllegalStateException("unbalanced unpin of GEM object " + id);
        }
        pinCount--;
    }

    public synchronized int pinCount() {
        return pinCount;
    }

    /** Physical address of byte {@code offset} (pages must exist). */
    public synchronized long physicalAddress(long offset) {
        if (offset < 0 || offset >= size) {
            throw new IndexOutOfBoundsException("offset " + offset + " beyond BO of " + size);
        }
        return pages()[(int) (offset / PageAllocator.PAGE_SIZE)] + (offset % PageAllocator.PAGE_SIZE);
    }

    /** Fake mmap offset of this object in its device's offset space, or -1 if none yet. */
    public long mmapOffset() {
        return mmapOffset;
    }

    public void setMmapOffset(long offset) {
        this.mmapOffset = offset;
    }

    /** The dma-buf this object is exported as, if any ({@code obj->dma_buf}). */
    public synchronized DmaBuf exportedDmaBuf() {
        return exportedDmaBuf;
    }

    public synchronized void setExportedDmaBuf(DmaBuf dmaBuf) {
        this.exportedDmaBuf = dmaBuf;
    }

    private void free() {
        long[] toFree;
        synchronized (this) {
            freed = true;
            toFree = pages;
            pages = null;
            exportedDmaBuf = null;
        }
        if (toFree != null) {
            allocator.freePages(toFree);
        }
        if (onFree != null) {
            onFree.accept(this);
        }
    }

    @Override
    public String toString() {
        return "gem#" + id + "[" + size + " bytes, flags 0x" + Integer.toHexString(flags)
                + (label != null ? ", label '" + label + "'" : "") + "]";
    }
}
