package driver.sched.cstyle;

import driver.core.kernel.GemObject;
import driver.core.kernel.Syncobj;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.HandlePool;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.user.UserProcess;
import driver.mmu.cstyle.PanthorMmu;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import panthor.testkit.DriverHarness;

/**
 * The driver harness with the C-style MMU installed, a {@link PanthorHeap} over its slots, and
 * stand-in DRM files (a VM pool of 32) for calls made below the ioctl layer.
 */
final class HeapFixture implements AutoCloseable {

    final DriverHarness h = DriverHarness.start();
    final PanthorHeap heaps;
    final TestFile file = new TestFile(7);
    final UabiCall call = new TestCall(file);

    HeapFixture() {
        h.install("mmu", "cstyle", new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device()));
        heaps = new PanthorHeap(h.subsystems(), h.gpuInfo().l2Features());
    }

    <R> R mmu(java.util.function.Function<Mmu, R> op) {
        return h.subsystems().mmu().call(op::apply);
    }

    /** VM_CREATE in {@code f}; returns its id. */
    int vmCreate(TestFile f) {
        return mmu(m -> m.vmCreate(new TestCall(f), DrmPanthorVmCreate.ZERO)).id();
    }

    VmRef vm(TestFile f, int vmId) {
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

    static final class TestPool implements HandlePool {
        final int limit;
        final TreeMap<Integer, Object> map = new TreeMap<>();

        TestPool(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized int alloc(Object value) {
            for (int id = 1; id <= limit; id++) {
                if (!map.containsKey(id)) {
                    map.put(id, value);
                    return id;
                }
            }
            throw new ErrnoException(Errno.EBUSY, "pool full");
        }

        @Override public synchronized Object get(int id) { return map.get(id); }
        @Override public synchronized Object remove(int id) { return map.remove(id); }
        @Override public synchronized Map<Integer, Object> snapshot() { return new TreeMap<>(map); }
        @Override public synchronized int size() { return map.size(); }
    }

    static final class TestFile implements UabiFile {
        final int clientId;
        final TestPool vms = new TestPool(32);
        final TestPool groups = new TestPool(128);

        TestFile(int clientId) {
            this.clientId = clientId;
        }

        @Override public int clientId() { return clientId; }
        @Override public int openerPid() { return 100; }
        @Override public String openerComm() { return "heap-test"; }
        @Override public HandlePool vms() { return vms; }
        @Override public HandlePool groups() { return groups; }
        @Override public GemObject lookupGem(int handle) { return null; }
        @Override public Syncobj lookupSyncobj(int handle) { return null; }
    }

    static final class TestCall implements UabiCall {
        final UabiFile file;

        TestCall(UabiFile file) {
            this.file = file;
        }

        @Override public UabiFile file() { return file; }
        @Override public UserProcess caller() { return null; }

        @Override
        public <T> List<T> copyArray(DrmPanthorObjArray array, int minSize, int kernelSize,
                                     BiFunction<byte[], Integer, T> decoder) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DrmPanthorSyncOp> copySyncOps(DrmPanthorObjArray array) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkSyncOp(DrmPanthorSyncOp op) {
            throw new UnsupportedOperationException();
        }
    }
}
