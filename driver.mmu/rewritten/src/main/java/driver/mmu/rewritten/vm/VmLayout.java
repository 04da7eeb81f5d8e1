package driver.mmu.rewritten.vm;

import driver.mmu.rewritten.MmuError;

/**
 * A VM's VA layout: the user range [0, {@code userVaRange}) and the kernel range
 * [{@code kernelVaStart}, {@code kernelVaStart + kernelVaSize}) at the top of the
 * {@code 1 << vaBits} space.
 */
public record VmLayout(int vaBits, long userVaRange, long kernelVaStart, long kernelVaSize) {

    /** {@code PANTHOR_VM_KERNEL_MIN_VA_SIZE}. */
    public static final long KERNEL_MIN_VA_SIZE = 256L << 20;
    private static final long SZ_4G = 1L << 32;

    /**
     * The layout for a VM_CREATE asking for {@code requestedUserVaRange} (0: the default, half
     * the GPU range above 4 GiB, else the range minus 256 MiB). The kernel range is the largest
     * power of two that fits above the user range, at the top; at least 256 MiB must be left.
     */
    public static VmLayout forRequest(long requestedUserVaRange, int vaBits) {
        long full = 1L << vaBits;
        if (full < KERNEL_MIN_VA_SIZE) {
            throw MmuError.invalid("VA space below 256 MiB");
        }
        long user = requestedUserVaRange != 0 ? requestedUserVaRange
                : full > SZ_4G ? full / 2 : full - KERNEL_MIN_VA_SIZE;
        if (Long.compareUnsigned(user, full - KERNEL_MIN_VA_SIZE) > 0) {
            throw MmuError.invalid("user VA range leaves less than 256 MiB");
        }
        long kernelSize = Long.highestOneBit(full - user);
        return new VmLayout(vaBits, user, full - kernelSize, kernelSize);
    }

    public long fullRange() {
        return 1L << vaBits;
    }

    public long kernelVaEnd() {
        return kernelVaStart + kernelVaSize;
    }

    /** Whether [va, va + size) is inside the space, without overflow, and below the kernel range. */
    public boolean userRangeContains(long va, long size) {
        long end = va + size;
        return Long.compareUnsigned(end, va) >= 0 && Long.compareUnsigned(end, fullRange()) <= 0
                && Long.compareUnsigned(end, kernelVaStart) <= 0;
    }
}
