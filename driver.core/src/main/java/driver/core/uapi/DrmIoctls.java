package driver.core.uapi;

/**
 * DRM core ioctl request numbers a Panthor client uses ({@code include/uapi/drm/drm.h}), with
 * the sizes of the current drm.h structs, and the flag values of those ioctls. Older
 * userspace may encode a smaller size (for example a 32-byte {@code drm_syncobj_wait} from
 * before {@code deadline_nsec}); {@code drm_ioctl()} accepts it and zero-extends.
 */
public final class DrmIoctls {
    private DrmIoctls() {}

    /** {@code DRM_IOCTL_BASE}. */
    public static final int BASE = 'd';
    /** First driver-private ioctl number. */
    public static final int COMMAND_BASE = 0x40;
    /** End (exclusive) of the driver-private range; generic ioctls restart here. */
    public static final int COMMAND_END = 0xA0;

    public static final int NR_VERSION = 0x00;
    public static final int NR_GEM_CLOSE = 0x09;
    public static final int NR_GET_CAP = 0x0C;
    public static final int NR_PRIME_HANDLE_TO_FD = 0x2D;
    public static final int NR_PRIME_FD_TO_HANDLE = 0x2E;
    public static final int NR_SYNCOBJ_CREATE = 0xBF;
    public static final int NR_SYNCOBJ_DESTROY = 0xC0;
    public static final int NR_SYNCOBJ_HANDLE_TO_FD = 0xC1;
    public static final int NR_SYNCOBJ_FD_TO_HANDLE = 0xC2;
    public static final int NR_SYNCOBJ_WAIT = 0xC3;
    public static final int NR_SYNCOBJ_RESET = 0xC4;
    public static final int NR_SYNCOBJ_SIGNAL = 0xC5;
    public static final int NR_SYNCOBJ_TIMELINE_WAIT = 0xCA;
    public static final int NR_SYNCOBJ_QUERY = 0xCB;
    public static final int NR_SYNCOBJ_TRANSFER = 0xCC;
    public static final int NR_SYNCOBJ_TIMELINE_SIGNAL = 0xCD;

    public static final int DRM_IOCTL_VERSION = Ioc.iowr(BASE, NR_VERSION, DrmVersion.SIZE);
    public static final int DRM_IOCTL_GEM_CLOSE = Ioc.iow(BASE, NR_GEM_CLOSE, DrmGemClose.SIZE);
    public static final int DRM_IOCTL_GET_CAP = Ioc.iowr(BASE, NR_GET_CAP, DrmGetCap.SIZE);
    public static final int DRM_IOCTL_PRIME_HANDLE_TO_FD = Ioc.iowr(BASE, NR_PRIME_HANDLE_TO_FD, DrmPrimeHandle.SIZE);
    public static final int DRM_IOCTL_PRIME_FD_TO_HANDLE = Ioc.iowr(BASE, NR_PRIME_FD_TO_HANDLE, DrmPrimeHandle.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_CREATE = Ioc.iowr(BASE, NR_SYNCOBJ_CREATE, DrmSyncobjCreate.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_DESTROY = Ioc.iowr(BASE, NR_SYNCOBJ_DESTROY, DrmSyncobjDestroy.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD = Ioc.iowr(BASE, NR_SYNCOBJ_HANDLE_TO_FD, DrmSyncobjHandle.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE = Ioc.iowr(BASE, NR_SYNCOBJ_FD_TO_HANDLE, DrmSyncobjHandle.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_WAIT = Ioc.iowr(BASE, NR_SYNCOBJ_WAIT, DrmSyncobjWait.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_RESET = Ioc.iowr(BASE, NR_SYNCOBJ_RESET, DrmSyncobjArray.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_SIGNAL = Ioc.iowr(BASE, NR_SYNCOBJ_SIGNAL, DrmSyncobjArray.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT = Ioc.iowr(BASE, NR_SYNCOBJ_TIMELINE_WAIT, DrmSyncobjTimelineWait.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_QUERY = Ioc.iowr(BASE, NR_SYNCOBJ_QUERY, DrmSyncobjTimelineArray.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_TRANSFER = Ioc.iowr(BASE, NR_SYNCOBJ_TRANSFER, DrmSyncobjTransfer.SIZE);
    public static final int DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL = Ioc.iowr(BASE, NR_SYNCOBJ_TIMELINE_SIGNAL, DrmSyncobjTimelineArray.SIZE);

    /** {@code DRM_CLOEXEC} = {@code O_CLOEXEC} (asm-generic). */
    public static final int DRM_CLOEXEC = 0x80000;
    /** {@code DRM_RDWR} = {@code O_RDWR}. */
    public static final int DRM_RDWR = 0x2;

    public static final long DRM_CAP_PRIME = 0x5;
    public static final long DRM_PRIME_CAP_IMPORT = 0x1;
    public static final long DRM_PRIME_CAP_EXPORT = 0x2;
    public static final long DRM_CAP_TIMESTAMP_MONOTONIC = 0x6;
    public static final long DRM_CAP_SYNCOBJ = 0x13;
    public static final long DRM_CAP_SYNCOBJ_TIMELINE = 0x14;

    public static final int DRM_SYNCOBJ_CREATE_SIGNALED = 1 << 0;
    public static final int DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE = 1 << 0;
    public static final int DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_TIMELINE = 1 << 1;
    public static final int DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE = 1 << 0;
    public static final int DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE = 1 << 1;
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL = 1 << 0;
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT = 1 << 1;
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE = 1 << 2;
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE = 1 << 3;
    public static final int DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED = 1 << 0;

    /** Name of a known core request, by number, for logs and the shell; null if not one of these. */
    public static String name(int nr) {
        switch (nr) {
            case NR_VERSION: return "VERSION";
            case NR_GEM_CLOSE: return "GEM_CLOSE";
            case NR_GET_CAP: return "GET_CAP";
            case NR_PRIME_HANDLE_TO_FD: return "PRIME_HANDLE_TO_FD";
            case NR_PRIME_FD_TO_HANDLE: return "PRIME_FD_TO_HANDLE";
            case NR_SYNCOBJ_CREATE: return "SYNCOBJ_CREATE";
            case NR_SYNCOBJ_DESTROY: return "SYNCOBJ_DESTROY";
            case NR_SYNCOBJ_HANDLE_TO_FD: return "SYNCOBJ_HANDLE_TO_FD";
            case NR_SYNCOBJ_FD_TO_HANDLE: return "SYNCOBJ_FD_TO_HANDLE";
            case NR_SYNCOBJ_WAIT: return "SYNCOBJ_WAIT";
            case NR_SYNCOBJ_RESET: return "SYNCOBJ_RESET";
            case NR_SYNCOBJ_SIGNAL: return "SYNCOBJ_SIGNAL";
            case NR_SYNCOBJ_TIMELINE_WAIT: return "SYNCOBJ_TIMELINE_WAIT";
            case NR_SYNCOBJ_QUERY: return "SYNCOBJ_QUERY";
            case NR_SYNCOBJ_TRANSFER: return "SYNCOBJ_TRANSFER";
            case NR_SYNCOBJ_TIMELINE_SIGNAL: return "SYNCOBJ_TIMELINE_SIGNAL";
            default: return null;
        }
    }
}
