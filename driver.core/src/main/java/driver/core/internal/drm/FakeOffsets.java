package driver.core.internal.drm;

import driver.core.kernel.GemObject;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device's fake mmap offset space ({@code drm_vma_offset_manager}): GEM objects get a
 * page range here when userspace asks for an mmap offset; {@code mmap()} on the DRM fd looks
 * the range up. As on 64-bit Linux the space starts at {@code DRM_FILE_PAGE_OFFSET_START}
 * (4 GiB) and spans {@code 0xFFFFF * 256} pages; ranges are allocated first-fit and freed with
 * their object.
 */
final class FakeOffsets {

    static final long START_PAGE = (0xFFFF_FFFFL >>> 12) + 1;
    static final long SIZE_PAGES = (0xFFFF_FFFFL >>> 12) * 256;

    private record Node(long startPage, long pages, GemObject object) {
    }

    private final TreeMap<Long, Node> nodes = new TreeMap<>();

    /** Allocates (once) the offset of {@code obj}; the byte offset. */
    synchronized long offsetOf(GemObject obj) {
        long existing = obj.mmapOffset();
        if (existing >= 0) {
            return existing;
        }
        long pages = obj.pageCount();
        long candidate = START_PAGE;
        for (Node n : nodes.values()) {
            if (candidate + pages <= n.startPage) {
                break;
            }
            candidate = Math.max(candidate, n.startPage + n.pages);
        }
        if (candidate + pages > START_PAGE + SIZE_PAGES) {
            throw new ErrnoException(Errno.ENOSPC, "fake offset space exhausted");
        }
        nodes.put(candidate, new Node(candidate, pages, obj));
        long offset = candidate << 12;
        obj.setMmapOffset(offset);
        return offset;
    }

    /** The object whose range contains pages {@code [pgoff, pgoff + pages)}, and the page index within it; null if none. */
    synchronized Map.Entry<GemObject, Long> lookup(long pgoff, long pages) {
        Map.Entry<Long, Node> e = nodes.floorEntry(pgoff);
        if (e == null) {
            return null;
        }
        Node n = e.getValue();
        if (pgoff + pages > n.startPage + n.pages) {
            return null;
        }
        return Map.entry(n.object, pgoff - n.startPage);
    }

    synchronized void release(GemObject obj) {
        long offset = obj.mmapOffset();
        if (offset >= 0) {
            nodes.remove(offset >>> 12);
        }
    }

    synchronized int size() {
        return nodes.size();
    }
}
