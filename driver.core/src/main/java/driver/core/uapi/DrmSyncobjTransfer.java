package driver.core.uapi;

/**
 * {@code struct drm_syncobj_transfer} of {@code drm.h}: 32 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_SYNCOBJ_TRANSFER argument.
 *
 * <pre>
 *   0x00  __u32                          src_handle
 *   0x04  __u32                          dst_handle
 *   0x08  __u64                          src_point
 *   0x10  __u64                          dst_point
 *   0x18  __u32                          flags
 *   0x1c  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmSyncobjTransfer(int srcHandle, int dstHandle, long srcPoint, long dstPoint, int flags, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_syncobj_transfer)}. */
    public static final int SIZE = 32;

    public static final int OFFSET_SRC_HANDLE = 0;
    public static final int OFFSET_DST_HANDLE = 4;
    public static final int OFFSET_SRC_POINT = 8;
    public static final int OFFSET_DST_POINT = 16;
    public static final int OFFSET_FLAGS = 24;
    public static final int OFFSET_PAD = 28;

    /** All-zero value. */
    public static final DrmSyncobjTransfer ZERO = new DrmSyncobjTransfer(0, 0, 0L, 0L, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmSyncobjTransfer decode(byte[] b, int o) {
        return new DrmSyncobjTransfer(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8),
                Le.u64(b, o + 16),
                Le.u32(b, o + 24),
                Le.u32(b, o + 28));
    }

    public static DrmSyncobjTransfer decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, srcHandle);
        Le.put32(b, o + 4, dstHandle);
        Le.put64(b, o + 8, srcPoint);
        Le.put64(b, o + 16, dstPoint);
        Le.put32(b, o + 24, flags);
        Le.put32(b, o + 28, pad);
    }

    public DrmSyncobjTransfer withSrcHandle(int value) {
        return new DrmSyncobjTransfer(value, dstHandle, srcPoint, dstPoint, flags, pad);
    }

    public DrmSyncobjTransfer withDstHandle(int value) {
        return new DrmSyncobjTransfer(srcHandle, value, srcPoint, dstPoint, flags, pad);
    }

    public DrmSyncobjTransfer withSrcPoint(long value) {
        return new DrmSyncobjTransfer(srcHandle, dstHandle, value, dstPoint, flags, pad);
    }

    public DrmSyncobjTransfer withDstPoint(long value) {
        return new DrmSyncobjTransfer(srcHandle, dstHandle, srcPoint, value, flags, pad);
    }

    public DrmSyncobjTransfer withFlags(int value) {
        return new DrmSyncobjTransfer(srcHandle, dstHandle, srcPoint, dstPoint, value, pad);
    }

    public DrmSyncobjTransfer withPad(int value) {
        return new DrmSyncobjTransfer(srcHandle, dstHandle, srcPoint, dstPoint, flags, value);
    }
}
