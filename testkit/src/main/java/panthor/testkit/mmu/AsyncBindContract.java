package panthor.testkit.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static panthor.testkit.mmu.MmuModelFixture.map;
import static panthor.testkit.mmu.MmuModelFixture.pattern;
import static panthor.testkit.mmu.MmuModelFixture.signal;
import static panthor.testkit.mmu.MmuModelFixture.syncOnly;
import static panthor.testkit.mmu.MmuModelFixture.unmap;
import static panthor.testkit.mmu.MmuModelFixture.waitOn;

import driver.core.kernel.DmaFence;
import driver.core.kernel.GemObject;
import driver.core.kernel.Syncobj;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmBindException;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous VM_BIND contract every MMU implementation meets, below the ioctl layer (an
 * {@link MmuModelFixture}): the per-VM bind queue and its sync ops (waits, signals, timeline
 * points within one batch), a rejected bind changing nothing, a failed op making the VM
 * UNUSABLE while every fence still signals, reset stopping the queues, and queued binds handed
 * over in the exported state. A module's test extends it and makes its fixture; tests
 * about one implementation only stay in that module.
 */
public abstract class AsyncBindContract<F extends MmuModelFixture> extends MmuModelTestBase<F> {

    /** A syncobj holding an unsignaled fence (some other engine's job), and the fence. */
    protected DmaFence pendingFenceIn(int handle) {
        DmaFence fence = new DmaFence(DmaFence.allocContext(), 1, f.model.clock()::nowNanos);
        f.file.syncobjs.get(handle).replaceFence(fence);
        return fence;
    }

    protected static DrmPanthorVmBindOp withSyncs(DrmPanthorVmBindOp op, DrmPanthorObjArray syncs) {
        return op.withSyncs(syncs);
    }

    @Test
    public void mapWaitsForItsFenceThenRunsAndSignals() throws GpuFault {
        GemObject bo = f.bo(2 * SZ_4K, 5);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int in = f.syncobj();
        int out = f.syncobj();
        DmaFence dep = pendingFenceIn(in);

        f.bindAsync(vm, withSyncs(map(h, 0, 0x40000L, 2 * SZ_4K, 0), f.syncs(waitOn(in, 0), signal(out, 0))));
        DmaFence done = f.file.syncobjs.get(out).fence();
        assertNotNull(done, "the job's fence is published at once");
        f.flushBindQueues();
        assertFalse(done.isSignaled(), "the job waits for its dependency");
        assertThrows(GpuFault.class, () -> bus.read64(0x40000L));
        assertEquals(1, f.mmu.vms().get(0).refs() - 1, "the queued job holds a VM reference");

        dep.signal();
        f.flushBindQueues();
        assertTrue(done.isSignaled());
        assertEquals(0, done.error());
        assertEquals(pattern(5, 1, 0), bus.read64(0x41000L), "mapped, and no stale TLB entry");
        assertEquals(1, f.mmu.vms().get(0).refs(), "the job dropped its VM reference");
        assertEquals(2, bo.refCount(), "the mapping holds the job's BO reference");
    }

    @Test
    public void opsRunInQueueOrderAndLaterWaitsUseEarlierSignalsOfTheBatch() throws GpuFault {
        GemObject bo = f.bo(4 * SZ_4K, 6);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int in = f.syncobj();
        int timeline = f.syncobj();
        DmaFence dep = pendingFenceIn(in);

        /* map 4 pages (waits), unmap the second (waits on the map's point 1 of the same batch),
         * then a SYNC_ONLY signalling point 2 */
        f.bindAsync(vm,
                withSyncs(map(h, 0, 0x80000L, 4 * SZ_4K, 0), f.syncs(waitOn(in, 0), signal(timeline, 1))),
                withSyncs(unmap(0x81000L, SZ_4K), f.syncs(waitOn(timeline, 1))),
                syncOnly(f.syncs(signal(timeline, 2))));
        Syncobj tl = f.file.syncobjs.get(timeline);
        assertEquals(2, tl.queryPoint(true), "both points are submitted");
        assertEquals(0, tl.queryPoint(false));

        dep.signal();
        f.flushBindQueues();
        assertEquals(2, tl.queryPoint(false), "every job ran");
        assertEquals(pattern(6, 0, 0), bus.read64(0x80000L));
        assertThrows(GpuFault.class, () -> bus.read64(0x81000L), "the unmap ran after the map");
        assertEquals(pattern(6, 2, 0), bus.read64(0x82000L));
        assertEquals(2, f.mmu.vms().get(0).mappings());
    }

