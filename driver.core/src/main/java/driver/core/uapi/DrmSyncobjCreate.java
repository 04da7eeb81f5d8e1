package driver.core.uapi;

/**
 * {@code struct drm_syncobj_create} of {@code drm.h}: 8 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_SYNCOBJ_CREATE argument.
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          flags
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmSyncobjCreate(int handle, int flags) implements UapiStruct {

    /** {@code sizeof(struct drm_syncobj_create)}. */
    public static final int SIZE = 8;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_FLAGS = 4;

    /** All-zero value. */
    public static final DrmSyncobjCreate ZERO = new DrmSyncobjCreate(0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmSyncobjCreate decode(byte[] b, int o) {
        return new DrmSyncobjCreate(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4));
    }

    public static DrmSyncobjCreate decode(byte[] b) {
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
    }

    public DrmSyncobjCreate withHandle(int value) {
        return new DrmSyncobjCreate(value, flags);
    }

    public DrmSyncobjCreate withFlags(int value) {
        return new DrmSyncobjCreate(handle, value);
    }
}
