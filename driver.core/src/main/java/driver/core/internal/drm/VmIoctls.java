package driver.core.internal.drm;

import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import java.util.List;

/**
 * DOC: The MMU side of the VM ioctls.
 *
 * The UABI layer decodes and checks each struct the way {@code panthor_drv.c} does before
 * calling into {@code panthor_mmu.c} (pads, flags it checks itself, the obj_array copy) and
 * hands the records here. Errors are {@link driver.core.uapi.ErrnoException}s. VM ids live in
 * {@link DrmFile#vms()} (ids 1..32, {@code EBUSY} when full). Sync-op arrays inside bind ops
 * are still raw {@code drm_panthor_obj_array}s: copy them with {@link DrmCall#copyArray} when
 * the C code does.
 */
public interface VmIoctls extends VmLookup {

    /** VM_CREATE; {@code args.flags} is already checked zero. Returns args with {@code id} and {@code user_va_range} set. */
    DrmPanthorVmCreate vmCreate(DrmCall call, DrmPanthorVmCreate args);

    /** VM_DESTROY of {@code id} (pad already checked). */
    void vmDestroy(DrmCall call, int id);

    /**
     * VM_BIND. {@code ops} is the copied op array ({@code PANTHOR_UOBJ_GET_ARRAY} done); a
     * failing synchronous bind throws {@link VmBindFailure}.
     */
    void vmBind(DrmCall call, DrmPanthorVmBind args, List<DrmPanthorVmBindOp> ops);

    /** VM_GET_STATE: {@code DRM_PANTHOR_VM_STATE_*} of VM {@code vmId}. */
    int vmGetState(DrmCall call, int vmId);

    /** The file is closing: destroy its VMs ({@code panthor_vm_pool_destroy}). */
    default void fileClosed(DrmFile file) {
    }
}
