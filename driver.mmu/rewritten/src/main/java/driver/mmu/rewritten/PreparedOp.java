package driver.mmu.rewritten;

import driver.core.kernel.GemObject;
import driver.core.subsys.UabiFile;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.ErrnoException;
import driver.mmu.rewritten.vm.BindOp;
import driver.mmu.rewritten.vm.Vm;
import java.util.Optional;

/**
 * A VM_BIND op ready to run ({@code panthor_vm_bind_prepare_op_ctx()}): parsed, and for a MAP
 * its BO looked up, checked (range inside the BO, not private to another VM) and its pages
 * pinned. It holds the lookup's BO reference until a mapping takes it over
 * ({@link #handOverBo}); closing it drops a reference nobody took.
 */
final class PreparedOp implements AutoCloseable {

    private final DrmPanthorVmBindOp raw;
    private final BindOp op;
    private GemObject bo;
    private final long[] pages;

    private PreparedOp(DrmPanthorVmBindOp raw, BindOp op, GemObject bo, long[] pages) {
        this.raw = raw;
        this.op = op;
        this.bo = bo;
        this.pages = pages;
    }

    /** An op adopted from another MMU's bind queue, holding {@code bo}'s reference. */
    static PreparedOp adopt(DrmPanthorVmBindOp raw, Vm vm, GemObject bo) {
        BindOp op = BindOp.parse(raw, vm.layout());
        return new PreparedOp(raw, op, bo, bo == null ? null : bo.pages());
    }

    /** Prepares {@code raw} for {@code vm}; refuses it with an {@link MmuError} or the BO's errno. */
    static PreparedOp prepare(UabiFile file, Vm vm, DrmPanthorVmBindOp raw) {
        BindOp op = BindOp.parse(raw, vm.layout());
        if (!(op instanceof BindOp.Map map)) {
            return new PreparedOp(raw, op, null, null);
        }
        GemObject bo = file.lookupGem(map.boHandle());
        if (bo == null) {
            throw MmuError.invalid("no such BO");
        }
        try {
            if (map.size() > bo.size() || Long.compareUnsigned(map.boOffset(), bo.size() - map.size()) > 0) {
                throw MmuError.invalid("range beyond the BO");
            }
            if (bo.exclusiveVm() != null && !vm.ref().equals(bo.exclusiveVm())) {
                throw MmuError.invalid("BO private to another VM");
            }
            return new PreparedOp(raw, op, bo, bo.pages());
        } catch (MmuError | ErrnoException e) {
            bo.put();
            throw e;
        }
    }

    DrmPanthorVmBindOp raw() {
        return raw;
    }

    BindOp op() {
        return op;
    }

    /** The BO reference it still holds. */
    Optional<GemObject> bo() {
        return Optional.ofNullable(bo);
    }

    long[] pages() {
        return pages;
    }

    /** A mapping took the BO reference over. */
    void handOverBo() {
        bo = null;
    }

    @Override
    public void close() {
        if (bo != null) {
            bo.put();
            bo = null;
        }
    }
}
