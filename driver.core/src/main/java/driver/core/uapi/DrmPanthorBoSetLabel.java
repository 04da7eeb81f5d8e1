package driver.core.uapi;

/**
 * {@code struct drm_panthor_bo_set_label} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_BO_SET_LABEL argument ({@code label} is a user pointer to a NUL-terminated string, or 0).
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          pad
 *   0x08  __u64                          label
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorBoSetLabel(int handle, int pad, long label) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_bo_set_label)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_PAD = 4;
    public static final int OFFSET_LABEL = 8;

    /** All-zero value. */
    public static final DrmPanthorBoSetLabel ZERO = new DrmPanthorBoSetLabel(0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorBoSetLabel decode(byte[] b, int o) {
        return new DrmPanthorBoSetLabel(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8));
    }

    public static DrmPanthorBoSetLabel decode(byte[] b) {
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
        Le.put64(b, o + 8, label);
    }

    public DrmPanthorBoSetLabel withHandle(int value) {
        return new DrmPanthorBoSetLabel(value, pad, label);
    }

    public DrmPanthorBoSetLabel withPad(int value) {
        return new DrmPanthorBoSetLabel(handle, value, label);
    }

    public DrmPanthorBoSetLabel withLabel(long value) {
        return new DrmPanthorBoSetLabel(handle, pad, value);
    }
}
