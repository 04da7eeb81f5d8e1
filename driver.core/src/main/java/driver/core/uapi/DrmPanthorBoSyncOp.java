package driver.core.uapi;

/**
 * {@code struct drm_panthor_bo_sync_op} of {@code panthor_drm.h}: 24 bytes, little-endian, LP64 layout.
 *
 * <p>One BO_SYNC operation (an element of {@link DrmPanthorBoSync#ops()}).
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          type
 *   0x08  __u64                          offset
 *   0x10  __u64                          size
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorBoSyncOp(int handle, int type, long offset, long size) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_bo_sync_op)}. */
    public static final int SIZE = 24;

    /** Minimum size userspace may pass: the end of {@code size}, the last mandatory field. */
    public static final int MIN_SIZE = 24;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_TYPE = 4;
    public static final int OFFSET_OFFSET = 8;
    public static final int OFFSET_SIZE = 16;

    /** All-zero value. */
    public static final DrmPanthorBoSyncOp ZERO = new DrmPanthorBoSyncOp(0, 0, 0L, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorBoSyncOp decode(byte[] b, int o) {
        return new DrmPanthorBoSyncOp(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8),
                Le.u64(b, o + 16));
    }

    public static DrmPanthorBoSyncOp decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, handle);
        Le.put32(b, o + 4, type);
        Le.put64(b, o + 8, offset);
        Le.put64(b, o + 16, size);
    }

    public DrmPanthorBoSyncOp withHandle(int value) {
        return new DrmPanthorBoSyncOp(value, type, offset, size);
    }

    public DrmPanthorBoSyncOp withType(int value) {
        return new DrmPanthorBoSyncOp(handle, value, offset, size);
    }

    public DrmPanthorBoSyncOp withOffset(long value) {
        return new DrmPanthorBoSyncOp(handle, type, value, size);
    }

    public DrmPanthorBoSyncOp withSize(long value) {
        return new DrmPanthorBoSyncOp(handle, type, offset, value);
    }
}
