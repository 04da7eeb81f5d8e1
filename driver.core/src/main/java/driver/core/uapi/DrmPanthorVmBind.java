package driver.core.uapi;

/**
 * {@code struct drm_panthor_vm_bind} of {@code panthor_drm.h}: 24 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_VM_BIND argument.
 *
 * <pre>
 *   0x00  __u32                          vm_id
 *   0x04  __u32                          flags
 *   0x08  struct drm_panthor_obj_array   ops
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorVmBind(int vmId, int flags, DrmPanthorObjArray ops) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_vm_bind)}. */
    public static final int SIZE = 24;

    public static final int OFFSET_VM_ID = 0;
    public static final int OFFSET_FLAGS = 4;
    public static final int OFFSET_OPS = 8;

    /** All-zero value. */
    public static final DrmPanthorVmBind ZERO = new DrmPanthorVmBind(0, 0, DrmPanthorObjArray.EMPTY);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorVmBind decode(byte[] b, int o) {
        return new DrmPanthorVmBind(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                DrmPanthorObjArray.decode(b, o + 8));
    }

    public static DrmPanthorVmBind decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, vmId);
        Le.put32(b, o + 4, flags);
        ops.encode(b, o + 8);
    }

    public DrmPanthorVmBind withVmId(int value) {
        return new DrmPanthorVmBind(value, flags, ops);
    }

    public DrmPanthorVmBind withFlags(int value) {
        return new DrmPanthorVmBind(vmId, value, ops);
    }

    public DrmPanthorVmBind withOps(DrmPanthorObjArray value) {
        return new DrmPanthorVmBind(vmId, flags, value);
    }
}
