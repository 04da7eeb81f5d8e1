package driver.core.uapi;

/**
 * {@code struct drm_panthor_bo_query_info} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_BO_QUERY_INFO argument.
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          extra_flags
 *   0x08  __u32                          create_flags
 *   0x0c  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorBoQueryInfo(int handle, int extraFlags, int createFlags, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_bo_query_info)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_EXTRA_FLAGS = 4;
    public static final int OFFSET_CREATE_FLAGS = 8;
    public static final int OFFSET_PAD = 12;

    /** All-zero value. */
    public static final DrmPanthorBoQueryInfo ZERO = new DrmPanthorBoQueryInfo(0, 0, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorBoQueryInfo decode(byte[] b, int o) {
        return new DrmPanthorBoQueryInfo(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12));
    }

    public static DrmPanthorBoQueryInfo decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, handle);
        Le.put32(b, o + 4, extraFlags);
        Le.put32(b, o + 8, createFlags);
        Le.put32(b, o + 12, pad);
    }

    public DrmPanthorBoQueryInfo withHandle(int value) {
        return new DrmPanthorBoQueryInfo(value, extraFlags, createFlags, pad);
    }

    public DrmPanthorBoQueryInfo withExtraFlags(int value) {
        return new DrmPanthorBoQueryInfo(handle, value, createFlags, pad);
    }

    public DrmPanthorBoQueryInfo withCreateFlags(int value) {
        return new DrmPanthorBoQueryInfo(handle, extraFlags, value, pad);
    }

    public DrmPanthorBoQueryInfo withPad(int value) {
        return new DrmPanthorBoQueryInfo(handle, extraFlags, createFlags, value);
    }
}
