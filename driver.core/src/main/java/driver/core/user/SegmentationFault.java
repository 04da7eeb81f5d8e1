package driver.core.user;

/**
 * A user-mode access to an address that is not mapped, or a write to a read-only mapping: the
 * simulated SIGSEGV. It is thrown only by the process's own memory accessors; the kernel
 * never sees it (its copies return EFAULT instead).
 */
public final class SegmentationFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;
    private final boolean write;

    public SegmentationFault(long address, boolean write) {
        super(String.format("SIGSEGV: %s at 0x%x", write ? "write" : "read", address), null, false, false);
        this.address = address;
        this.write = write;
    }

    public long address() {
        return address;
    }

    public boolean isWrite() {
        return write;
    }
}
