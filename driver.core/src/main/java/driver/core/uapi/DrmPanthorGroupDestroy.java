package driver.core.uapi;

/**
 * {@code struct drm_panthor_group_destroy} of {@code panthor_drm.h}: 8 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_GROUP_DESTROY argument.
 *
 * <pre>
 *   0x00  __u32                          group_handle
 *   0x04  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorGroupDestroy(int groupHandle, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_group_destroy)}. */
    public static final int SIZE = 8;

    public static final int OFFSET_GROUP_HANDLE = 0;
    public static final int OFFSET_PAD = 4;

    /** All-zero value. */
    public static final DrmPanthorGroupDestroy ZERO = new DrmPanthorGroupDestroy(0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorGroupDestroy decode(byte[] b, int o) {
        return new DrmPanthorGroupDestroy(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4));
    }

    public static DrmPanthorGroupDestroy decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, groupHandle);
        Le.put32(b, o + 4, pad);
    }

    public DrmPanthorGroupDestroy withGroupHandle(int value) {
        return new DrmPanthorGroupDestroy(value, pad);
    }

    public DrmPanthorGroupDestroy withPad(int value) {
        return new DrmPanthorGroupDestroy(groupHandle, value);
    }
}
