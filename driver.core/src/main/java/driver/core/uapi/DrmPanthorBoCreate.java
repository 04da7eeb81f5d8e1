package driver.core.uapi;

/**
 * {@code struct drm_panthor_bo_create} of {@code panthor_drm.h}: 24 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_BO_CREATE argument.
 *
 * <pre>
 *   0x00  __u64                          size
 *   0x08  __u32                          flags
 *   0x0c  __u32                          exclusive_vm_id
 *   0x10  __u32                          handle
 *   0x14  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorBoCreate(long size, int flags, int exclusiveVmId, int handle, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_bo_create)}. */
    public static final int SIZE = 24;

    public static final int OFFSET_SIZE = 0;
    public static final int OFFSET_FLAGS = 8;
    public static final int OFFSET_EXCLUSIVE_VM_ID = 12;
    public static final int OFFSET_HANDLE = 16;
    public static final int OFFSET_PAD = 20;

    /** All-zero value. */
    public static final DrmPanthorBoCreate ZERO = new DrmPanthorBoCreate(0L, 0, 0, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorBoCreate decode(byte[] b, int o) {
        return new DrmPanthorBoCreate(
                Le.u64(b, o + 0),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12),
                Le.u32(b, o + 16),
                Le.u32(b, o + 20));
    }

    public static DrmPanthorBoCreate decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put64(b, o + 0, size);
        Le.put32(b, o + 8, flags);
        Le.put32(b, o + 12, exclusiveVmId);
        Le.put32(b, o + 16, handle);
        Le.put32(b, o + 20, pad);
    }

    public DrmPanthorBoCreate withSize(long value) {
        return new DrmPanthorBoCreate(value, flags, exclusiveVmId, handle, pad);
    }

    public DrmPanthorBoCreate withFlags(int value) {
        return new DrmPanthorBoCreate(size, value, exclusiveVmId, handle, pad);
    }

    public DrmPanthorBoCreate withExclusiveVmId(int value) {
        return new DrmPanthorBoCreate(size, flags, value, handle, pad);
    }

    public DrmPanthorBoCreate withHandle(int value) {
        return new DrmPanthorBoCreate(size, flags, exclusiveVmId, value, pad);
    }

    public DrmPanthorBoCreate withPad(int value) {
        return new DrmPanthorBoCreate(size, flags, exclusiveVmId, handle, value);
    }
}
