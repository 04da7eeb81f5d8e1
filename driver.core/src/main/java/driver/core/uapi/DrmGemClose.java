package driver.core.uapi;

/**
 * {@code struct drm_gem_close} of {@code drm.h}: 8 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_GEM_CLOSE argument.
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmGemClose(int handle, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_gem_close)}. */
    public static final int SIZE = 8;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_PAD = 4;

    /** All-zero value. */
    public static final DrmGemClose ZERO = new DrmGemClose(0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmGemClose decode(byte[] b, int o) {
        return new DrmGemClose(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4));
    }

    public static DrmGemClose decode(byte[] b) {
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
    }

    public DrmGemClose withHandle(int value) {
        return new DrmGemClose(value, pad);
    }

    public DrmGemClose withPad(int value) {
        return new DrmGemClose(handle, value);
    }
}
