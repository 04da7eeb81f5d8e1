package driver.core.user;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;

/**
 * The kernel side of an open file ({@code struct file_operations} of one {@code struct file}):
 * what a driver implements for the files it hands to processes. A file may be referred to by
 * several fds, in several processes (dup, fd passing); {@link #release()} runs once, when the
 * last fd referring to it is closed.
 *
 * <p>Methods run in the context of the calling process ({@code current}); they report errors
 * as return values or {@link ErrnoException}, never with other exceptions.
 */
public interface FileOps {

    /** Short type name for listings ("drm", "dma-buf", "sync_file", "syncobj"). */
    String kind();

    /** {@code unlocked_ioctl}: 0 or a non-negative result, or {@code -errno}. */
    default int ioctl(UserProcess caller, int request, long arg) {
        return -Errno.ENOTTY;
    }

    /**
     * {@code mmap} of {@code length} bytes (page multiple, &gt; 0) at file offset
     * {@code offset} (page aligned).
     *
     * @param prot {@link UserProcess#PROT_READ} | {@link UserProcess#PROT_WRITE} | {@link UserProcess#PROT_EXEC}
     * @param flags {@link UserProcess#MAP_SHARED} or {@link UserProcess#MAP_PRIVATE}
     * @throws ErrnoException the errno {@code mmap()} returns
     */
    default Mapping mmap(UserProcess caller, long offset, long length, int prot, int flags) {
        throw new ErrnoException(Errno.ENODEV);
    }

    /** The last reference to the file is gone. */
    default void release() {
    }
}
