package driver.core.uapi;

/**
 * {@code struct drm_syncobj_handle} of {@code drm.h}: 24 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD / FD_TO_HANDLE argument, with the timeline {@code point} appended in newer drm.h (older userspace passes 16 bytes; drm_ioctl zero-extends).
 *
 * <pre>
 *   0x00  __u32                          handle
 *   0x04  __u32                          flags
 *   0x08  __s32                          fd
 *   0x0c  __u32                          pad
 *   0x10  __u64                          point
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmSyncobjHandle(int handle, int flags, int fd, int pad, long point) implements UapiStruct {

    /** {@code sizeof(struct drm_syncobj_handle)}. */
    public static final int SIZE = 24;

    public static final int OFFSET_HANDLE = 0;
    public static final int OFFSET_FLAGS = 4;
    public static final int OFFSET_FD = 8;
    public static final int OFFSET_PAD = 12;
    public static final int OFFSET_POINT = 16;

    /** All-zero value. */
    public static final DrmSyncobjHandle ZERO = new DrmSyncobjHandle(0, 0, 0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmSyncobjHandle decode(byte[] b, int o) {
        return new DrmSyncobjHandle(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12),
                Le.u64(b, o + 16));
    }

    public static DrmSyncobjHandle decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, handle);
        Le.put32(b, o + 4, flags);
        Le.put32(b, o + 8, fd);
        Le.put32(b, o + 12, pad);
        Le.put64(b, o + 16, point);
    }

    public DrmSyncobjHandle withHandle(int value) {
        return new DrmSyncobjHandle(value, flags, fd, pad, point);
    }

    public DrmSyncobjHandle withFlags(int value) {
        return new DrmSyncobjHandle(handle, value, fd, pad, point);
    }

    public DrmSyncobjHandle withFd(int value) {
        return new DrmSyncobjHandle(handle, flags, value, pad, point);
    }

    public DrmSyncobjHandle withPad(int value) {
        return new DrmSyncobjHandle(handle, flags, fd, value, point);
    }

    public DrmSyncobjHandle withPoint(long value) {
        return new DrmSyncobjHandle(handle, flags, fd, pad, value);
    }
}
