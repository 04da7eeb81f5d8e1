package driver.core.internal.drm;

import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import java.util.List;

/**
 * DOC: The scheduler side of the group ioctls.
 *
 * Called with decoded, struct-checked records (see {@link VmIoctls}); group handles live in
 * {@link DrmFile#groups()} (1..128). Each queue submit's {@code syncs} array is left raw so the
 * scheduler can copy it in the order {@code panthor_ioctl_group_submit()} does (job creation
 * first, then its syncs).
 */
public interface GroupIoctls {

    /**
     * GROUP_CREATE: queue count, queue array copy, priority permission ({@code EACCES}) and
     * pad are already checked. Returns the new group handle.
     */
    int groupCreate(DrmCall call, DrmPanthorGroupCreate args, List<DrmPanthorQueueCreate> queues);

    /** GROUP_DESTROY (pad already checked). */
    void groupDestroy(DrmCall call, int groupHandle);

    /** GROUP_SUBMIT (pad checked, queue_submits array copied). */
    void groupSubmit(DrmCall call, int groupHandle, List<DrmPanthorQueueSubmit> submits);

    /** GROUP_GET_STATE: args with {@code state} and {@code fatal_queues} filled. */
    DrmPanthorGroupGetState groupGetState(DrmCall call, DrmPanthorGroupGetState args);

    /** The file is closing: destroy its groups ({@code panthor_group_pool_destroy}). */
    default void fileClosed(DrmFile file) {
    }
}
