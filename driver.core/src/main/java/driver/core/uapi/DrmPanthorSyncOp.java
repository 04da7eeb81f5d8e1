package driver.core.uapi;

/**
 * {@code struct drm_panthor_sync_op} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>A wait or signal on a (timeline) syncobj, attached to a VM_BIND op or a queue submit.
 *
 * <pre>
 *   0x00  __u32                          flags
 *   0x04  __u32                          handle
 *   0x08  __u64                          timeline_value
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorSyncOp(int flags, int handle, long timelineValue) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_sync_op)}. */
    public static final int SIZE = 16;

    /** Minimum size userspace may pass: the end of {@code timeline_value}, the last mandatory field. */
    public static final int MIN_SIZE = 16;

    public static final int OFFSET_FLAGS = 0;
    public static final int OFFSET_HANDLE = 4;
    public static final int OFFSET_TIMELINE_VALUE = 8;

    /** All-zero value. */
    public static final DrmPanthorSyncOp ZERO = new DrmPanthorSyncOp(0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorSyncOp decode(byte[] b, int o) {
        return new DrmPanthorSyncOp(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8));
    }

    public static DrmPanthorSyncOp decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, flags);
        Le.put32(b, o + 4, handle);
        Le.put64(b, o + 8, timelineValue);
    }

    public DrmPanthorSyncOp withFlags(int value) {
        return new DrmPanthorSyncOp(value, handle, timelineValue);
    }

    public DrmPanthorSyncOp withHandle(int value) {
        return new DrmPanthorSyncOp(flags, value, timelineValue);
    }

    public DrmPanthorSyncOp withTimelineValue(long value) {
        return new DrmPanthorSyncOp(flags, handle, value);
    }
}
