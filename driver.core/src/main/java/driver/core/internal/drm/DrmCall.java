package driver.core.internal.drm;

import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.UserProcess;
import java.util.List;

/**
 * One ioctl in progress: the DRM file it was made on and the calling process
 * ({@code current}), whose memory the user pointers of the call refer to.
 */
public record DrmCall(DrmFile file, UserProcess caller) {

    /** {@code PANTHOR_UOBJ_GET_ARRAY()} of {@code array} against the caller's memory. */
    public <T> List<T> copyArray(DrmPanthorObjArray array, int minSize, int kernelSize, UabiCopy.Decoder<T> decoder) {
        return UabiCopy.getArray(caller, array, minSize, kernelSize, decoder);
    }

    /** Copies a {@code drm_panthor_sync_op} array (not yet checked with {@link #checkSyncOp}). */
    public List<DrmPanthorSyncOp> copySyncOps(DrmPanthorObjArray array) {
        return copyArray(array, DrmPanthorSyncOp.MIN_SIZE, DrmPanthorSyncOp.SIZE, DrmPanthorSyncOp::decode);
    }

    /** {@code panthor_check_sync_op()}: EINVAL for unknown flags, handle types, or a binary op with a point. */
    public static void checkSyncOp(DrmPanthorSyncOp op) {
        int known = PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL;
        if ((op.flags() & ~known) != 0) {
            throw new ErrnoException(Errno.EINVAL, "sync op flags");
        }
        int type = op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;
        if (type != PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ
                && type != PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ) {
            throw new ErrnoException(Errno.EINVAL, "sync op handle type");
        }
        if (type == PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && op.timelineValue() != 0) {
            throw new ErrnoException(Errno.EINVAL, "binary syncobj with a timeline value");
        }
    }
}
