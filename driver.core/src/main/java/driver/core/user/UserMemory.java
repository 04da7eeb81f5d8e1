package driver.core.user;

/**
 * A process's memory as the kernel reaches it ({@code uaccess}): every method reports a fault
 * instead of throwing, as {@code copy_from_user()} returns the bytes not copied.
 */
public interface UserMemory {

    /** Copies {@code len} bytes from user address {@code uaddr}; false on a fault. */
    boolean copyFromUser(long uaddr, byte[] dst, int off, int len);

    /**
     * Copies {@code len} bytes to user address {@code uaddr}; false on a fault. Bytes before
     * the faulting page may already have been written, as on Linux.
     */
    boolean copyToUser(long uaddr, byte[] src, int off, int len);

    /** Zero-fills {@code len} bytes at {@code uaddr} ({@code clear_user}); false on a fault. */
    boolean clearUser(long uaddr, long len);

    /**
     * {@code strnlen_user(uaddr, n)}: the length of the NUL-terminated string at {@code uaddr}
     * including the NUL; a value greater than {@code n} if no NUL is found in the first
     * {@code n} bytes; 0 on a fault.
     */
    long strnlenUser(long uaddr, long n);
}
