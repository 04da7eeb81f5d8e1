package driver.core.subsys.mmu;

import driver.core.uapi.ErrnoException;

/**
 * A synchronous VM_BIND stopped at op {@link #failedOp()}: the ioctl returns the errno and
 * writes the index back to {@code ops.count}, as {@code panthor_ioctl_vm_bind_sync()} does.
 */
public class VmBindException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    private final int failedOp;

    public VmBindException(int errno, int failedOp) {
        super(errno, "VM_BIND op " + failedOp + " failed");
        this.failedOp = failedOp;
    }

    public int failedOp() {
        return failedOp;
    }
}
