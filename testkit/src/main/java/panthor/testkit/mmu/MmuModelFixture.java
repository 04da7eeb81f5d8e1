package panthor.testkit.mmu;

import driver.core.kernel.GemObject;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.Syncobj;
import driver.core.slot.IncompatibleStateException;
import driver.core.subsys.UabiCall;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.PanthorIoctls;
import hw.model.internal.GpuModel;
import hw.model.regs.typed.GpuAsPresent;
import hw.model.regs.typed.GpuMmuFeatures;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One MMU below the ioctl layer, for the MMU modules' unit tests and {@link AsyncBindContract}:
 * a deterministic Mali-G610 model (time moves only through the driver's waits), the driver's
 * page allocator over its memory, an MMU of the given {@link MmuImplementation} owning the
 * initial state (8 address spaces), and a stand-in DRM file (client 7, VM pool of 32, GEM and
 * syncobj handles) with calls whose sync-op arrays live in {@link #syncs}. The MMU sees the
 * model's registers through a {@link RecordingMmio}, so tests can check command sequences.
 * {@link #swapTo} hands the state to another instance as a live swap does.
 */
public class MmuModelFixture implements AutoCloseable {

    public final GpuModel model = new GpuModel();
    public final PageAllocator pages = new PageAllocator(model.memory());
    public final RecordingMmio mmio = new RecordingMmio(model.mmio());
    public final StubUabiFile file = new StubUabiFile(7, "mmu-test");
    public final Map<Long, List<DrmPanthorSyncOp>> userSyncArrays = new HashMap<>();
    public final UabiCall call = new StubUabiCall(file, userSyncArrays);
    /** The MMU owning the state; a test may replace it with an instance {@link #newMmu} made. */
    public Mmu mmu;
    private final Set<MmuImplementation<?>> implementations = new LinkedHashSet<>();

    public MmuModelFixture(MmuImplementation<?> implementation) {
        mmu = newMmu(implementation);
        try {
            mmu.importState(MmuState.initial(8));
        } catch (IncompatibleStateException e) {
            throw new AssertionError(e);
        }
    }

    /** A new, inert instance of {@code impl} over the same model and allocator. */
    public <T extends Mmu> T newMmu(MmuImplementation<T> impl) {
        int features = GpuMmuFeatures.read(model.mmio()).raw();
        int present = GpuAsPresent.read(model.mmio()).raw();
        implementations.add(impl);
        return impl.create(mmio, model.memory(), model.clock(), pages, features, present, null);
    }

    /** The implementation {@code instance} (made by {@link #newMmu}) belongs to. */
    public MmuImplementation<?> implementationOf(Mmu instance) {
        for (MmuImplementation<?> impl : implementations) {
            if (impl.isInstance(instance)) {
                return impl;
            }
        }
        throw new IllegalArgumentException("not made by this fixture: " + instance);
    }

    /** Hands the state to a new instance of {@code impl}, as a live swap does; returns the state handed over. */
    public MmuState swapTo(MmuImplementation<?> impl) throws IncompatibleStateException {
        MmuState state = mmu.exportState();
        Mmu next = newMmu(impl);
        next.importState(state);
        mmu.releaseState();
        implementationOf(mmu).deactivate(mmu);
        mmu = next;
        return state;
    }

    /** A BO whose pages are allocated now, filled with a pattern derived from {@code seed}. */
    public GemObject bo(long size, long seed) {
        GemObject bo = new GemObject(pages, size, 0, null, false, null);
        long[] p = bo.pages();
        for (int i = 0; i < p.length; i++) {
            for (int w = 0; w < 512; w += 64) {
                model.memory().write64(p[i] + 8L * w, pattern(seed, i, w));
            }
        }
        return bo;
    }

    public static long pattern(long seed, int page, int word) {
        return seed * 0x9E3779B97F4A7C15L ^ ((long) page << 20) ^ word;
    }

    public int vmCreate() {
        return mmu.vmCreate(call, DrmPanthorVmCreate.ZERO).id();
    }

    public static DrmPanthorVmBindOp map(int handle, long boOffset, long va, long size, int flags) {
        return new DrmPanthorVmBindOp(flags, handle, boOffset, va, size, DrmPanthorObjArray.EMPTY);
    }

    public static DrmPanthorVmBindOp unmap(long va, long size) {
        return new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, 0, va, size,
                DrmPanthorObjArray.EMPTY);
    }

    public static DrmPanthorVmBindOp syncOnly(DrmPanthorObjArray syncs) {
        return new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, 0, syncs);
    }

    /** A synchronous VM_BIND. */
    public void bind(int vmId, DrmPanthorVmBindOp... ops) {
        mmu.vmBind(call, new DrmPanthorVmBind(vmId, 0, DrmPanthorObjArray.EMPTY), List.of(ops));
    }

    /** An asynchronous VM_BIND. */
    public void bindAsync(int vmId, DrmPanthorVmBindOp... ops) {
        mmu.vmBind(call, new DrmPanthorVmBind(vmId, PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC, DrmPanthorObjArray.EMPTY),
                List.of(ops));
    }

    /** A sync-op array "in user memory": copySyncOps returns these ops for the returned array. */
    public DrmPanthorObjArray syncs(DrmPanthorSyncOp... ops) {
        long pointer = 0x7000_0000L + 0x1000L * (userSyncArrays.size() + 1);
        userSyncArrays.put(pointer, List.of(ops));
        return new DrmPanthorObjArray(DrmPanthorSyncOp.SIZE, ops.length, pointer);
    }

    /** A wait on a binary syncobj ({@code point} 0) or on a timeline point. */
    public static DrmPanthorSyncOp waitOn(int handle, long point) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_WAIT | timelineFlag(point), handle, point);
    }

    /** A signal of a binary syncobj ({@code point} 0) or of a timeline point. */
    public static DrmPanthorSyncOp signal(int handle, long point) {
        return new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL | timelineFlag(point), handle, point);
    }

    private static int timelineFlag(long point) {
        return point == 0 ? 0 : PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ;
    }

    /** A new syncobj in the file (unsignaled, no fence), and its handle. */
    public int syncobj() {
        return file.addSyncobj(new Syncobj(false, model.clock()::nowNanos));
    }

    /** Runs the current MMU's bind queues until nothing is ready. */
    public void flushBindQueues() {
        implementationOf(mmu).flushBindQueues(mmu);
    }

    @Override
    public void close() {
        implementationOf(mmu).deactivate(mmu);
        model.shutdown();
    }
}
