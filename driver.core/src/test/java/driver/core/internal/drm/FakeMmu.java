package driver.core.internal.drm;

import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/** A minimal MMU for UABI tests: VM objects in the file's pool, binds recorded, op "size 0" fails. */
final class FakeMmu implements VmIoctls {

    record Vm(int id) {
    }

    final List<DrmPanthorVmBindOp> bound = new ArrayList<>();
    int closedFiles;

    Object vm(DrmFile file, int id) {
        return file.vms().get(id);
    }

    @Override
    public Object lookupVm(DrmFile file, int vmId) {
        return file.vms().get(vmId);
    }

    @Override
    public DrmPanthorVmCreate vmCreate(DrmCall call, DrmPanthorVmCreate args) {
        HandleTable<Object> vms = call.file().vms();
        int id = vms.alloc(new Object());
        return args.withId(id).withUserVaRange(args.userVaRange() == 0 ? 1L << 47 : args.userVaRange());
    }

    @Override
    public void vmDestroy(DrmCall call, int id) {
        if (call.file().vms().remove(id) == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    @Override
    public void vmBind(DrmCall call, DrmPanthorVmBind args, List<DrmPanthorVmBindOp> ops) {
        for (int i = 0; i < ops.size(); i++) {
            DrmPanthorVmBindOp op = ops.get(i);
            call.copySyncOps(op.syncs()).forEach(DrmCall::checkSyncOp);
            if (op.size() == 0) {
                throw new VmBindFailure(Errno.EINVAL, i);
            }
            bound.add(op);
        }
    }

    @Override
    public int vmGetState(DrmCall call, int vmId) {
        requireVm(call.file(), vmId);
        return 0;
    }

    @Override
    public void fileClosed(DrmFile file) {
        closedFiles++;
    }
}
