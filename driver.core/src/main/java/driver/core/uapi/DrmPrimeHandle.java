package driver.core.uapi;

/**
 * {@code struct drm_prime_handle} of {@code drm.h}: 12 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PRIME_HANDLE_TO_FD / PRIME_FD_TO_HANDLE argument (12 bytes, 4-byte aligned).
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          flags
 *   0x08  __s32                          fd
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPrimeHandle(int handle, int flags, int fd) implements UapiStruct {

    /** {@code sizeof(struct drm_prime_handle)}. */
    public static final int SIZE = 12;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_FLAGS = 4;
    public static final int OFFSET_FD = 8;

    /** All-zero value. */
    public static final DrmPrimeHandle ZERO = new DrmPrimeHandle(0, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPrimeHandle decode(byte[] b, int o) {
        return new DrmPrimeHandle(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8));
    }

    public static DrmPrimeHandle decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, handle);
        Le.put32(b, o + 4, flags);
        Le.put32(b, o + 8, fd);
    }

    public DrmPrimeHandle withHandle(int value) {
        return new DrmPrimeHandle(value, flags, fd);
    }

    public DrmPrimeHandle withFlags(int value) {
        return new DrmPrimeHandle(handle, value, fd);
    }

    public DrmPrimeHandle withFd(int value) {
        return new DrmPrimeHandle(handle, flags, value);
    }
}
