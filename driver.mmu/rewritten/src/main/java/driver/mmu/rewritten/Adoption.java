package driver.mmu.rewritten;

import driver.core.kernel.PageAllocator;
import driver.core.kernel.pgtable.Lpae;
import driver.core.slot.IncompatibleStateException;
import driver.core.subsys.mmu.MmuState;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import driver.mmu.rewritten.vm.Mapping;
import driver.mmu.rewritten.vm.PageTable;
import driver.mmu.rewritten.vm.Vm;
import driver.mmu.rewritten.vm.VmLayout;
import hw.model.api.PhysicalMemory;

/**
 * DOC: Adopting another owner's state ({@link MmuState}) as it is.
 *
 * A VM's page tables stay where they are in GPU memory ({@link PageTable#adopt}: nothing is
 * allocated, written or remapped); a kernel BO mapping's pages and the sparse dummy page are
 * read back from the adopted tables (the state names BOs, not pages); a queued bind becomes a
 * {@link BindJob} holding the BO reference the state hands over.
 */
final class Adoption {

    private Adoption() {
    }

    /** One op per job, and the BO a MAP holds (none for other ops): what both implementations queue. */
    static void checkQueuedBind(MmuState.QueuedBind qb) throws IncompatibleStateException {
        if (qb.ops().size() != 1) {
            throw new IncompatibleStateException("a queued bind of " + qb.ops().size() + " ops (one job per op here)");
        }
        DrmPanthorVmBindOp op = qb.ops().get(0);
        boolean takesBo = (op.flags() & PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)
                == PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
                && (op.flags() & PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) == 0;
        if (qb.bos().size() != (takesBo ? 1 : 0)) {
            throw new IncompatibleStateException("queued bind " + qb.seqno() + " holds " + qb.bos().size() + " BOs");
        }
    }

    static BindJob job(Vm vm, MmuState.QueuedBind qb) throws IncompatibleStateException {
        PreparedOp op;
        try {
            op = PreparedOp.adopt(qb.ops().get(0), vm, qb.bos().isEmpty() ? null : qb.bos().get(0));
        } catch (MmuError | ErrnoException e) {
            throw new IncompatibleStateException("queued bind " + qb.seqno() + ": " + e.getMessage());
        }
        BindJob job = new BindJob(op);
        job.seqno = qb.seqno();
        job.doneFence = qb.doneFence();
        job.waitFences.addAll(qb.waitFences());
        return job;
    }

    static Vm vm(MmuState.VmState v, PhysicalMemory memory, PageAllocator pages, int vaBits) {
        PageTable table = PageTable.adopt(memory, pages, vaBits, v.pgd(), v.pageTablePages());
        VmLayout layout = new VmLayout(vaBits, v.userVaRange(), v.kernelVaStart(), v.kernelVaSize());
        Vm vm = new Vm(v.key(), v.forMcu(), layout, table, pages);
        vm.setOwner(v.clientId(), v.handle());
        vm.restoreRefs(v.refs());
        vm.setUsability(v.unusable() ? Vm.Usability.UNUSABLE : Vm.Usability.USABLE);
        vm.setUnhandledFault(v.unhandledFault());
        for (MmuState.MappingState m : v.mappings()) {
            Mapping.Backing backing;
            if (m.kernel()) {
                backing = new Mapping.Backing.KernelPages(pagesOf(table, m.va(), m.size()));
            } else if (m.bo() == null) {
                backing = new Mapping.Backing.Sparse();
                table.adoptDummyPage(pagesOf(table, m.va(), Lpae.SZ_4K)[0]);
            } else {
                backing = new Mapping.Backing.Bo(m.bo());
            }
            vm.mappings().insert(new Mapping(m.va(), m.size(), backing, m.boOffset(), m.flags()));
        }
        table.adoptUnreachableDummyPage();
        return vm;
    }

    private static long[] pagesOf(PageTable table, long va, long size) {
        return table.physicalPages(va, size);
    }
}
