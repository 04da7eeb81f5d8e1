package driver.core.uapi;

/**
 * An error inside the simulated kernel, carrying the errno the syscall will return. Kernel
 * services throw it; the syscall boundary ({@code ioctl}, {@code mmap}, {@code open}) catches
 * it and returns {@code -errno}, so it never reaches a user process as an exception.
 */
public class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public ErrnoException(int errno) {
        this(errno, null);
    }

    public ErrnoException(int errno, String detail) {
        super(Errno.name(errno) + (detail == null ? "" : ": " + detail), null, false, false);
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        this.errno = errno;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }
}
