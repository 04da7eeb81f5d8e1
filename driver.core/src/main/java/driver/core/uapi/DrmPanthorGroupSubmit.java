package driver.core.uapi;

/**
 * {@code struct drm_panthor_group_submit} of {@code panthor_drm.h}: 24 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_GROUP_SUBMIT argument.
 *
 * <pre>
 *   0x00  __u32                          group_handle
 *   0x04  __u32                          pad
 *   0x08  struct drm_panthor_obj_array   queue_submits
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorGroupSubmit(int groupHandle, int pad, DrmPanthorObjArray queueSubmits) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_group_submit)}. */
    public static final int SIZE = 24;

    public static final int OFFSET_GROUP_HANDLE = 0;
    public static final int OFFSET_PAD = 4;
    public static final int OFFSET_QUEUE_SUBMITS = 8;

    /** All-zero value. */
    public static final DrmPanthorGroupSubmit ZERO = new DrmPanthorGroupSubmit(0, 0, DrmPanthorObjArray.EMPTY);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorGroupSubmit decode(byte[] b, int o) {
        return new DrmPanthorGroupSubmit(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                DrmPanthorObjArray.decode(b, o + 8));
    }

    public static DrmPanthorGroupSubmit decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, groupHandle);
        Le.put32(b, o + 4, pad);
        queueSubmits.encode(b, o + 8);
    }

    public DrmPanthorGroupSubmit withGroupHandle(int value) {
        return new DrmPanthorGroupSubmit(value, pad, queueSubmits);
    }

    public DrmPanthorGroupSubmit withPad(int value) {
        return new DrmPanthorGroupSubmit(groupHandle, value, queueSubmits);
    }

    public DrmPanthorGroupSubmit withQueueSubmits(DrmPanthorObjArray value) {
        return new DrmPanthorGroupSubmit(groupHandle, pad, value);
    }
}
