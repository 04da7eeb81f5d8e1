package driver.core.uapi;

/**
 * {@code struct drm_syncobj_timeline_array} of {@code drm.h}: 24 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_SYNCOBJ_QUERY / TIMELINE_SIGNAL argument.
 *
 * <pre>
 *   0x00  __u64                          handles
 *   0x08  __u64                          points
 *   0x10  __u32                          count_handles
 *   0x14  __u32                          flags
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmSyncobjTimelineArray(long handles, long points, int countHandles, int flags) implements UapiStruct {

    /** {@code sizeof(struct drm_syncobj_timeline_array)}. */
    public static final int SIZE = 24;

    public static final int OFFSET_HANDLES = 0;
    public static final int OFFSET_POINTS = 8;
    public static final int OFFSET_COUNT_HANDLES = 16;
    public static final int OFFSET_FLAGS = 20;

    /** All-zero value. */
    public static final DrmSyncobjTimelineArray ZERO = new DrmSyncobjTimelineArray(0L, 0L, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmSyncobjTimelineArray decode(byte[] b, int o) {
        return new DrmSyncobjTimelineArray(
                Le.u64(b, o + 0),
                Le.u64(b, o + 8),
                Le.u32(b, o + 16),
                Le.u32(b, o + 20));
    }

    public static DrmSyncobjTimelineArray decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put64(b, o + 0, handles);
        Le.put64(b, o + 8, points);
        Le.put32(b, o + 16, countHandles);
        Le.put32(b, o + 20, flags);
    }

    public DrmSyncobjTimelineArray withHandles(long value) {
        return new DrmSyncobjTimelineArray(value, points, countHandles, flags);
    }

    public DrmSyncobjTimelineArray withPoints(long value) {
        return new DrmSyncobjTimelineArray(handles, value, countHandles, flags);
    }

    public DrmSyncobjTimelineArray withCountHandles(int value) {
        return new DrmSyncobjTimelineArray(handles, points, value, flags);
    }

    public DrmSyncobjTimelineArray withFlags(int value) {
        return new DrmSyncobjTimelineArray(handles, points, countHandles, value);
    }
}
