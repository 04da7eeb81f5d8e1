package driver.core.internal.drm;

import driver.core.subsys.mmu.VmBindException;

/**
 * A synchronous VM_BIND stopped at op {@link #failedOp()}: the ioctl returns the errno and
 * writes the index back to {@code ops.count}, as {@code panthor_ioctl_vm_bind_sync()} does.
 */
public final class VmBindFailure extends VmBindException {
    private static final long serialVersionUID = 1L;

    public VmBindFailure(int errno, int failedOp) {
        super(errno, failedOp);
    }
}