    @Test
    public void rejectedAsyncBindChangesNothing() {
        GemObject bo = f.bo(SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        int out = f.syncobj();
        int empty = f.syncobj();
        DrmPanthorVmBindOp good = withSyncs(map(h, 0, 0x1000L, SZ_4K, 0), f.syncs(signal(out, 0)));

        assertEquals(Errno.EINVAL, errnoOf(() -> f.bindAsync(vm, good, map(99, 0, 0x2000L, SZ_4K, 0))),
                "unknown BO in op 1");
        assertEquals(Errno.ENOENT, errnoOf(() -> f.bindAsync(vm, good,
                withSyncs(unmap(0x1000L, SZ_4K), f.syncs(waitOn(42, 0))))), "wait on an unknown syncobj");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.bindAsync(vm, good,
                withSyncs(unmap(0x1000L, SZ_4K), f.syncs(waitOn(empty, 0))))), "wait on a syncobj without a fence");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.bindAsync(vm,
                withSyncs(unmap(0x1000L, SZ_4K), f.syncs(signal(42, 0))))), "signal an unknown syncobj");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.bindAsync(vm, syncOnly(DrmPanthorObjArray.EMPTY))),
                "SYNC_ONLY without syncs");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.bindAsync(vm, withSyncs(unmap(0x1000L, SZ_4K),
                f.syncs(new driver.core.uapi.DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL, out, 3))))),
                "binary syncobj with a point");
        assertEquals(Errno.EFAULT, errnoOf(() -> f.bindAsync(vm, withSyncs(unmap(0x1000L, SZ_4K),
                new DrmPanthorObjArray(16, 1, 0xdead000L)))), "bad sync array pointer");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.bindAsync(vm, unmap(0x1000L, 0))), "empty range");

        assertNull(f.file.syncobjs.get(out).fence(), "no fence was published");
        assertEquals(1, bo.refCount(), "no BO reference is kept");
        assertEquals(1, f.mmu.vms().get(0).refs());
        assertTrue(f.mmu.exportState().vms().get(0).queuedBinds().isEmpty(), "nothing was queued");

        VmBindException e = assertThrows(VmBindException.class, () -> f.bind(vm, good));
        assertEquals(0, e.failedOp(), "a synchronous op with syncs is refused");
        f.bind(vm, map(h, 0, 0x3000L, 0, 0));
        assertEquals(0, f.mmu.vms().get(0).mappings(), "a synchronous op of size 0 does nothing");
    }

    @Test
    public void failedAsyncOpMakesTheVmUnusableAndEveryFenceStillSignals() throws GpuFault {
        GemObject bo = f.bo(2 * SZ_4K, 8);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        f.bind(vm, map(h, 0, 0x10000L, SZ_4K, 0));
        int in = f.syncobj();
        int out1 = f.syncobj();
        int out2 = f.syncobj();
        int out3 = f.syncobj();
        DmaFence dep = pendingFenceIn(in);
        /* the first MAP needs new page tables (a fresh 512 GiB region) and finds no memory */
        long farVa = 1L << 40;
        f.bindAsync(vm,
                withSyncs(map(h, SZ_4K, farVa, SZ_4K, 0), f.syncs(waitOn(in, 0), signal(out1, 0))),
                withSyncs(map(h, 0, 0x30000L, SZ_4K, 0), f.syncs(signal(out2, 0))),
                withSyncs(unmap(0x10000L, SZ_4K), f.syncs(signal(out3, 0))));

        long[] hog = f.pages.allocPages((int) f.pages.stats().freePages());
        dep.signal();
        f.flushBindQueues();
        f.pages.freePages(hog);
        DmaFence first = f.file.syncobjs.get(out1).fence();
        assertTrue(first.isSignaled());
        assertEquals(-Errno.ENOMEM, first.error(), "the job's fence carries the failure");
        assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_UNUSABLE, f.mmu.vmGetState(f.call, vm));
        assertTrue(f.mmu.vmIsUnusable(ref(vm)));
        assertEquals(-Errno.EINVAL, f.file.syncobjs.get(out2).fence().error(), "a queued MAP on an unusable VM fails");
        assertTrue(f.file.syncobjs.get(out3).fence().isSignaled(), "nothing is lost: every fence signaled");
        assertEquals(0, f.file.syncobjs.get(out3).fence().error(), "a queued UNMAP still runs");
        assertThrows(GpuFault.class, () -> bus.read64(0x10000L));
        assertThrows(GpuFault.class, () -> bus.read64(farVa));
        assertEquals(1, bo.refCount(), "the failed MAPs dropped their BO references");

        assertEquals(Errno.EINVAL, errnoOf(() -> f.bindAsync(vm, unmap(0x10000L, SZ_4K))),
                "no new asynchronous bind on an unusable VM");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x10000L, SZ_4K, 0))).errno(), "no synchronous MAP either");
        f.bind(vm, unmap(0x30000L, SZ_4K));
        f.mmu.vmDestroy(f.call, vm);
        assertEquals(0, f.mmu.vms().size(), "recovery is destroy + create");
    }

    @Test
    public void resetStopsTheBindQueuesUntilPostReset() throws GpuFault {
        GemObject bo = f.bo(SZ_4K, 2);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        int out = f.syncobj();
        f.mmu.preReset();
        f.bindAsync(vm, withSyncs(map(h, 0, 0x5000L, SZ_4K, 0), f.syncs(signal(out, 0))));
        f.flushBindQueues();
        assertFalse(f.file.syncobjs.get(out).fence().isSignaled(), "stopped");
        f.mmu.postReset();
        assertEquals(0, f.mmu.vmActive(ref(vm)));
        f.flushBindQueues();
        assertTrue(f.file.syncobjs.get(out).fence().isSignaled());
        assertEquals(pattern(2, 0, 0), f.model.mmu().bus(f.mmu.vmAs(ref(vm))).read64(0x5000L));
    }

    @Test
    public void queuedBindsAreHandedOverAndRunByTheNextOwner() throws Exception {
        GemObject bo = f.bo(SZ_4K, 3);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int in = f.syncobj();
        int out = f.syncobj();
        DmaFence dep = pendingFenceIn(in);
        f.bindAsync(vm, withSyncs(map(h, 0, 0x6000L, SZ_4K, 0), f.syncs(waitOn(in, 0))),
                syncOnly(f.syncs(signal(out, 0))));
        DmaFence done = f.file.syncobjs.get(out).fence();

        MmuState state = f.mmu.exportState();
        List<MmuState.QueuedBind> queued = state.vms().get(0).queuedBinds();
        assertEquals(2, queued.size());
        assertSame(dep, queued.get(0).waitFences().get(0));
        assertSame(bo, queued.get(0).bos().get(0), "the MAP's BO travels with the job");
        assertSame(done, queued.get(1).doneFence());

        Mmu next = f.newMmu(f.implementationOf(f.mmu));
        next.importState(state);
        f.mmu.releaseState();
        assertEquals(state, next.exportState(), "import adopts the queue as it is");
        try {
            assertTrue(f.mmu.vms().isEmpty(), "the released instance forgot the queue");
            dep.signal();
            f.implementationOf(next).flushBindQueues(next);
            assertTrue(done.isSignaled());
            assertEquals(pattern(3, 0, 0), bus.read64(0x6000L), "the next owner mapped it");
            assertEquals(2, bo.refCount());
            assertTrue(next.exportState().vms().get(0).queuedBinds().isEmpty());
        } finally {
            f.implementationOf(next).deactivate(next);
        }
    }

    @Test
    public void importRefusesAQueuedBindItCannotRun() {
        MmuState state = f.mmu.exportState();
        int vm = f.vmCreate();
        MmuState.VmState v = f.mmu.exportState().vms().get(0);
        DmaFence done = new DmaFence(DmaFence.allocContext(), 1, f.model.clock()::nowNanos);
        MmuState.VmState bad = new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(), v.unusable(),
                v.unhandledFault(), List.of(new MmuState.QueuedBind(1, List.of(unmap(0, SZ_4K), unmap(SZ_4K, SZ_4K)),
                        List.of(), done, List.of())));
        MmuState withBad = new MmuState(state.version(), state.nextVmKey() + 1, List.of(bad), state.addressSpaces(),
                state.lruClock());
        Mmu next = f.newMmu(f.implementationOf(f.mmu));
        try {
            assertThrows(driver.core.slot.IncompatibleStateException.class, () -> next.importState(withBad));
        } finally {
            f.implementationOf(next).deactivate(next);
        }
        assertEquals(1, vm);
    }
}
