package driver.core.uapi;

/**
 * The panthor ioctls ({@code enum drm_panthor_ioctl_id}, {@code DRM_IOCTL_PANTHOR_*}) and the
 * flag and enum values of {@code panthor_drm.h}, for UABI version
 * {@value #VERSION_MAJOR}.{@value #VERSION_MINOR}. Every request is
 * {@code DRM_IOWR(DRM_COMMAND_BASE + id, struct)}; ids are appended, never reordered.
 */
public final class PanthorIoctls {
    private PanthorIoctls() {}

    /** Driver name reported by DRM_IOCTL_VERSION. */
    public static final String DRIVER_NAME = "panthor";
    public static final String DRIVER_DESC = "Panthor DRM driver";
    /** Linux 6.14 removed per-driver dates; drm_version() reports "0". */
    public static final String DRIVER_DATE = "0";
    public static final int VERSION_MAJOR = 1;
    /** 1.8: everything up to and including the TIMESTAMP_INFO flags extension (see docs/uabi.md). */
    public static final int VERSION_MINOR = 8;
    public static final int VERSION_PATCHLEVEL = 0;

    public static final int ID_DEV_QUERY = 0;
    public static final int ID_VM_CREATE = 1;
    public static final int ID_VM_DESTROY = 2;
    public static final int ID_VM_BIND = 3;
    public static final int ID_VM_GET_STATE = 4;
    public static final int ID_BO_CREATE = 5;
    public static final int ID_BO_MMAP_OFFSET = 6;
    public static final int ID_GROUP_CREATE = 7;
    public static final int ID_GROUP_DESTROY = 8;
    public static final int ID_GROUP_SUBMIT = 9;
    public static final int ID_GROUP_GET_STATE = 10;
    public static final int ID_TILER_HEAP_CREATE = 11;
    public static final int ID_TILER_HEAP_DESTROY = 12;
    public static final int ID_BO_SET_LABEL = 13;
    public static final int ID_SET_USER_MMIO_OFFSET = 14;
    public static final int ID_BO_SYNC = 15;
    public static final int ID_BO_QUERY_INFO = 16;
    /** Number of panthor ioctls ({@code num_ioctls} of the driver table). */
    public static final int COUNT = 17;

    private static int req(int id, int size) {
        return Ioc.iowr(DrmIoctls.BASE, DrmIoctls.COMMAND_BASE + id, size);
    }

    public static final int DRM_IOCTL_PANTHOR_DEV_QUERY = req(ID_DEV_QUERY, DrmPanthorDevQuery.SIZE);
    public static final int DRM_IOCTL_PANTHOR_VM_CREATE = req(ID_VM_CREATE, DrmPanthorVmCreate.SIZE);
    public static final int DRM_IOCTL_PANTHOR_VM_DESTROY = req(ID_VM_DESTROY, DrmPanthorVmDestroy.SIZE);
    public static final int DRM_IOCTL_PANTHOR_VM_BIND = req(ID_VM_BIND, DrmPanthorVmBind.SIZE);
    public static final int DRM_IOCTL_PANTHOR_VM_GET_STATE = req(ID_VM_GET_STATE, DrmPanthorVmGetState.SIZE);
    public static final int DRM_IOCTL_PANTHOR_BO_CREATE = req(ID_BO_CREATE, DrmPanthorBoCreate.SIZE);
    public static final int DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET = req(ID_BO_MMAP_OFFSET, DrmPanthorBoMmapOffset.SIZE);
    public static final int DRM_IOCTL_PANTHOR_GROUP_CREATE = req(ID_GROUP_CREATE, DrmPanthorGroupCreate.SIZE);
    public static final int DRM_IOCTL_PANTHOR_GROUP_DESTROY = req(ID_GROUP_DESTROY, DrmPanthorGroupDestroy.SIZE);
    public static final int DRM_IOCTL_PANTHOR_GROUP_SUBMIT = req(ID_GROUP_SUBMIT, DrmPanthorGroupSubmit.SIZE);
    public static final int DRM_IOCTL_PANTHOR_GROUP_GET_STATE = req(ID_GROUP_GET_STATE, DrmPanthorGroupGetState.SIZE);
    public static final int DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE = req(ID_TILER_HEAP_CREATE, DrmPanthorTilerHeapCreate.SIZE);
    public static final int DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY = req(ID_TILER_HEAP_DESTROY, DrmPanthorTilerHeapDestroy.SIZE);
    public static final int DRM_IOCTL_PANTHOR_BO_SET_LABEL = req(ID_BO_SET_LABEL, DrmPanthorBoSetLabel.SIZE);
    public static final int DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET = req(ID_SET_USER_MMIO_OFFSET, DrmPanthorSetUserMmioOffset.SIZE);
    public static final int DRM_IOCTL_PANTHOR_BO_SYNC = req(ID_BO_SYNC, DrmPanthorBoSync.SIZE);
    public static final int DRM_IOCTL_PANTHOR_BO_QUERY_INFO = req(ID_BO_QUERY_INFO, DrmPanthorBoQueryInfo.SIZE);

