package driver.core.user;

import driver.core.uapi.Errno;

/** A typed-API call failed: the errno the ioctl (or mmap) returned. */
public final class IoctlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    public IoctlException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno), null, false, false);
        this.call = call;
        this.errno = Math.abs(errno);
    }

    /** The positive errno. */
    public int errno() {
        return errno;
    }

    /** The call that failed ("DRM_IOCTL_PANTHOR_BO_CREATE", "mmap", ...). */
    public String call() {
        return call;
    }
}
