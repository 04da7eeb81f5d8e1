package driver.core.uapi;

/**
 * {@code struct drm_syncobj_timeline_wait} of {@code drm.h}: 48 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT argument, with {@code deadline_nsec} (Linux 6.8).
 *
 * <pre>
 *   0x00  __u64                          handles
 *   0x08  __u64                          points
 *   0x10  __s64                          timeout_nsec
 *   0x18  __u32                          count_handles
 *   0x1c  __u32                          flags
 *   0x20  __u32                          first_signaled
 *   0x24  __u32                          pad
 *   0x28  __u64                          deadline_nsec
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmSyncobjTimelineWait(long handles, long points, long timeoutNsec, int countHandles, int flags, int firstSignaled, int pad, long deadlineNsec) implements UapiStruct {

    /** {@code sizeof(struct drm_syncobj_timeline_wait)}. */
    public static final int SIZE = 48;

    public static final int OFFSET_HANDLES = 0;
    public static final int OFFSET_POINTS = 8;
    public static final int OFFSET_TIMEOUT_NSEC = 16;
    public static final int OFFSET_COUNT_HANDLES = 24;
    public static final int OFFSET_FLAGS = 28;
    public static final int OFFSET_FIRST_SIGNALED = 32;
    public static final int OFFSET_PAD = 36;
    public static final int OFFSET_DEADLINE_NSEC = 40;

    /** All-zero value. */
    public static final DrmSyncobjTimelineWait ZERO = new DrmSyncobjTimelineWait(0L, 0L, 0L, 0, 0, 0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmSyncobjTimelineWait decode(byte[] b, int o) {
        return new DrmSyncobjTimelineWait(
                Le.u64(b, o + 0),
                Le.u64(b, o + 8),
                Le.u64(b, o + 16),
                Le.u32(b, o + 24),
                Le.u32(b, o + 28),
                Le.u32(b, o + 32),
                Le.u32(b, o + 36),
                Le.u64(b, o + 40));
    }

    public static DrmSyncobjTimelineWait decode(byte[] b) {
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
        Le.put64(b, o + 16, timeoutNsec);
        Le.put32(b, o + 24, countHandles);
        Le.put32(b, o + 28, flags);
        Le.put32(b, o + 32, firstSignaled);
        Le.put32(b, o + 36, pad);
        Le.put64(b, o + 40, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withHandles(long value) {
        return new DrmSyncobjTimelineWait(value, points, timeoutNsec, countHandles, flags, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withPoints(long value) {
        return new DrmSyncobjTimelineWait(handles, value, timeoutNsec, countHandles, flags, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withTimeoutNsec(long value) {
        return new DrmSyncobjTimelineWait(handles, points, value, countHandles, flags, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withCountHandles(int value) {
        return new DrmSyncobjTimelineWait(handles, points, timeoutNsec, value, flags, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withFlags(int value) {
        return new DrmSyncobjTimelineWait(handles, points, timeoutNsec, countHandles, value, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withFirstSignaled(int value) {
        return new DrmSyncobjTimelineWait(handles, points, timeoutNsec, countHandles, flags, value, pad, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withPad(int value) {
        return new DrmSyncobjTimelineWait(handles, points, timeoutNsec, countHandles, flags, firstSignaled, value, deadlineNsec);
    }

    public DrmSyncobjTimelineWait withDeadlineNsec(long value) {
        return new DrmSyncobjTimelineWait(handles, points, timeoutNsec, countHandles, flags, firstSignaled, pad, value);
    }
}
