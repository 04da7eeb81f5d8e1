package driver.core.uapi;

/**
 * {@code struct drm_panthor_obj_array} of {@code panthor_drm.h}: 16 bytes, little-endian, LP64 layout.
 *
 * <p>An array of extensible objects: {@code stride} is the element size userspace was built with.
 *
 * <pre>
 *   0x00  __u32                          stride
 *   0x04  __u32                          count
 *   0x08  __u64                          array
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorObjArray(int stride, int count, long array) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_obj_array)}. */
    public static final int SIZE = 16;

    public static final int OFFSET_STRIDE = 0;
    public static final int OFFSET_COUNT = 4;
    public static final int OFFSET_ARRAY = 8;

    /** All-zero value. */
    public static final DrmPanthorObjArray EMPTY = new DrmPanthorObjArray(0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorObjArray decode(byte[] b, int o) {
        return new DrmPanthorObjArray(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u64(b, o + 8));
    }

    public static DrmPanthorObjArray decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, stride);
        Le.put32(b, o + 4, count);
        Le.put64(b, o + 8, array);
    }

    public DrmPanthorObjArray withStride(int value) {
        return new DrmPanthorObjArray(value, count, array);
    }

    public DrmPanthorObjArray withCount(int value) {
        return new DrmPanthorObjArray(stride, value, array);
    }

    public DrmPanthorObjArray withArray(long value) {
        return new DrmPanthorObjArray(stride, count, value);
    }
}
