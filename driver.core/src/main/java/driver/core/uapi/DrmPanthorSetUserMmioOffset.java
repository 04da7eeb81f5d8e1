package driver.core.uapi;

/**
 * {@code struct drm_panthor_set_user_mmio_offset} of {@code panthor_drm.h}: 8 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET argument.
 *
 * <pre>
 *   0x00  __u64                          offset
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorSetUserMmioOffset(long offset) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_set_user_mmio_offset)}. */
    public static final int SIZE = 8;

    public static final int OFFSET_OFFSET = 0;

    /** All-zero value. */
    public static final DrmPanthorSetUserMmioOffset ZERO = new DrmPanthorSetUserMmioOffset(0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorSetUserMmioOffset decode(byte[] b, int o) {
        return new DrmPanthorSetUserMmioOffset(
                Le.u64(b, o + 0));
    }

    public static DrmPanthorSetUserMmioOffset decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put64(b, o + 0, offset);
    }

    public DrmPanthorSetUserMmioOffset withOffset(long value) {
        return new DrmPanthorSetUserMmioOffset(value);
    }
}
