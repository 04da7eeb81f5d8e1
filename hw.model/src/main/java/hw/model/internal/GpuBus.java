package hw.model.internal;

/**
 * GPU-side memory access through one address space, as the command-stream frontend or a
 * shader core sees it: every access is translated by the MMU (TLB first, then a page-table
 * walk) and checked for permission. Values are little-endian.
 */
public interface GpuBus {

    /** Address space this bus translates through. */
    int as();

    long read64(long va) throws GpuFault;

    void write64(long va, long value) throws GpuFault;

    int read32(long va) throws GpuFault;

    void write32(long va, int value) throws GpuFault;

    /**
     * Shader instruction fetch: like read64 but checked against the execute permission. The
     * command-stream frontend does not use it: it reads its instructions as data.
     */
    long fetch64(long va) throws GpuFault;
}
