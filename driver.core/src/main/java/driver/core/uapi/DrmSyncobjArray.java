package driver.core.uapi;

/**
 * {@code struct drm_syncobj_array} of {@code drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_SYNCOBJ_RESET / SIGNAL argument.
 *
 * <pre>
 *   0x00  __u64                          handles
 *   0x08  __u32                          count_handles
 *   0x0c  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmSyncobjArray(long handles, int countHandles, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_syncobj_array)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_HANDLES = 0;
    public static final int OFFSET_COUNT_HANDLES = 8;
    public static final int OFFSET_PAD = 12;

    /** All-zero value. */
    public static final DrmSyncobjArray ZERO = new DrmSyncobjArray(0L, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmSyncobjArray decode(byte[] b, int o) {
        return new DrmSyncobjArray(
                Le.u64(b, o + 0),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12));
    }

    public static DrmSyncobjArray decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put64(b, o + 0, handles);
        Le.put32(b, o + 8, countHandles);
        Le.put32(b, o + 12, pad);
    }

    public DrmSyncobjArray withHandles(long value) {
        return new DrmSyncobjArray(value, countHandles, pad);
    }

    public DrmSyncobjArray withCountHandles(int value) {
        return new DrmSyncobjArray(handles, value, pad);
    }

    public DrmSyncobjArray withPad(int value) {
        return new DrmSyncobjArray(handles, countHandles, value);
    }
}
