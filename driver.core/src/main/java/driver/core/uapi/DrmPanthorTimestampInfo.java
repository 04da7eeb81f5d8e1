package driver.core.uapi;

/**
 * {@code struct drm_panthor_timestamp_info} of {@code panthor_drm.h}: 56 bytes, little-endian, LP64 layout.
 *
 * <p>DEV_QUERY TIMESTAMP_INFO payload (UABI 1.8: in/out, {@code flags} select what is sampled).
 *
 * <pre>
 *   0x00  __u64                          timestamp_frequency
 *   0x08  __u64                          current_timestamp
 *   0x10  __u64                          timestamp_offset
 *   0x18  __u32                          flags
 *   0x1c  __u32                          duration_nsec
 *   0x20  __u64                          cycle_count
 *   0x28  __u64                          cpu_timestamp_sec
 *   0x30  __u64                          cpu_timestamp_nsec
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorTimestampInfo(long timestampFrequency, long currentTimestamp, long timestampOffset, int flags, int durationNsec, long cycleCount, long cpuTimestampSec, long cpuTimestampNsec) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_timestamp_info)}. */
    public static final int SIZE = 56;

    /** Minimum size userspace may pass: the end of {@code current_timestamp}, the last mandatory field. */
    public static final int MIN_SIZE = 16;

    public static final int OFFSET_TIMESTAMP_FREQUENCY = 0;
    public static final int OFFSET_CURRENT_TIMESTAMP = 8;
    public static final int OFFSET_TIMESTAMP_OFFSET = 16;
    public static final int OFFSET_FLAGS = 24;
    public static final int OFFSET_DURATION_NSEC = 28;
    public static final int OFFSET_CYCLE_COUNT = 32;
    public static final int OFFSET_CPU_TIMESTAMP_SEC = 40;
    public static final int OFFSET_CPU_TIMESTAMP_NSEC = 48;

    /** All-zero value. */
    public static final DrmPanthorTimestampInfo ZERO = new DrmPanthorTimestampInfo(0L, 0L, 0L, 0, 0, 0L, 0L, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorTimestampInfo decode(byte[] b, int o) {
        return new DrmPanthorTimestampInfo(
                Le.u64(b, o + 0),
                Le.u64(b, o + 8),
                Le.u64(b, o + 16),
                Le.u32(b, o + 24),
                Le.u32(b, o + 28),
                Le.u64(b, o + 32),
                Le.u64(b, o + 40),
                Le.u64(b, o + 48));
    }

    public static DrmPanthorTimestampInfo decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put64(b, o + 0, timestampFrequency);
        Le.put64(b, o + 8, currentTimestamp);
        Le.put64(b, o + 16, timestampOffset);
        Le.put32(b, o + 24, flags);
        Le.put32(b, o + 28, durationNsec);
        Le.put64(b, o + 32, cycleCount);
        Le.put64(b, o + 40, cpuTimestampSec);
        Le.put64(b, o + 48, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withTimestampFrequency(long value) {
        return new DrmPanthorTimestampInfo(value, currentTimestamp, timestampOffset, flags, durationNsec, cycleCount, cpuTimestampSec, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withCurrentTimestamp(long value) {
        return new DrmPanthorTimestampInfo(timestampFrequency, value, timestampOffset, flags, durationNsec, cycleCount, cpuTimestampSec, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withTimestampOffset(long value) {
        return new DrmPanthorTimestampInfo(timestampFrequency, currentTimestamp, value, flags, durationNsec, cycleCount, cpuTimestampSec, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withFlags(int value) {
        return new DrmPanthorTimestampInfo(timestampFrequency, currentTimestamp, timestampOffset, value, durationNsec, cycleCount, cpuTimestampSec, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withDurationNsec(int value) {
        return new DrmPanthorTimestampInfo(timestampFrequency, currentTimestamp, timestampOffset, flags, value, cycleCount, cpuTimestampSec, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withCycleCount(long value) {
        return new DrmPanthorTimestampInfo(timestampFrequency, currentTimestamp, timestampOffset, flags, durationNsec, value, cpuTimestampSec, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withCpuTimestampSec(long value) {
        return new DrmPanthorTimestampInfo(timestampFrequency, currentTimestamp, timestampOffset, flags, durationNsec, cycleCount, value, cpuTimestampNsec);
    }

    public DrmPanthorTimestampInfo withCpuTimestampNsec(long value) {
        return new DrmPanthorTimestampInfo(timestampFrequency, currentTimestamp, timestampOffset, flags, durationNsec, cycleCount, cpuTimestampSec, value);
    }
}
