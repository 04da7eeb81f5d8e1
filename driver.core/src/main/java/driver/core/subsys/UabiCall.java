package driver.core.subsys;

import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.user.UserProcess;
import java.util.List;
import java.util.function.BiFunction;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: One ioctl in progress, as a subsystem sees it.
 *
 * The file the ioctl was made on and the calling process ({@code current}), whose memory the
 * user pointers in the arguments refer to. Copies follow {@code copy_from_user}: a bad pointer
 * is an {@link driver.core.uapi.ErrnoException} EFAULT, never a Java exception.
 */
@ProviderType
public interface UabiCall {

    UabiFile file();

    UserProcess caller();

    /**
     * {@code PANTHOR_UOBJ_GET_ARRAY()}: copies {@code array} (stride and minimum size checked,
     * EINVAL; trailing bytes beyond {@code kernelSize} must be zero, E2BIG), decoding each
     * element with {@code decoder(bytes, offset)}.
     */
    <T> List<T> copyArray(DrmPanthorObjArray array, int minSize, int kernelSize,
                          BiFunction<byte[], Integer, T> decoder);

    /** Copies a {@code drm_panthor_sync_op} array (not yet checked). */
    List<DrmPanthorSyncOp> copySyncOps(DrmPanthorObjArray array);

    /** {@code panthor_check_sync_op()}: EINVAL for unknown flags, handle types, or a binary op with a point. */
    void checkSyncOp(DrmPanthorSyncOp op);
}
