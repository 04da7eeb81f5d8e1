package driver.core.uapi;

/**
 * {@code struct drm_panthor_queue_submit} of {@code panthor_drm.h}: 40 bytes, little-endian, LP64 layout.
 *
 * <p>One job of a GROUP_SUBMIT (an element of {@link DrmPanthorGroupSubmit#queueSubmits()}).
 *
 * <pre>
 *   0x00  __u32                          queue_index
 *   0x04  __u32                          stream_size
 *   0x08  __u64                          stream_addr
 *   0x10  __u32                          latest_flush
 *   0x14  __u32                          pad
 *   0x18  struct drm_panthor_obj_array   syncs
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorQueueSubmit(int queueIndex, int streamSize, long streamAddr, int latestFlush, int pad, DrmPanthorObjArray syncs) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_queue_submit)}. */
    public static final int SIZE = 40;

    /** Minimum size userspace may pass: the end of {@code syncs}, the last mandatory field. */
    public static final int MIN_SIZE = 40;

    public static final int OFFSET_QUEUE_INDEX = 0;
    public static final int OFFSET_STREAM_SIZE = 4;
    public static final int OFFSET_STREAM_ADDR = 8;
    public static final int OFFSET_LATEST_FLUSH = 16;
    public static final int OFFSET_PAD = 20;
    public static final int OFFSET_SYNCS = 24;

    /** All-zero value. */
    public static final DrmPanthorQueueSubmit ZERO = new DrmPanthorQueueSubmit(0, 0, 0L, 0, 0, DrmPanthorObjArray.EMPTY);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorQueueSubmit decode(byte[] b, int o) {
        return new DrmPanthorQueueSubmit(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8),
                Le.u32(b, o + 16),
                Le.u32(b, o + 20),
                DrmPanthorObjArray.decode(b, o + 24));
    }

    public static DrmPanthorQueueSubmit decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, queueIndex);
        Le.put32(b, o + 4, streamSize);
        Le.put64(b, o + 8, streamAddr);
        Le.put32(b, o + 16, latestFlush);
        Le.put32(b, o + 20, pad);
        syncs.encode(b, o + 24);
    }

    public DrmPanthorQueueSubmit withQueueIndex(int value) {
        return new DrmPanthorQueueSubmit(value, streamSize, streamAddr, latestFlush, pad, syncs);
    }

    public DrmPanthorQueueSubmit withStreamSize(int value) {
        return new DrmPanthorQueueSubmit(queueIndex, value, streamAddr, latestFlush, pad, syncs);
    }

    public DrmPanthorQueueSubmit withStreamAddr(long value) {
        return new DrmPanthorQueueSubmit(queueIndex, streamSize, value, latestFlush, pad, syncs);
    }

    public DrmPanthorQueueSubmit withLatestFlush(int value) {
        return new DrmPanthorQueueSubmit(queueIndex, streamSize, streamAddr, value, pad, syncs);
    }

    public DrmPanthorQueueSubmit withPad(int value) {
        return new DrmPanthorQueueSubmit(queueIndex, streamSize, streamAddr, latestFlush, value, syncs);
    }

    public DrmPanthorQueueSubmit withSyncs(DrmPanthorObjArray value) {
        return new DrmPanthorQueueSubmit(queueIndex, streamSize, streamAddr, latestFlush, pad, value);
    }
}
