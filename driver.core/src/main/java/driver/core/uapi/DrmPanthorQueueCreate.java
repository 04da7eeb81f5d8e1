package driver.core.uapi;

/**
 * {@code struct drm_panthor_queue_create} of {@code panthor_drm.h}: 8 bytes, little-endian, LP64 layout.
 *
 * <p>One queue of a GROUP_CREATE (an element of {@link DrmPanthorGroupCreate#queues()}).
 *
 * <pre>
 *   0x00  __u8                           priority
 *   0x01  __u8                           pad[0]
 *   0x02  __u8                           pad[1]
 *   0x03  __u8                           pad[2]
 *   0x04  __u32                          ringbuf_size
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorQueueCreate(int priority, int pad0, int pad1, int pad2, int ringbufSize) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_queue_create)}. */
    public static final int SIZE = 8;

    /** Minimum size userspace may pass: the end of {@code ringbuf_size}, the last mandatory field. */
    public static final int MIN_SIZE = 8;

    public static final int OFFSET_PRIORITY = 0;
    public static final int OFFSET_PAD0 = 1;
    public static final int OFFSET_PAD1 = 2;
    public static final int OFFSET_PAD2 = 3;
    public static final int OFFSET_RINGBUF_SIZE = 4;

    /** All-zero value. */
    public static final DrmPanthorQueueCreate ZERO = new DrmPanthorQueueCreate(0, 0, 0, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorQueueCreate decode(byte[] b, int o) {
        return new DrmPanthorQueueCreate(
                Le.u8(b, o + 0),
                Le.u8(b, o + 1),
                Le.u8(b, o + 2),
                Le.u8(b, o + 3),
                Le.u32(b, o + 4));
    }

    public static DrmPanthorQueueCreate decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put8(b, o + 0, priority);
        Le.put8(b, o + 1, pad0);
        Le.put8(b, o + 2, pad1);
        Le.put8(b, o + 3, pad2);
        Le.put32(b, o + 4, ringbufSize);
    }

    public DrmPanthorQueueCreate withPriority(int value) {
        return new DrmPanthorQueueCreate(value, pad0, pad1, pad2, ringbufSize);
    }

    public DrmPanthorQueueCreate withPad0(int value) {
        return new DrmPanthorQueueCreate(priority, value, pad1, pad2, ringbufSize);
    }

    public DrmPanthorQueueCreate withPad1(int value) {
        return new DrmPanthorQueueCreate(priority, pad0, value, pad2, ringbufSize);
    }

    public DrmPanthorQueueCreate withPad2(int value) {
        return new DrmPanthorQueueCreate(priority, pad0, pad1, value, ringbufSize);
    }

    public DrmPanthorQueueCreate withRingbufSize(int value) {
        return new DrmPanthorQueueCreate(priority, pad0, pad1, pad2, value);
    }
}
