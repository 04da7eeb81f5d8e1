package driver.core.uapi;

/**
 * The Linux ioctl request encoding ({@code include/uapi/asm-generic/ioctl.h}, used by arm64):
 * {@code dir << 30 | size << 16 | type << 8 | nr}, with 2 direction bits, 14 size bits, 8 type
 * bits and 8 number bits. Direction is seen from userspace: {@link #WRITE} means the kernel
 * reads the argument, {@link #READ} that it writes it back.
 */
public final class Ioc {
    private Ioc() {}

    public static final int NONE = 0;
    public static final int WRITE = 1;
    public static final int READ = 2;

    public static final int NRBITS = 8;
    public static final int TYPEBITS = 8;
    public static final int SIZEBITS = 14;
    public static final int DIRBITS = 2;
    public static final int NRSHIFT = 0;
    public static final int TYPESHIFT = NRSHIFT + NRBITS;
    public static final int SIZESHIFT = TYPESHIFT + TYPEBITS;
    public static final int DIRSHIFT = SIZESHIFT + SIZEBITS;
    public static final int SIZE_MAX = (1 << SIZEBITS) - 1;

    /** {@code _IOC(dir, type, nr, size)}. */
    public static int ioc(int dir, int type, int nr, int size) {
        if (size < 0 || size > SIZE_MAX) {
            throw new IllegalArgumentException("ioctl size out of range: " + size);
        }
        return (dir << DIRSHIFT) | (size << SIZESHIFT) | ((type & 0xff) << TYPESHIFT) | ((nr & 0xff) << NRSHIFT);
    }

    public static int io(int type, int nr) {
        return ioc(NONE, type, nr, 0);
    }

    public static int ior(int type, int nr, int size) {
        return ioc(READ, type, nr, size);
    }

    public static int iow(int type, int nr, int size) {
        return ioc(WRITE, type, nr, size);
    }

    public static int iowr(int type, int nr, int size) {
        return ioc(READ | WRITE, type, nr, size);
    }

    /** {@code _IOC_DIR}. */
    public static int dir(int request) {
        return (request >>> DIRSHIFT) & ((1 << DIRBITS) - 1);
    }

    /** {@code _IOC_TYPE}. */
    public static int type(int request) {
        return (request >>> TYPESHIFT) & ((1 << TYPEBITS) - 1);
    }

    /** {@code _IOC_NR}. */
    public static int nr(int request) {
        return (request >>> NRSHIFT) & ((1 << NRBITS) - 1);
    }

    /** {@code _IOC_SIZE}. */
    public static int size(int request) {
        return (request >>> SIZESHIFT) & SIZE_MAX;
    }
}
