package driver.core.user;

import hw.model.api.PhysicalMemory;
import java.util.function.IntUnaryOperator;

/**
 * What a file's {@code mmap} hands the process: the pages to install. The process calls
 * {@link #unmap()} once when the mapping goes away ({@code munmap}, process exit), which is
 * where the driver drops the references the mapping held.
 */
public sealed interface Mapping {

    /** Number of 4 KiB pages mapped. */
    int pageCount();

    /** The mapping is gone. */
    void unmap();

    /**
     * Pages of physical memory: the process's virtual pages alias them, so CPU accesses and
     * GPU accesses see the same bytes.
     */
    record PhysicalPages(PhysicalMemory memory, long[] pages, boolean writable, Runnable onUnmap) implements Mapping {
        @Override
        public int pageCount() {
            return pages.length;
        }

        @Override
        public void unmap() {
            if (onUnmap != null) {
                onUnmap.run();
            }
        }
    }

    /**
     * One read-only page of device registers (the LATEST_FLUSH_ID page): reads of the 32-bit
     * word at a page offset are answered by {@code read32}.
     */
    record IoPage(IntUnaryOperator read32, Runnable onUnmap) implements Mapping {
        @Override
        public int pageCount() {
            return 1;
        }

        @Override
        public void unmap() {
            if (onUnmap != null) {
                onUnmap.run();
            }
        }
    }
}
