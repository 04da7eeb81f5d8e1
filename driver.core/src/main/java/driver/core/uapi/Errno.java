package driver.core.uapi;

import java.util.Map;
import java.util.TreeMap;

/**
 * Linux errno values (asm-generic, as on arm64) that the UABI can return. A failed ioctl
 * returns the negated value, as the raw syscall does; {@code ENOTSUPP} (524) is a
 * kernel-internal code that still leaks to userspace from some drivers.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ETIME = 62;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    public static final int ETIMEDOUT = 110;
    public static final int ECANCELED = 125;
    public static final int ERESTARTSYS = 512;
    public static final int ENOTSUPP = 524;

    private static final Map<Integer, String> NAMES = new TreeMap<>();

    static {
        for (var f : Errno.class.getFields()) {
            if (f.getType() == int.class && f.getName().startsWith("E")) {
                try {
                    NAMES.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
    }

    /** The symbolic name of {@code errno} (sign ignored), or {@code "E<n>"} if unknown. */
    public static String name(int errno) {
        int e = Math.abs(errno);
        String n = NAMES.get(e);
        return n != null ? n : "E" + e;
    }
}
