package driver.core.uapi;

/**
 * {@code struct drm_panthor_bo_mmap_offset} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET argument.
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          pad
 *   0x08  __u64                          offset
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorBoMmapOffset(int handle, int pad, long offset) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_bo_mmap_offset)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_PAD = 4;
    public static final int OFFSET_OFFSET = 8;

    /** All-zero value. */
    public static final DrmPanthorBoMmapOffset ZERO = new DrmPanthorBoMmapOffset(0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorBoMmapOffset decode(byte[] b, int o) {
        return new DrmPanthorBoMmapOffset(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8));
    }

    public static DrmPanthorBoMmapOffset decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, handle);
        Le.put32(b, o + 4, pad);
        Le.put64(b, o + 8, offset);
    }

    public DrmPanthorBoMmapOffset withHandle(int value) {
        return new DrmPanthorBoMmapOffset(value, pad, offset);
    }

    public DrmPanthorBoMmapOffset withPad(int value) {
        return new DrmPanthorBoMmapOffset(handle, value, offset);
    }

    public DrmPanthorBoMmapOffset withOffset(long value) {
        return new DrmPanthorBoMmapOffset(handle, pad, value);
    }
}
