package driver.core.uapi;

/**
 * {@code struct drm_panthor_bo_sync} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_BO_SYNC argument.
 *
 * <pre>
 *   0x00  struct drm_panthor_obj_array   ops
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorBoSync(DrmPanthorObjArray ops) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_bo_sync)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_OPS = 0;

    /** All-zero value. */
    public static final DrmPanthorBoSync ZERO = new DrmPanthorBoSync(DrmPanthorObjArray.EMPTY);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorBoSync decode(byte[] b, int o) {
        return new DrmPanthorBoSync(
                DrmPanthorObjArray.decode(b, o + 0));
    }

    public static DrmPanthorBoSync decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        ops.encode(b, o + 0);
    }

    public DrmPanthorBoSync withOps(DrmPanthorObjArray value) {
        return new DrmPanthorBoSync(value);
    }
}
