package driver.core.internal.drm;

import driver.core.uapi.ErrnoException;

/**
 * The part of the MMU the UABI layer needs outside VM ioctls: resolving a file's VM id (for
 * {@code BO_CREATE.exclusive_vm_id} and tiler heaps) to the VM object, as
 * {@code panthor_vm_pool_get_vm()}.
 */
public interface VmLookup {

    /**
     * The VM {@code vmId} of {@code file}, or null if the file has no such VM. The returned
     * object is opaque to the UABI layer; the MMU recognises it again (a BO's exclusive VM).
     */
    Object lookupVm(DrmFile file, int vmId);

    /** Throws EINVAL where {@link #lookupVm} finds nothing. */
    default Object requireVm(DrmFile file, int vmId) {
        Object vm = lookupVm(file, vmId);
        if (vm == null) {
            throw new ErrnoException(driver.core.uapi.Errno.EINVAL, "no VM " + vmId);
        }
        return vm;
    }
}
