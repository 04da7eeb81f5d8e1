package driver.core.uapi;

/**
 * {@code struct drm_panthor_group_priorities_info} of {@code panthor_drm.h}: 4 bytes, little-endian, LP64 layout.
 *
 * <p>DEV_QUERY GROUP_PRIORITIES_INFO payload.
 *
 * <pre>
 *   0x00  __u8                           allowed_mask
 *   0x01  __u8                           pad[0]
 *   0x02  __u8                           pad[1]
 *   0x03  __u8                           pad[2]
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorGroupPrioritiesInfo(int allowedMask, int pad0, int pad1, int pad2) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_group_priorities_info)}. */
    public static final int SIZE = 4;

    /** Minimum size userspace may pass: the end of {@code pad[2]}, the last mandatory field. */
    public static final int MIN_SIZE = 4;

    public static final int OFFSET_ALLOWED_MASK = 0;
    public static final int OFFSET_PAD0 = 1;
    public static final int OFFSET_PAD1 = 2;
    public static final int OFFSET_PAD2 = 3;

    /** All-zero value. */
    public static final DrmPanthorGroupPrioritiesInfo ZERO = new DrmPanthorGroupPrioritiesInfo(0, 0, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorGroupPrioritiesInfo decode(byte[] b, int o) {
        return new DrmPanthorGroupPrioritiesInfo(
                Le.u8(b, o + 0),
                Le.u8(b, o + 1),
                Le.u8(b, o + 2),
                Le.u8(b, o + 3));
    }

    public static DrmPanthorGroupPrioritiesInfo decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put8(b, o + 0, allowedMask);
        Le.put8(b, o + 1, pad0);
        Le.put8(b, o + 2, pad1);
        Le.put8(b, o + 3, pad2);
    }

    public DrmPanthorGroupPrioritiesInfo withAllowedMask(int value) {
        return new DrmPanthorGroupPrioritiesInfo(value, pad0, pad1, pad2);
    }

    public DrmPanthorGroupPrioritiesInfo withPad0(int value) {
        return new DrmPanthorGroupPrioritiesInfo(allowedMask, value, pad1, pad2);
    }

    public DrmPanthorGroupPrioritiesInfo withPad1(int value) {
        return new DrmPanthorGroupPrioritiesInfo(allowedMask, pad0, value, pad2);
    }

    public DrmPanthorGroupPrioritiesInfo withPad2(int value) {
        return new DrmPanthorGroupPrioritiesInfo(allowedMask, pad0, pad1, value);
    }
}