    private static final String[] NAMES = {
        "DEV_QUERY", "VM_CREATE", "VM_DESTROY", "VM_BIND", "VM_GET_STATE", "BO_CREATE", "BO_MMAP_OFFSET",
        "GROUP_CREATE", "GROUP_DESTROY", "GROUP_SUBMIT", "GROUP_GET_STATE", "TILER_HEAP_CREATE",
        "TILER_HEAP_DESTROY", "BO_SET_LABEL", "SET_USER_MMIO_OFFSET", "BO_SYNC", "BO_QUERY_INFO"};

    /** Name of panthor ioctl {@code id} (0..16), null otherwise. */
    public static String name(int id) {
        return id >= 0 && id < NAMES.length ? NAMES[id] : null;
    }

    // --- mmap offsets of MMIO regions ---
    public static final long DRM_PANTHOR_USER_MMIO_OFFSET_32BIT = 1L << 43;
    public static final long DRM_PANTHOR_USER_MMIO_OFFSET_64BIT = 1L << 56;
    /** The simulated processes are 64-bit: the 64-bit offset is the default. */
    public static final long DRM_PANTHOR_USER_MMIO_OFFSET = DRM_PANTHOR_USER_MMIO_OFFSET_64BIT;
    public static final long DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET = DRM_PANTHOR_USER_MMIO_OFFSET;

    // --- enum drm_panthor_sync_op_flags ---
    public static final int DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK = 0xff;
    public static final int DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ = 0;
    public static final int DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ = 1;
    public static final int DRM_PANTHOR_SYNC_OP_WAIT = 0;
    public static final int DRM_PANTHOR_SYNC_OP_SIGNAL = 1 << 31;

    // --- enum drm_panthor_dev_query_type ---
    public static final int DRM_PANTHOR_DEV_QUERY_GPU_INFO = 0;
    public static final int DRM_PANTHOR_DEV_QUERY_CSIF_INFO = 1;
    public static final int DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO = 2;
    public static final int DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO = 3;

    // --- enum drm_panthor_gpu_coherency (values of the COHERENCY_PROTOCOL register) ---
    public static final int DRM_PANTHOR_GPU_COHERENCY_ACE_LITE = 0;
    public static final int DRM_PANTHOR_GPU_COHERENCY_ACE = 1;
    public static final int DRM_PANTHOR_GPU_COHERENCY_NONE = 31;

    // --- enum drm_panthor_timestamp_info_flags (1.8) ---
    public static final int DRM_PANTHOR_TIMESTAMP_GPU = 1 << 0;
    public static final int DRM_PANTHOR_TIMESTAMP_CPU_NONE = 0;
    public static final int DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC = 1 << 1;
    public static final int DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW = 2 << 1;
    public static final int DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK = 7 << 1;
    public static final int DRM_PANTHOR_TIMESTAMP_GPU_OFFSET = 1 << 4;
    public static final int DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT = 1 << 5;
    public static final int DRM_PANTHOR_TIMESTAMP_FREQ = 1 << 6;
    public static final int DRM_PANTHOR_TIMESTAMP_DURATION = 1 << 7;

    // --- enum drm_panthor_vm_bind_op_flags ---
    public static final int DRM_PANTHOR_VM_BIND_OP_MAP_READONLY = 1 << 0;
    public static final int DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = 1 << 1;
    public static final int DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED = 1 << 2;
    /**
     * Sparse map: the range is mapped over a dummy object, cyclically; needs MAP_NOEXEC and
     * {@code bo_handle == bo_offset == 0}. Newer than 1.7 (panthor.md §2.3; Mesa gates it on 1.9).
     */
    public static final int DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE = 1 << 3;
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_MASK = 0xf << 28;
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_MAP = 0;
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP = 1 << 28;
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY = 2 << 28;

    // --- enum drm_panthor_vm_bind_flags ---
    public static final int DRM_PANTHOR_VM_BIND_ASYNC = 1 << 0;

    // --- enum drm_panthor_vm_state ---
    public static final int DRM_PANTHOR_VM_STATE_USABLE = 0;
    public static final int DRM_PANTHOR_VM_STATE_UNUSABLE = 1;

    // --- enum drm_panthor_bo_flags ---
    public static final int DRM_PANTHOR_BO_NO_MMAP = 1 << 0;
    public static final int DRM_PANTHOR_BO_WB_MMAP = 1 << 1;

    // --- enum drm_panthor_group_priority ---
    public static final int PANTHOR_GROUP_PRIORITY_LOW = 0;
    public static final int PANTHOR_GROUP_PRIORITY_MEDIUM = 1;
    public static final int PANTHOR_GROUP_PRIORITY_HIGH = 2;
    public static final int PANTHOR_GROUP_PRIORITY_REALTIME = 3;

    // --- enum drm_panthor_group_state_flags ---
    public static final int DRM_PANTHOR_GROUP_STATE_TIMEDOUT = 1 << 0;
    public static final int DRM_PANTHOR_GROUP_STATE_FATAL_FAULT = 1 << 1;
    public static final int DRM_PANTHOR_GROUP_STATE_INNOCENT = 1 << 2;

    // --- enum drm_panthor_bo_sync_op_type ---
    public static final int DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH = 0;
    public static final int DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE = 1;

    // --- enum drm_panthor_bo_extra_flags ---
    public static final int DRM_PANTHOR_BO_IS_IMPORTED = 1 << 0;

    /** {@code PANTHOR_BO_LABEL_MAXLEN} (panthor_gem.h), including the terminating NUL. */
    public static final int PANTHOR_BO_LABEL_MAXLEN = 4096;
}
