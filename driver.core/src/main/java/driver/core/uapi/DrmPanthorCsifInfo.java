package driver.core.uapi;

/**
 * {@code struct drm_panthor_csif_info} of {@code panthor_drm.h}: 24 bytes, little-endian, LP64 layout.
 *
 * <p>DEV_QUERY CSIF_INFO payload.
 *
 * <pre>
 *   0x00  __u32                          csg_slot_count
 *   0x04  __u32                          cs_slot_count
 *   0x08  __u32                          cs_reg_count
 *   0x0c  __u32                          scoreboard_slot_count
 *   0x10  __u32                          unpreserved_cs_reg_count
 *   0x14  __u32                          pad
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorCsifInfo(int csgSlotCount, int csSlotCount, int csRegCount, int scoreboardSlotCount, int unpreservedCsRegCount, int pad) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_csif_info)}. */
    public static final int SIZE = 24;

    /** Minimum size userspace may pass: the end of {@code pad}, the last mandatory field. */
    public static final int MIN_SIZE = 24;

    public static final int OFFSET_CSG_SLOT_COUNT = 0;
    public static final int OFFSET_CS_SLOT_COUNT = 4;
    public static final int OFFSET_CS_REG_COUNT = 8;
    public static final int OFFSET_SCOREBOARD_SLOT_COUNT = 12;
    public static final int OFFSET_UNPRESERVED_CS_REG_COUNT = 16;
    public static final int OFFSET_PAD = 20;

    /** All-zero value. */
    public static final DrmPanthorCsifInfo ZERO = new DrmPanthorCsifInfo(0, 0, 0, 0, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorCsifInfo decode(byte[] b, int o) {
        return new DrmPanthorCsifInfo(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12),
                Le.u32(b, o + 16),
                Le.u32(b, o + 20));
    }

    public static DrmPanthorCsifInfo decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, csgSlotCount);
        Le.put32(b, o + 4, csSlotCount);
        Le.put32(b, o + 8, csRegCount);
        Le.put32(b, o + 12, scoreboardSlotCount);
        Le.put32(b, o + 16, unpreservedCsRegCount);
        Le.put32(b, o + 20, pad);
    }

    public DrmPanthorCsifInfo withCsgSlotCount(int value) {
        return new DrmPanthorCsifInfo(value, csSlotCount, csRegCount, scoreboardSlotCount, unpreservedCsRegCount, pad);
    }

    public DrmPanthorCsifInfo withCsSlotCount(int value) {
        return new DrmPanthorCsifInfo(csgSlotCount, value, csRegCount, scoreboardSlotCount, unpreservedCsRegCount, pad);
    }

    public DrmPanthorCsifInfo withCsRegCount(int value) {
        return new DrmPanthorCsifInfo(csgSlotCount, csSlotCount, value, scoreboardSlotCount, unpreservedCsRegCount, pad);
    }

    public DrmPanthorCsifInfo withScoreboardSlotCount(int value) {
        return new DrmPanthorCsifInfo(csgSlotCount, csSlotCount, csRegCount, value, unpreservedCsRegCount, pad);
    }

    public DrmPanthorCsifInfo withUnpreservedCsRegCount(int value) {
        return new DrmPanthorCsifInfo(csgSlotCount, csSlotCount, csRegCount, scoreboardSlotCount, value, pad);
    }

    public DrmPanthorCsifInfo withPad(int value) {
        return new DrmPanthorCsifInfo(csgSlotCount, csSlotCount, csRegCount, scoreboardSlotCount, unpreservedCsRegCount, value);
    }
}
