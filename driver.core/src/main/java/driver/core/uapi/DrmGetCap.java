package driver.core.uapi;

/**
 * {@code struct drm_get_cap} of {@code drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_GET_CAP argument.
 *
 * <pre>
 *   0x00  __u64                          capability
 *   0x08  __u64                          value
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmGetCap(long capability, long value) implements UapiStruct {

    /** {@code sizeof(struct drm_get_cap)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_CAPABILITY = 0;
    public static final int OFFSET_VALUE = 8;

    /** All-zero value. */
    public static final DrmGetCap ZERO = new DrmGetCap(0L, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmGetCap decode(byte[] b, int o) {
        return new DrmGetCap(
                Le.u64(b, o + 0),
                Le.u64(b, o + 8));
    }

    public static DrmGetCap decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put64(b, o + 0, capability);
        Le.put64(b, o + 8, value);
    }

    public DrmGetCap withCapability(long value) {
        return new DrmGetCap(value, value);
    }

    public DrmGetCap withValue(long value) {
        return new DrmGetCap(capability, value);
    }
}
