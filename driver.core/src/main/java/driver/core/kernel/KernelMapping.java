package driver.core.kernel;

import hw.model.api.PhysicalMemory;

/**
 * DOC: Kernel mappings of GPU-shared memory.
 *
 * What {@code panthor_kernel_bo_vmap()} gives the kernel: a CPU view of the pages behind a
 * kernel buffer object, addressed by byte offset from its start. The pages need not be
 * physically contiguous; an access must not straddle a page (all firmware interface fields are
 * naturally aligned, so none does). Values are little-endian, as the GPU sees them. An offset
 * outside the mapping is a kernel bug: {@link IndexOutOfBoundsException}.
 *
 * {@link #gpuVa()} is where the object is mapped in the GPU (or MCU) address space it was
 * created for, as {@code panthor_kernel_bo_gpuva()}.
 */
public final class KernelMapping {

    private final PhysicalMemory memory;
    private final long[] pages;
    private final long gpuVa;
    private final long size;

    public KernelMapping(PhysicalMemory memory, long[] pages, long gpuVa) {
        this.memory = memory;
        this.pages = pages.clone();
        this.gpuVa = gpuVa;
        this.size = (long) pages.length * PhysicalMemory.PAGE_SIZE;
    }

    public long size() {
        return size;
    }

    public long gpuVa() {
        return gpuVa;
    }

    /** The physical pages, in mapping order. */
    public long[] pages() {
        return pages.clone();
    }

    /** Whether {@code va} (in the GPU/MCU address space) falls inside this object. */
    public boolean containsGpuVa(long va) {
        return va >= gpuVa && va - gpuVa < size;
    }

    /** Physical address of byte {@code offset}. */
    public long physicalAddress(long offset) {
        if (offset < 0 || offset >= size) {
            throw new IndexOutOfBoundsException("offset 0x" + Long.toHexString(offset) + " outside a 0x"
                    + Long.toHexString(size) + "-byte mapping");
        }
        return pages[(int) (offset >>> PhysicalMemory.PAGE_SHIFT)] + (offset & (PhysicalMemory.PAGE_SIZE - 1));
    }

    public int read32(long offset) {
        check(offset, 4);
        return memory.read32(physicalAddress(offset));
    }

    public void write32(long offset, int value) {
        check(offset, 4);
        memory.write32(physicalAddress(offset), value);
    }

    public long read64(long offset) {
        check(offset, 8);
        return memory.read64(physicalAddress(offset));
    }

    public void write64(long offset, long value) {
        check(offset, 8);
        memory.write64(physicalAddress(offset), value);
    }

    /** Zero-fills the whole object ({@code memset(kmap, 0, size)}). */
    public void clear() {
        for (long pa : pages) {
            memory.zero(pa, PhysicalMemory.PAGE_SIZE);
        }
    }

    private void check(long offset, int width) {
        if ((offset & (width - 1)) != 0) {
            throw new IllegalArgumentException("unaligned " + width + "-byte access at 0x" + Long.toHexString(offset));
        }
        if (offset < 0 || offset + width > size) {
            throw new IndexOutOfBoundsException("offset 0x" + Long.toHexString(offset) + " outside a 0x"
                    + Long.toHexString(size) + "-byte mapping");
        }
    }
}
