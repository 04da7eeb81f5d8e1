package driver.core.uapi;

/**
 * {@code struct drm_panthor_group_create} of {@code panthor_drm.h}: 56 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_GROUP_CREATE argument.
 *
 * <pre>
 *   0x00  struct drm_panthor_obj_array   queues
 *   0x10  __u8                           max_compute_cores
 *   0x11  __u8                           max_fragment_cores
 *   0x12  __u8                           max_tiler_cores
 *   0x13  __u8                           priority
 *   0x14  __u32                          pad
 *   0x18  __u64                          compute_core_mask
 *   0x20  __u64                          fragment_core_mask
 *   0x28  __u64                          tiler_core_mask
 *   0x30  __u32                          vm_id
 *   0x34  __u32                          group_handle
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorGroupCreate(DrmPanthorObjArray queues, int maxComputeCores, int maxFragmentCores, int maxTilerCores, int priority, int pad, long computeCoreMask, long fragmentCoreMask, long tilerCoreMask, int vmId, int groupHandle) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_group_create)}. */
    public static final int SIZE = 56;

    public static final int OFFSET_QUEUES = 0;
    public static final int OFFSET_MAX_COMPUTE_CORES = 16;
    public static final int OFFSET_MAX_FRAGMENT_CORES = 17;
    public static final int OFFSET_MAX_TILER_CORES = 18;
    public static final int OFFSET_PRIORITY = 19;
    public static final int OFFSET_PAD = 20;
    public static final int OFFSET_COMPUTE_CORE_MASK = 24;
    public static final int OFFSET_FRAGMENT_CORE_MASK = 32;
    public static final int OFFSET_TILER_CORE_MASK = 40;
    public static final int OFFSET_VM_ID = 48;
    public static final int OFFSET_GROUP_HANDLE = 52;

    /** All-zero value. */
    public static final DrmPanthorGroupCreate ZERO = new DrmPanthorGroupCreate(DrmPanthorObjArray.EMPTY, 0, 0, 0, 0, 0, 0L, 0L, 0L, 0, 0);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorGroupCreate decode(byte[] b, int o) {
        return new DrmPanthorGroupCreate(
                DrmPanthorObjArray.decode(b, o + 0),
                Le.u8(b, o + 16),
                Le.u8(b, o + 17),
                Le.u8(b, o + 18),
                Le.u8(b, o + 19),
                Le.u32(b, o + 20),
                Le.u64(b, o + 24),
                Le.u64(b, o + 32),
                Le.u64(b, o + 40),
                Le.u32(b, o + 48),
                Le.u32(b, o + 52));
    }

    public static DrmPanthorGroupCreate decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        queues.encode(b, o + 0);
        Le.put8(b, o + 16, maxComputeCores);
        Le.put8(b, o + 17, maxFragmentCores);
        Le.put8(b, o + 18, maxTilerCores);
        Le.put8(b, o + 19, priority);
        Le.put32(b, o + 20, pad);
        Le.put64(b, o + 24, computeCoreMask);
        Le.put64(b, o + 32, fragmentCoreMask);
        Le.put64(b, o + 40, tilerCoreMask);
        Le.put32(b, o + 48, vmId);
        Le.put32(b, o + 52, groupHandle);
    }

    public DrmPanthorGroupCreate withQueues(DrmPanthorObjArray value) {
        return new DrmPanthorGroupCreate(value, maxComputeCores, maxFragmentCores, maxTilerCores, priority, pad, computeCoreMask, fragmentCoreMask, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withMaxComputeCores(int value) {
        return new DrmPanthorGroupCreate(queues, value, maxFragmentCores, maxTilerCores, priority, pad, computeCoreMask, fragmentCoreMask, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withMaxFragmentCores(int value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, value, maxTilerCores, priority, pad, computeCoreMask, fragmentCoreMask, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withMaxTilerCores(int value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, value, priority, pad, computeCoreMask, fragmentCoreMask, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withPriority(int value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, maxTilerCores, value, pad, computeCoreMask, fragmentCoreMask, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withPad(int value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, maxTilerCores, priority, value, computeCoreMask, fragmentCoreMask, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withComputeCoreMask(long value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, maxTilerCores, priority, pad, value, fragmentCoreMask, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withFragmentCoreMask(long value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, maxTilerCores, priority, pad, computeCoreMask, value, tilerCoreMask, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withTilerCoreMask(long value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, maxTilerCores, priority, pad, computeCoreMask, fragmentCoreMask, value, vmId, groupHandle);
    }

    public DrmPanthorGroupCreate withVmId(int value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, maxTilerCores, priority, pad, computeCoreMask, fragmentCoreMask, tilerCoreMask, value, groupHandle);
    }

    public DrmPanthorGroupCreate withGroupHandle(int value) {
        return new DrmPanthorGroupCreate(queues, maxComputeCores, maxFragmentCores, maxTilerCores, priority, pad, computeCoreMask, fragmentCoreMask, tilerCoreMask, vmId, value);
    }
}
