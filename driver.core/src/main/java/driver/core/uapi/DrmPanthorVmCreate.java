package driver.core.uapi;

/**
 * {@code struct drm_panthor_vm_create} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_VM_CREATE argument.
 *
 * <pre>
 *   0x00  __u32                          flags
 *   0x04  __u32                          id
 *   0x08  __u64                          user_va_range
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorVmCreate(int flags, int id, long userVaRange) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_vm_create)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_FLAGS = 0;
    public static final int OFFSET_ID = 4;
    public static final int OFFSET_USER_VA_RANGE = 8;

    /** All-zero value. */
    public static final DrmPanthorVmCreate ZERO = new DrmPanthorVmCreate(0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorVmCreate decode(byte[] b, int o) {
        return new DrmPanthorVmCreate(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8));
    }

    public static DrmPanthorVmCreate decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, flags);
        Le.put32(b, o + 4, id);
        Le.put64(b, o + 8, userVaRange);
    }

    public DrmPanthorVmCreate withFlags(int value) {
        return new DrmPanthorVmCreate(value, id, userVaRange);
    }

    public DrmPanthorVmCreate withId(int value) {
        return new DrmPanthorVmCreate(flags, value, userVaRange);
    }

    public DrmPanthorVmCreate withUserVaRange(long value) {
        return new DrmPanthorVmCreate(flags, id, value);
    }
}
