package driver.core.uapi;

/**
 * {@code struct drm_panthor_dev_query} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_DEV_QUERY argument.
 *
 * <pre>
 *   0x00  __u32                          type
 *   0x04  __u32                          size
 *   0x08  __u64                          pointer
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorDevQuery(int type, int size, long pointer) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_dev_query)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_TYPE = 0;
    public static final int OFFSET_SIZE = 4;
    public static final int OFFSET_POINTER = 8;

    /** All-zero value. */
    public static final DrmPanthorDevQuery ZERO = new DrmPanthorDevQuery(0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorDevQuery decode(byte[] b, int o) {
        return new DrmPanthorDevQuery(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8));
    }

    public static DrmPanthorDevQuery decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, type);
        Le.put32(b, o + 4, size);
        Le.put64(b, o + 8, pointer);
    }

    public DrmPanthorDevQuery withType(int value) {
        return new DrmPanthorDevQuery(value, size, pointer);
    }

    public DrmPanthorDevQuery withSize(int value) {
        return new DrmPanthorDevQuery(type, value, pointer);
    }

    public DrmPanthorDevQuery withPointer(long value) {
        return new DrmPanthorDevQuery(type, size, value);
    }
}
