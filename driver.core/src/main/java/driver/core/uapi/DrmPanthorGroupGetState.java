package driver.core.uapi;

/**
 * {@code struct drm_panthor_group_get_state} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_GROUP_GET_STATE argument.
 *
 * <pre>
 *   0x00  __u32                          group_handle
 *   0x04  __u32                          state
 *   0x08  __u32                          fatal_queues
 *   0x0c  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorGroupGetState(int groupHandle, int state, int fatalQueues, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_group_get_state)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_GROUP_HANDLE = 0;
    public static final int OFFSET_STATE = 4;
    public static final int OFFSET_FATAL_QUEUES = 8;
    public static final int OFFSET_PAD = 12;

    /** All-zero value. */
    public static final DrmPanthorGroupGetState ZERO = new DrmPanthorGroupGetState(0, 0, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorGroupGetState decode(byte[] b, int o) {
        return new DrmPanthorGroupGetState(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12));
    }

    public static DrmPanthorGroupGetState decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, groupHandle);
        Le.put32(b, o + 4, state);
        Le.put32(b, o + 8, fatalQueues);
        Le.put32(b, o + 12, pad);
    }

    public DrmPanthorGroupGetState withGroupHandle(int value) {
        return new DrmPanthorGroupGetState(value, state, fatalQueues, pad);
    }

    public DrmPanthorGroupGetState withState(int value) {
        return new DrmPanthorGroupGetState(groupHandle, value, fatalQueues, pad);
    }

    public DrmPanthorGroupGetState withFatalQueues(int value) {
        return new DrmPanthorGroupGetState(groupHandle, state, value, pad);
    }

    public DrmPanthorGroupGetState withPad(int value) {
        return new DrmPanthorGroupGetState(groupHandle, state, fatalQueues, value);
    }
}
