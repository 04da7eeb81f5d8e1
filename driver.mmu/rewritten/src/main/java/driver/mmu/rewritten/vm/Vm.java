package driver.mmu.rewritten.vm;

import driver.core.kernel.GemObject;
import driver.core.kernel.PageAllocator;
import driver.core.subsys.mmu.VmRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DOC: A GPU virtual address space: layout, mapping tree and page tables.
 *
 * The VM's own state (mappings, page tables, references, usability) is guarded by its lock,
 * taken with {@code try (var guard = vm.lock()) { ... }}. Updates run under a region lock from
 * a {@link RegionLocker} (the address-space table), so the GPU never sees a half-made update
 * through a stale TLB entry. Which address space the VM holds is not the VM's business: the
 * address-space table keeps that.
 *
 * <p>Mappings own their backing: each piece of a user BO mapping holds a BO reference; a
 * kernel BO mapping owns its pages. Page-table pages are freed only with the VM.
 */
public final class Vm {

    /** VM_GET_STATE: usable, or unusable after a failed asynchronous bind. */
    public enum Usability { USABLE, UNUSABLE }

    /** Live until VM_DESTROY; then only references keep it. */
    public enum Lifecycle { LIVE, DESTROYED }

    /** The guard of the VM's lock. */
    public final class Guard implements AutoCloseable {
        private Guard() {
            opLock.lock();
        }

        @Override
        public void close() {
            opLock.unlock();
        }
    }

    private final ReentrantLock opLock = new ReentrantLock();
    private final long key;
    private final VmRef ref;
    private final boolean forMcu;
    private final VmLayout layout;
    private final PageTable pageTable;
    private final MappingTree mappings = new MappingTree();
    private final PageAllocator pages;
    private volatile int clientId;
    private volatile int handle;
    private int refs = 1;
    private volatile Usability usability = Usability.USABLE;
    private volatile boolean unhandledFault;
    private Lifecycle lifecycle = Lifecycle.LIVE;

    public Vm(long key, boolean forMcu, VmLayout layout, PageTable pageTable, PageAllocator pages) {
        this.key = key;
        this.ref = new VmRef(key);
        this.forMcu = forMcu;
        this.layout = layout;
        this.pageTable = pageTable;
        this.pages = pages;
    }

    public Guard lock() {
        return new Guard();
    }

    public long key() { return key; }
    public VmRef ref() { return ref; }
    public boolean forMcu() { return forMcu; }
    public VmLayout layout() { return layout; }
    public PageTable pageTable() { return pageTable; }
    public MappingTree mappings() { return mappings; }
    public int clientId() { return clientId; }
    public int handle() { return handle; }
    public int refs() { return refs; }
    public Usability usability() { return usability; }
    public boolean unhandledFault() { return unhandledFault; }
    public Lifecycle lifecycle() { return lifecycle; }

    public void setOwner(int clientId, int handle) {
        this.clientId = clientId;
        this.handle = handle;
    }

    public void setUnhandledFault(boolean faulted) {
        this.unhandledFault = faulted;
    }

    public void setUsability(Usability usability) {
        this.usability = usability;
    }

    /** Adopted state: references as they were. Under the lock. */
    public void restoreRefs(int refs) {
        this.refs = refs;
    }

    /** One more reference. Under the lock. */
    public void get() {
        refs++;
    }

    /** One reference less; true when it was the last. Under the lock. */
    public boolean put() {
        return --refs == 0;
    }

    /** VM_DESTROY: false if already destroyed. Clears the pool handle. Under the lock. */
    public boolean markDestroyed() {
        if (lifecycle == Lifecycle.DESTROYED) {
            return false;
        }
        lifecycle = Lifecycle.DESTROYED;
        handle = 0;
        return true;
    }

    /**
     * Maps {@code mapping} onto {@code phys[firstPage...]}, replacing whatever was mapped in its
     * range (the pieces of cut mappings outside it stay). Takes over the mapping's backing on
     * success. Under the lock.
     */
    public void map(Mapping mapping, long[] phys, int firstPage, RegionLocker regions) {
        try (var region = regions.lockRegion(this, mapping.va(), mapping.size())) {
            unmapLocked(mapping.va(), mapping.size());
            pageTable.map(mapping.va(), Mapping.protection(mapping.flags()), phys, firstPage, mapping.size());
            mappings.insert(mapping);
        }
    }

    /** Maps the sparse {@code mapping} (over the dummy page), replacing what was there. Under the lock. */
    public void mapSparse(Mapping mapping, RegionLocker regions) {
        try (var region = regions.lockRegion(this, mapping.va(), mapping.size())) {
            unmapLocked(mapping.va(), mapping.size());
            pageTable.mapSparse(mapping.va(), Mapping.protection(mapping.flags()), mapping.size());
            mappings.insert(mapping);
        }
    }

    /** Unmaps [va, va + size). Under the lock. */
    public void unmap(long va, long size, RegionLocker regions) {
        try (var region = regions.lockRegion(this, va, size)) {
            unmapLocked(va, size);
        }
    }

    /** VM_DESTROY: unmaps everything. Under the lock. */
    public void unmapAll(RegionLocker regions) {
        mappings.span().ifPresent(span -> unmap(span[0], span[1] - span[0], regions));
    }

    private void unmapLocked(long va, long size) {
        for (MappingTree.Step step : mappings.planUnmap(va, size)) {
            pageTable.unmap(step.unmapStart(), step.unmapEnd() - step.unmapStart());
            mappings.apply(step);
            Mapping removed = step.removed();
            if (removed.isKernel()) {
                releaseBacking(removed.slice(step.unmapStart(), step.unmapEnd() - step.unmapStart()));
            } else if (!step.keepsSomething()) {
                releaseBacking(removed);
            } else if (step.before().isPresent() && step.after().isPresent()) {
                step.after().get().bo().ifPresent(GemObject::get);
            }
        }
    }

    private void releaseBacking(Mapping m) {
        if (m.backing() instanceof Mapping.Backing.Bo bo) {
            bo.bo().put();
        } else if (m.backing() instanceof Mapping.Backing.KernelPages kernel) {
            pages.freePages(kernel.pages());
        }
    }

    /** The last reference went: every mapping's backing and every page-table page are freed. Under the lock. */
    public void release() {
        List<Mapping> all = new ArrayList<>(mappings.all());
        for (Mapping m : all) {
            releaseBacking(m);
        }
        mappings.clear();
        pageTable.release();
    }
}
