package driver.mmu.rewritten.vm;

/**
 * Locks a VA region of a VM's address space around a page-table update (if the VM has an
 * address space) and keeps the VM's address space from changing hands until the guard closes.
 * Closing flushes the region's TLB entries and unlocks; it never throws.
 */
@FunctionalInterface
public interface RegionLocker {

    /** The guard of a locked region. */
    interface RegionLock extends AutoCloseable {
        @Override
        void close();
    }

    RegionLock lockRegion(Vm vm, long va, long size);
}
