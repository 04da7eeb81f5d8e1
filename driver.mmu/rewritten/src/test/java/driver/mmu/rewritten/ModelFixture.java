package driver.mmu.rewritten;

import driver.core.kernel.GemObject;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.Syncobj;
import driver.core.slot.IncompatibleStateException;
import driver.core.subsys.HandlePool;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.UserProcess;
import driver.mmu.cstyle.PanthorMmu;
import hw.model.api.Mmio;
import hw.model.internal.GpuModel;
import hw.model.regs.typed.GpuAsPresent;
import hw.model.regs.typed.GpuMmuFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * A deterministic Mali-G610 model (time moves only through the driver's waits), the driver's
 * page allocator over its memory, an MMU of either implementation owning the initial state,
 * and a stand-in DRM file (VM pool of 32, GEM handles). The MMU sees the model's registers
 * through a {@link RecordingMmio}, so tests can check the command sequences.
 */
final class ModelFixture implements AutoCloseable {

    final GpuModel model = new GpuModel();
    final PageAllocator pages = new PageAllocator(model.memory());
    final RecordingMmio mmio = new RecordingMmio(model.mmio());
    final TestFile file = new TestFile(7);
    final Map<Long, List<DrmPanthorSyncOp>> userSyncArrays = new HashMap<>();
    final UabiCall call = new TestCall(file, userSyncArrays);
    Mmu mmu;

    ModelFixture(String impl) {
        mmu = newMmu(impl);
        try {
            mmu.importState(MmuState.initial(8));
        } catch (IncompatibleStateException e) {
            throw new AssertionError(e);
        }
    }

    Mmu newMmu(String impl) {
        int features = GpuMmuFeatures.read(model.mmio()).raw();
        int present = GpuAsPresent.read(model.mmio()).raw();
        switch (impl) {
            case "rewritten":
                return new RewrittenMmu(mmio, model.memory(), model.clock(), pages, features, present);
            case "cstyle":
                return new PanthorMmu(mmio, model.memory(), model.clock(), pages, features, present);
            default:
                throw new IllegalArgumentException(impl);
        }
    }

    /** Hands the state to a new instance of {@code impl}, as a live swap does. */
    MmuState swapTo(String impl) throws IncompatibleStateException {
        MmuState state = mmu.exportState();
        Mmu next = newMmu(impl);
        next.importState(state);
        mmu.releaseState();
        Mmu old = mmu;
        mmu = next;
        if (old instanceof RewrittenMmu r) {
            r.deactivate();
        } else if (old instanceof driver.mmu.cstyle.PanthorMmu c) {
            c.deactivate();
        }
        return state;
    }

    /** A BO whose pages are allocated now, filled with a pattern derived from {@code seed}. */
    GemObject bo(long size, long seed) {
        GemObject bo = new GemObject(pages, size, 0, null, false, null);
        long[] p = bo.pages();
        for (int i = 0; i < p.length; i++) {
            for (int w = 0; w < 512; w += 64) {
                model.memory().write64(p[i] + 8L * w, pattern(seed, i, w));
            }
        }
        return bo;
    }

    static long pattern(long seed, int page, int word) {
        return seed * 0x9E3779B97F4A7C15L ^ ((long) page << 20) ^ word;
    }

    int vmCreate() {
        return mmu.vmCreate(call, DrmPanthorVmCreate.ZERO).id();
    }

    static DrmPanthorVmBindOp map(int handle, long boOffset, long va, long size, int flags) {
        return new DrmPanthorVmBindOp(flags, handle, boOffset, va, size, DrmPanthorObjArray.EMPTY);
    }

    static DrmPanthorVmBindOp unmap(long va, long size) {
        return new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, 0, va, size,
                DrmPanthorObjArray.EMPTY);
    }

    void bind(int vmId, DrmPanthorVmBindOp... ops) {
        mmu.vmBind(call, new DrmPanthorVmBind(vmId, 0, DrmPanthorObjArray.EMPTY), List.of(ops));
    }

    void bindAsync(int vmId, DrmPanthorVmBindOp... ops) {
        mmu.vmBind(call, new DrmPanthorVmBind(vmId, PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC, DrmPanthorObjArray.EMPTY),
                List.of(ops));
    }

    /** A sync-op array "in user memory": copySyncOps returns these ops for the returned array. */
    DrmPanthorObjArray syncs(DrmPanthorSyncOp... ops) {
        long pointer = 0x7000_0000L + 0x1000L * (userSyncArrays.size() + 1);
        userSyncArrays.put(pointer, List.of(ops));
        return new DrmPanthorObjArray(DrmPanthorSyncOp.SIZE, ops.length, pointer);
    }

    static DrmPanthorSyncOp waitOn(int handle, long point) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_WAIT | (point == 0 ? 0
                : PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ), handle, point);
    }

    static DrmPanthorSyncOp signal(int handle, long point) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL | (point == 0 ? 0
                : PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ), handle, point);
    }

    static DrmPanthorVmBindOp syncOnly(DrmPanthorObjArray syncs) {
        return new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, 0, syncs);
    }

    /** A new syncobj in the file (unsignaled, no fence), and its handle. */
    int syncobj() {
        return file.addSyncobj(new Syncobj(false, model.clock()::nowNanos));
    }

    /** Runs the bind queues until nothing is ready. */
    void flushBindQueues() {
        if (mmu instanceof RewrittenMmu r) {
            r.flushBindQueues();
        } else {
            ((driver.mmu.cstyle.PanthorMmu) mmu).flushBindQueues();
        }
    }

    @Override
    public void close() {
        if (mmu instanceof RewrittenMmu r) {
            r.deactivate();
        } else if (mmu instanceof driver.mmu.cstyle.PanthorMmu c) {
            c.deactivate();
        }
        model.shutdown();
    }

    /** An Mmio that records register writes (offset, value) on their way to the model. */
    static final class RecordingMmio implements Mmio {
        final Mmio target;
        final List<long[]> writes = new ArrayList<>();
        boolean recording;

        RecordingMmio(Mmio target) {
            this.target = target;
        }

        @Override
        public int size() {
            return target.size();
        }

        @Override
        public int read32(int offset) {
            return target.read32(offset);
        }

        @Override
        public void write32(int offset, int value) {
            if (recording) {
                writes.add(new long[] {offset, value});
            }
            target.write32(offset, value);
        }
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

        @Override
        public synchronized Object get(int id) {
            return map.get(id);
        }

        @Override
        public synchronized Object remove(int id) {
            return map.remove(id);
        }

        @Override
        public synchronized Map<Integer, Object> snapshot() {
            return new TreeMap<>(map);
        }

        @Override
        public synchronized int size() {
            return map.size();
        }
    }

    static final class TestFile implements UabiFile {
        final int clientId;
        final TestPool vms = new TestPool(32);
        final TestPool groups = new TestPool(128);
        final Map<Integer, GemObject> gems = new HashMap<>();
        final Map<Integer, Syncobj> syncobjs = new HashMap<>();
        int nextGem = 1;
        int nextSyncobj = 1;

        int addSyncobj(Syncobj s) {
            int h = nextSyncobj++;
            syncobjs.put(h, s);
            return h;
        }

        TestFile(int clientId) {
            this.clientId = clientId;
        }

        int addGem(GemObject bo) {
            int h = nextGem++;
            gems.put(h, bo);
            return h;
        }

        @Override public int clientId() { return clientId; }
        @Override public int openerPid() { return 100; }
        @Override public String openerComm() { return "mmu-test"; }
        @Override public HandlePool vms() { return vms; }
        @Override public HandlePool groups() { return groups; }

        @Override
        public GemObject lookupGem(int handle) {
            GemObject bo = gems.get(handle);
            return bo == null ? null : bo.get();
        }

        @Override
        public Syncobj lookupSyncobj(int handle) {
            Syncobj s = syncobjs.get(handle);
            return s == null ? null : s.get();
        }
    }

    static final class TestCall implements UabiCall {
        final UabiFile file;
        final Map<Long, List<DrmPanthorSyncOp>> userSyncArrays;

        TestCall(UabiFile file, Map<Long, List<DrmPanthorSyncOp>> userSyncArrays) {
            this.file = file;
            this.userSyncArrays = userSyncArrays;
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
            List<DrmPanthorSyncOp> ops = userSyncArrays.get(array.array());
            if (ops == null) {
                throw new ErrnoException(Errno.EFAULT, "bad user pointer");
            }
            return ops;
        }

        @Override
        public void checkSyncOp(DrmPanthorSyncOp op) {
            int known = PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL;
            int type = op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;
            if ((op.flags() & ~known) != 0 || type > PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ
                    || (type == PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && op.timelineValue() != 0)) {
                throw new ErrnoException(Errno.EINVAL, "sync op");
            }
        }
    }
}
