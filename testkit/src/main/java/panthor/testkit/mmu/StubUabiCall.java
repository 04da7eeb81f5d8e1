package panthor.testkit.mmu;

import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.UserProcess;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A stand-in ioctl call on a file, with no calling process: sync-op arrays "in user memory" are
 * the entries of {@code userSyncArrays} (keyed by user pointer; an unknown pointer is EFAULT),
 * and sync ops are checked as drm_panthor's panthor_check_sync_op() does. Other arrays are not
 * copied (UnsupportedOperationException).
 */
public final class StubUabiCall implements UabiCall {

    private final UabiFile file;
    private final Map<Long, List<DrmPanthorSyncOp>> userSyncArrays;

    public StubUabiCall(UabiFile file, Map<Long, List<DrmPanthorSyncOp>> userSyncArrays) {
        this.file = file;
        this.userSyncArrays = userSyncArrays;
    }

    /** A call whose user memory holds no sync-op array. */
    public StubUabiCall(UabiFile file) {
        this(file, Map.of());
    }

    @Override public UabiFile file() { return file; }
    @Override public UserProcess caller() { return null; }

    @Override
    public <T> List<T> copyArray(DrmPanthorObjArray array, int minSize, int kernelSize,
                                 BiFunction<byte[], Integer, T> decoder) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<DrmPanthorSyncOp> copySyncOps(DrmPanthorObjArray array) {
        List<DrmPanthorSyncOp> ops = userSyncArrays.get(array.array());
        if (ops == null) {
            throw new ErrnoException(Errno.EFAULT, "bad user pointer");
        }
        return ops;
    }

    @Override
    public void checkSyncOp(DrmPanthorSyncOp op) {
        int known = PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL;
        int type = op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;
        if ((op.flags() & ~known) != 0 || type > PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ
                || (type == PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && op.timelineValue() != 0)) {
            throw new ErrnoException(Errno.EINVAL, "sync op");
        }
    }
}
