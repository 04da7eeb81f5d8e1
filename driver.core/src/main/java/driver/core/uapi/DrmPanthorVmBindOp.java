package driver.core.uapi;

/**
 * {@code struct drm_panthor_vm_bind_op} of {@code panthor_drm.h}: 48 bytes, little-endian, LP64 layout.
 *
 * <p>One VM_BIND operation (an element of {@link DrmPanthorVmBind#ops()}).
 *
 * <pre>
 *   0x00  __u32                          flags
 *   0x04  __u32                          bo_handle
 *   0x08  __u64                          bo_offset
 *   0x10  __u64                          va
 *   0x18  __u64                          size
 *   0x20  struct drm_panthor_obj_array   syncs
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorVmBindOp(int flags, int boHandle, long boOffset, long va, long size, DrmPanthorObjArray syncs) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_vm_bind_op)}. */
    public static final int SIZE = 48;

    /** Minimum size userspace may pass: the end of {@code syncs}, the last mandatory field. */
    public static final int MIN_SIZE = 48;

    public static final int OFFSET_FLAGS = 0;
    public static final int OFFSET_BO_HANDLE = 4;
    public static final int OFFSET_BO_OFFSET = 8;
    public static final int OFFSET_VA = 16;
    public static final int OFFSET_SIZE = 24;
    public static final int OFFSET_SYNCS = 32;

    /** All-zero value. */
    public static final DrmPanthorVmBindOp ZERO = new DrmPanthorVmBindOp(0, 0, 0L, 0L, 0L, DrmPanthorObjArray.EMPTY);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorVmBindOp decode(byte[] b, int o) {
        return new DrmPanthorVmBindOp(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8),
                Le.u64(b, o + 16),
                Le.u64(b, o + 24),
                DrmPanthorObjArray.decode(b, o + 32));
    }

    public static DrmPanthorVmBindOp decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, flags);
        Le.put32(b, o + 4, boHandle);
        Le.put64(b, o + 8, boOffset);
        Le.put64(b, o + 16, va);
        Le.put64(b, o + 24, size);
        syncs.encode(b, o + 32);
    }

    public DrmPanthorVmBindOp withFlags(int value) {
        return new DrmPanthorVmBindOp(value, boHandle, boOffset, va, size, syncs);
    }

    public DrmPanthorVmBindOp withBoHandle(int value) {
        return new DrmPanthorVmBindOp(flags, value, boOffset, va, size, syncs);
    }

    public DrmPanthorVmBindOp withBoOffset(long value) {
        return new DrmPanthorVmBindOp(flags, boHandle, value, va, size, syncs);
    }

    public DrmPanthorVmBindOp withVa(long value) {
        return new DrmPanthorVmBindOp(flags, boHandle, boOffset, value, size, syncs);
    }

    public DrmPanthorVmBindOp withSize(long value) {
        return new DrmPanthorVmBindOp(flags, boHandle, boOffset, va, value, syncs);
    }

    public DrmPanthorVmBindOp withSyncs(DrmPanthorObjArray value) {
        return new DrmPanthorVmBindOp(flags, boHandle, boOffset, va, size, value);
    }
}
