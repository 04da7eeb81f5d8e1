package hw.model.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The GPU's memory-mapped register window, as the driver's {@code ioremap()} of the
 * device's iomem resource. Offsets are byte offsets from the iomem base, exactly those of
 * {@code panthor_regs.h}. Accesses are 32-bit; a 64-bit register is two 32-bit halves
 * (LO at the offset, HI at offset + 4), and reading one without tearing is the caller's job,
 * as on silicon.
 *
 * <p>Reads and writes may have side effects (a write to GPU_CMD starts a reset, reading
 * nothing clears anything unless the register says so). An offset that decodes to no
 * register reads as zero and ignores writes, like unimplemented space on the real bus.
 */
@ProviderType
public interface Mmio {

    /** Size of the register window in bytes (the G610's iomem resource). */
    int size();

    int read32(int offset);

    void write32(int offset, int value);

    /** Convenience: LO then HI, with no tearing protection. */
    default long read64Raw(int offset) {
        long lo = read32(offset) & 0xffff_ffffL;
        long hi = read32(offset + 4) & 0xffff_ffffL;
        return (hi << 32) | lo;
    }

    /** Convenience: writes LO then HI. */
    default void write64(int offset, long value) {
        write32(offset, (int) value);
        write32(offset + 4, (int) (value >>> 32));
    }
}
