package driver.core.uapi;

/**
 * {@code struct drm_syncobj_wait} of {@code drm.h}: 40 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_SYNCOBJ_WAIT argument, with {@code deadline_nsec} (Linux 6.8); {@code timeout_nsec} is absolute CLOCK_MONOTONIC.
 *
 * <pre>
 *   0x00  __u64                          handles
 *   0x08  __s64                          timeout_nsec
 *   0x10  __u32                          count_handles
 *   0x14  __u32                          flags
 *   0x18  __u32                          first_signaled
 *   0x1c  __u32                          pad
 *   0x20  __u64                          deadline_nsec
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmSyncobjWait(long handles, long timeoutNsec, int countHandles, int flags, int firstSignaled, int pad, long deadlineNsec) implements UapiStruct {

    /** {@code sizeof(struct drm_syncobj_wait)}. */
    public static final int SIZE = 40;

    public static final int OFFSET_HANDLES = 0;
    public static final int OFFSET_TIMEOUT_NSEC = 8;
    public static final int OFFSET_COUNT_HANDLES = 16;
    public static final int OFFSET_FLAGS = 20;
    public static final int OFFSET_FIRST_SIGNALED = 24;
    public static final int OFFSET_PAD = 28;
    public static final int OFFSET_DEADLINE_NSEC = 32;

    /** All-zero value. */
    public static final DrmSyncobjWait ZERO = new DrmSyncobjWait(0L, 0L, 0, 0, 0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmSyncobjWait decode(byte[] b, int o) {
        return new DrmSyncobjWait(
                Le.u64(b, o + 0),
                Le.u64(b, o + 8),
                Le.u32(b, o + 16),
                Le.u32(b, o + 20),
                Le.u32(b, o + 24),
                Le.u32(b, o + 28),
                Le.u64(b, o + 32));
    }

    public static DrmSyncobjWait decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put64(b, o + 0, handles);
        Le.put64(b, o + 8, timeoutNsec);
        Le.put32(b, o + 16, countHandles);
        Le.put32(b, o + 20, flags);
        Le.put32(b, o + 24, firstSignaled);
        Le.put32(b, o + 28, pad);
        Le.put64(b, o + 32, deadlineNsec);
    }

    public DrmSyncobjWait withHandles(long value) {
        return new DrmSyncobjWait(value, timeoutNsec, countHandles, flags, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjWait withTimeoutNsec(long value) {
        return new DrmSyncobjWait(handles, value, countHandles, flags, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjWait withCountHandles(int value) {
        return new DrmSyncobjWait(handles, timeoutNsec, value, flags, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjWait withFlags(int value) {
        return new DrmSyncobjWait(handles, timeoutNsec, countHandles, value, firstSignaled, pad, deadlineNsec);
    }

    public DrmSyncobjWait withFirstSignaled(int value) {
        return new DrmSyncobjWait(handles, timeoutNsec, countHandles, flags, value, pad, deadlineNsec);
    }

    public DrmSyncobjWait withPad(int value) {
        return new DrmSyncobjWait(handles, timeoutNsec, countHandles, flags, firstSignaled, value, deadlineNsec);
    }

    public DrmSyncobjWait withDeadlineNsec(long value) {
        return new DrmSyncobjWait(handles, timeoutNsec, countHandles, flags, firstSignaled, pad, value);
    }
}
