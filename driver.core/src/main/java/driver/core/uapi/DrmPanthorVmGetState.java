package driver.core.uapi;

/**
 * {@code struct drm_panthor_vm_get_state} of {@code panthor_drm.h}: 8 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_VM_GET_STATE argument.
 *
 * <pre>
 *   0x00  __u32                          vm_id
 *   0x04  __u32                          state
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorVmGetState(int vmId, int state) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_vm_get_state)}. */
    public static final int SIZE = 8;

    public static final int OFFSET_VM_ID = 0;
    public static final int OFFSET_STATE = 4;

    /** All-zero value. */
    public static final DrmPanthorVmGetState ZERO = new DrmPanthorVmGetState(0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorVmGetState decode(byte[] b, int o) {
        return new DrmPanthorVmGetState(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4));
    }

    public static DrmPanthorVmGetState decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, vmId);
        Le.put32(b, o + 4, state);
    }

    public DrmPanthorVmGetState withVmId(int value) {
        return new DrmPanthorVmGetState(value, state);
    }

    public DrmPanthorVmGetState withState(int value) {
        return new DrmPanthorVmGetState(vmId, value);
    }
}
