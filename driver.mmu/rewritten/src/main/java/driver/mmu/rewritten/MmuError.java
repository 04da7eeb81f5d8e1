package driver.mmu.rewritten;

/**
 * DOC: What went wrong inside the rewritten MMU.
 *
 * Inside the subsystem a failure is an {@code MmuError} of a {@link Kind}; only the contract
 * edge ({@link RewrittenMmu}) turns a kind into the errno the UABI returns. Errors raised by
 * driver-core services the MMU calls (a BO's pages, the page allocator) are already
 * {@link driver.core.uapi.ErrnoException}s and pass through unchanged.
 */
public final class MmuError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure, each with the errno Panthor returns for it. */
    public enum Kind {
        /** A malformed request: bad alignment, range, flags, handle (EINVAL). */
        INVALID_ARGUMENT,
        /** No page for a page table or a kernel BO, or no room in the kernel VA range (ENOMEM). */
        OUT_OF_MEMORY,
        /** No address space free or evictable (EBUSY). */
        NO_ADDRESS_SPACE,
        /** The MMU did not finish a command in time (ETIMEDOUT). */
        HARDWARE_TIMEOUT,
        /** A page-table slot was already in use (EEXIST). */
        ALREADY_MAPPED
    }

    private final Kind kind;

    public MmuError(Kind kind, String detail) {
        super(kind + ": " + detail, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static MmuError invalid(String detail) {
        return new MmuError(Kind.INVALID_ARGUMENT, detail);
    }
}
