package driver.sched.cstyle;

import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.UabiCall;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.ErrnoException;
import driver.mmu.cstyle.PanthorMmu;
import java.util.List;
import panthor.testkit.DriverHarness;
import panthor.testkit.mmu.StubUabiCall;
import panthor.testkit.mmu.StubUabiFile;

/**
 * The driver harness with the C-style MMU installed, a {@link PanthorHeap} over its slots, and
 * stand-in DRM files (a VM pool of 32) for calls made below the ioctl layer.
 */
final class HeapFixture implements AutoCloseable {

    final DriverHarness h = DriverHarness.start();
    final PanthorHeap heaps;
    final StubUabiFile file = newFile(7);
    final UabiCall call = new StubUabiCall(file);

    HeapFixture() {
        h.install("mmu", "cstyle", new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device()));
        heaps = new PanthorHeap(h.subsystems(), h.gpuInfo().l2Features());
    }

    /** A stand-in DRM file (VM pool of 32) of client {@code clientId}. */
    static StubUabiFile newFile(int clientId) {
        return new StubUabiFile(clientId, "heap-test");
    }

    <R> R mmu(java.util.function.Function<Mmu, R> op) {
        return h.subsystems().mmu().call(op::apply);
    }

    /** VM_CREATE in {@code f}; returns its id. */
    int vmCreate(StubUabiFile f) {
        return mmu(m -> m.vmCreate(new StubUabiCall(f), DrmPanthorVmCreate.ZERO)).id();
    }

    VmRef vm(StubUabiFile f, int vmId) {
        return mmu(m -> m.lookupVm(f, vmId));
    }

    VmInfo vmInfo(VmRef vm) {
        for (VmInfo info : mmu(Mmu::vms)) {
            if (info.vm().equals(vm)) {
                return info;
            }
        }
        return null;
    }

    static DrmPanthorTilerHeapCreate args(int vmId, int initial, int chunkSize, int max, int targetInFlight) {
        return new DrmPanthorTilerHeapCreate(vmId, initial, chunkSize, max, targetInFlight, 0, 0, 0);
    }

    DrmPanthorTilerHeapCreate create(int vmId, int initial, int chunkSize, int max) {
        return heaps.heapCreate(call, vm(file, vmId), args(vmId, initial, chunkSize, max, 1));
    }

    /** The errno {@code op} fails with, or 0. */
    static int errnoOf(Runnable op) {
        try {
            op.run();
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    long usedPages() {
        return h.pageAllocator().stats().usedPages();
    }

    /** GPU VA → physical address through {@code vm}'s page tables (as the GPU's MMU walks them). */
    long translate(VmRef vm, long va) {
        List<WalkLine> walk = mmu(m -> m.walk(vm, va));
        WalkLine last = walk.get(walk.size() - 1);
        if (!Lpae.isValid(last.entry()) || Lpae.isTable(last.entry(), last.level())) {
            throw new AssertionError("0x" + Long.toHexString(va) + " not mapped: " + walk);
        }
        long blockSize = 1L << (12 + 9 * (3 - last.level()));
        return Lpae.address(last.entry()) + (va & (blockSize - 1));
    }

    /** The final walk line's meaning (e.g. {@code page 4K rw xn}). */
    String mapping(VmRef vm, long va) {
        List<WalkLine> walk = mmu(m -> m.walk(vm, va));
        return walk.get(walk.size() - 1).meaning();
    }

    long gpuRead64(VmRef vm, long va) {
        return h.memory().read64(translate(vm, va));
    }

    @Override
    public void close() {
        h.close();
    }
}
