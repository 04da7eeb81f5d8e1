package hw.model.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The system's physical memory as both the GPU and the CPU see it: sparse 4 KiB pages,
 * zero-filled on first touch, addressable up to the PA width of MMU_FEATURES (40 bits on
 * the G610). A BO page mapped into a simulated user process and the same page reached by
 * the GPU through its page tables are the same bytes. All values are little-endian.
 *
 * <p>An address at or above {@code 1L << paBits()} is a bus error:
 * {@link IllegalArgumentException}.
 */
@ProviderType
public interface PhysicalMemory {

    int PAGE_SIZE = 4096;
    int PAGE_SHIFT = 12;

    int paBits();

    byte read8(long pa);

    void write8(long pa, byte value);

    int read32(long pa);

    void write32(long pa, int value);

    long read64(long pa);

    void write64(long pa, long value);

    void read(long pa, byte[] dst, int offset, int length);

    void write(long pa, byte[] src, int offset, int length);

    /** Zero-fills {@code length} bytes; used to scrub pages handed out by an allocator. */
    void zero(long pa, long length);

    /** Number of 4 KiB pages that have been touched (backed) so far. */
    long residentPages();
}
