package driver.core.uapi;

/**
 * {@code struct drm_version} of {@code drm.h}: 64 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_VERSION argument. {@code __kernel_size_t} lengths and {@code char *} buffers are 64-bit (LP64); 4 bytes of implicit padding follow {@code version_patchlevel}.
 *
 * <pre>
 *   0x00  __s32                          version_major
 *   0x04  __s32                          version_minor
 *   0x08  __s32                          version_patchlevel
 *   0x10  __u64                          name_len
 *   0x18  __u64                          name
 *   0x20  __u64                          date_len
 *   0x28  __u64                          date
 *   0x30  __u64                          desc_len
 *   0x38  __u64                          desc
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmVersion(int versionMajor, int versionMinor, int versionPatchlevel, long nameLen, long name, long dateLen, long date, long descLen, long desc) implements UapiStruct {

    /** {@code sizeof(struct drm_version)}. */
    public static final int SIZE = 64;

    public static final int OFFSET_VERSION_MAJOR = 0;
    public static final int OFFSET_VERSION_MINOR = 4;
    public static final int OFFSET_VERSION_PATCHLEVEL = 8;
    public static final int OFFSET_NAME_LEN = 16;
    public static final int OFFSET_NAME = 24;
    public static final int OFFSET_DATE_LEN = 32;
    public static final int OFFSET_DATE = 40;
    public static final int OFFSET_DESC_LEN = 48;
    public static final int OFFSET_DESC = 56;

    /** All-zero value. */
    public static final DrmVersion ZERO = new DrmVersion(0, 0, 0, 0L, 0L, 0L, 0L, 0L, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmVersion decode(byte[] b, int o) {
        return new DrmVersion(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8),
                Le.u64(b, o + 16),
                Le.u64(b, o + 24),
                Le.u64(b, o + 32),
                Le.u64(b, o + 40),
                Le.u64(b, o + 48),
                Le.u64(b, o + 56));
    }

    public static DrmVersion decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, versionMajor);
        Le.put32(b, o + 4, versionMinor);
        Le.put32(b, o + 8, versionPatchlevel);
        Le.put64(b, o + 16, nameLen);
        Le.put64(b, o + 24, name);
        Le.put64(b, o + 32, dateLen);
        Le.put64(b, o + 40, date);
        Le.put64(b, o + 48, descLen);
        Le.put64(b, o + 56, desc);
    }

    public DrmVersion withVersionMajor(int value) {
        return new DrmVersion(value, versionMinor, versionPatchlevel, nameLen, name, dateLen, date, descLen, desc);
    }

    public DrmVersion withVersionMinor(int value) {
        return new DrmVersion(versionMajor, value, versionPatchlevel, nameLen, name, dateLen, date, descLen, desc);
    }

    public DrmVersion withVersionPatchlevel(int value) {
        return new DrmVersion(versionMajor, versionMinor, value, nameLen, name, dateLen, date, descLen, desc);
    }

    public DrmVersion withNameLen(long value) {
        return new DrmVersion(versionMajor, versionMinor, versionPatchlevel, value, name, dateLen, date, descLen, desc);
    }

    public DrmVersion withName(long value) {
        return new DrmVersion(versionMajor, versionMinor, versionPatchlevel, nameLen, value, dateLen, date, descLen, desc);
    }

    public DrmVersion withDateLen(long value) {
        return new DrmVersion(versionMajor, versionMinor, versionPatchlevel, nameLen, name, value, date, descLen, desc);
    }

    public DrmVersion withDate(long value) {
        return new DrmVersion(versionMajor, versionMinor, versionPatchlevel, nameLen, name, dateLen, value, descLen, desc);
    }

    public DrmVersion withDescLen(long value) {
        return new DrmVersion(versionMajor, versionMinor, versionPatchlevel, nameLen, name, dateLen, date, value, desc);
    }

    public DrmVersion withDesc(long value) {
        return new DrmVersion(versionMajor, versionMinor, versionPatchlevel, nameLen, name, dateLen, date, descLen, value);
    }
}
