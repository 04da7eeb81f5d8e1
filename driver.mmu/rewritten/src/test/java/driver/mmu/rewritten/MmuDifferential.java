package driver.mmu.rewritten;

import driver.core.kernel.GemObject;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmBindException;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import hw.model.internal.GpuFault;
import hw.model.regs.typed.MmuIntClear;
import hw.model.regs.typed.MmuIntRawstat;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * DOC: Differential run of the two MMUs.
 *
 * Two devices (model + page allocator + stand-in DRM file), one with each MMU, get the same
 * seeded random sequence of Mmu-contract calls: VM_CREATE (valid and invalid ranges),
 * VM_DESTROY, VM_GET_STATE, VM_BIND arrays of MAP / UNMAP / SYNC_ONLY (aligned and not, 2 MiB
 * blocks and partial unmaps inside them, remaps over existing mappings, BOs private to a VM,
 * unknown handles and flags, ranges overflowing or reaching the kernel range), kernel BOs
 * (auto and fixed VA), vmActive/vmIdle, vmGet/vmPut, GPU reads through the model's MMU (with
 * the resulting page faults handed to {@code irq}), suspend/resume, reset (bind queues stopped
 * in between), BO handles closed while mapped. After every call the outcomes must be identical: return values, errnos and failed op
 * indexes, out-parameters, pages in use, BO reference counts; every few calls (and at the end)
 * the whole MMU state is compared (VMs, mapping trees with BOs by handle, page-table pages) and
 * the translation of every mapped page (the full page-table walk, whose descriptors hold the
 * physical addresses). Which address space a VM holds is not compared: the eviction policies
 * differ by design.
 *
 * <p>Optionally the second device swaps its MMU between the two implementations every few calls
 * (state export/import), which must not change any outcome either, activation counts above one
 * (two groups of one VM on CSG slots) included.
 */
final class MmuDifferential {

    private static final long SZ_4K = Lpae.SZ_4K;
    private static final long SZ_2M = Lpae.SZ_2M;

    /** A divergence, with the call and the two outcomes. */
    static final class Divergence extends AssertionError {
        private static final long serialVersionUID = 1L;

        Divergence(long seed, int step, String call, String a, String b) {
            super("seed " + seed + " step " + step + " " + call + "\n  cstyle:    " + a + "\n  rewritten: " + b);
        }
    }

    /** One device and its bookkeeping of test-side objects. */
    private static final class Side {
        final ModelFixture f;
        final List<GemObject> bos = new ArrayList<>();
        final Map<GemObject, Integer> boIndex = new IdentityHashMap<>();
        final Map<Integer, Integer> handleOfBo = new TreeMap<>();

        Side(String impl) {
            f = new ModelFixture(impl);
        }

        VmRef ref(int id) {
            return f.mmu.lookupVm(f.file, id);
        }
    }

    private final long seed;
    private final Random rnd;
    private final Side a = new Side("cstyle");
    private final Side b = new Side("rewritten");
    private final int swapEvery;
    private final Map<Integer, Integer> activeCounts = new TreeMap<>();
    private int step;
    private String call = "";
    private String bImpl = "rewritten";

    MmuDifferential(long seed, int swapEvery) {
        this.seed = seed;
        this.rnd = new Random(seed);
        this.swapEvery = swapEvery;
    }

    /** Runs {@code steps} calls; throws {@link Divergence} at the first difference. */
    void run(int steps) {
        try {
            for (step = 0; step < steps; step++) {
                if (swapEvery > 0 && step > 0 && step % swapEvery == 0) {
                    swapB();
                }
                one();
                /* Bind queues run on a worker thread: let both finish what is ready before comparing. */
                a.f.flushBindQueues();
                b.f.flushBindQueues();
                compareCheap();
                if (step % 16 == 15) {
                    compareDeep();
                }
            }
            compareDeep();
        } finally {
            a.f.close();
            b.f.close();
        }
    }

    private void swapB() {
        bImpl = bImpl.equals("rewritten") ? "cstyle" : "rewritten";
        try {
            b.f.swapTo(bImpl);
        } catch (Exception e) {
            throw new AssertionError("swap to " + bImpl + " failed", e);
        }
    }

    private void same(String what, Function<Side, String> outcome) {
        call = what;
        String ra = outcome.apply(a);
        String rb = outcome.apply(b);
        if (!ra.equals(rb)) {
            throw new Divergence(seed, step, what, ra, rb);
        }
    }

    private static String guarded(Side s, java.util.function.Supplier<String> body) {
        try {
            return body.get();
        } catch (VmBindException e) {
            return "errno " + e.errno() + " at op " + e.failedOp();
        } catch (ErrnoException e) {
            return "errno " + e.errno();
        } catch (RuntimeException e) {
            throw new AssertionError(s.f.mmu.impl() + ": a Java exception escaped the contract", e);
        }
    }

    // ---------------------------------------------------------------- the calls

    private void one() {
        int kind = rnd.nextInt(100);
        if (kind < 6) {
            vmCreate();
        } else if (kind < 9) {
            vmDestroy();
        } else if (kind < 14) {
            boCreate();
        } else if (kind < 16) {
            boClose();
        } else if (kind < 50) {
            bind();
        } else if (kind < 56) {
            kernelBo();
        } else if (kind < 68) {
            activeOrIdle();
        } else if (kind < 84) {
            gpuRead();
        } else if (kind < 88) {
            vmGetState();
        } else if (kind < 91) {
            getPut();
        } else if (kind < 92) {
            if (rnd.nextBoolean()) {
                suspendResume();
            } else {
                reset();
            }
        } else if (kind < 94) {
            syncobjCreate();
        } else if (kind < 96) {
            syncobjSignal();
        } else if (kind < 98) {
            flushBindQueues();
        } else {
            bind();
        }
    }

    private int vmId() {
        return 1 + rnd.nextInt(10);
    }

    private void vmCreate() {
        long[] ranges = {0, 0, 0, 1L << 32, (1L << 48) - (256L << 20), (1L << 48) - (128L << 20), 1L << 40};
        long range = ranges[rnd.nextInt(ranges.length)];
        same("vmCreate(" + Long.toHexString(range) + ")", s -> guarded(s, () -> {
            DrmPanthorVmCreate out = s.f.mmu.vmCreate(s.f.call, DrmPanthorVmCreate.ZERO.withUserVaRange(range));
            return "id " + out.id() + " uva " + Long.toHexString(out.userVaRange());
        }));
    }

    private void vmDestroy() {
        int id = vmId();
        same("vmDestroy(" + id + ")", s -> guarded(s, () -> {
            s.f.mmu.vmDestroy(s.f.call, id);
            return "ok";
        }));
        activeCounts.remove(id);
    }

    private void vmGetState() {
        int id = vmId();
        same("vmGetState(" + id + ")", s -> guarded(s, () -> "state " + s.f.mmu.vmGetState(s.f.call, id)));
    }

    private void boCreate() {
        long[] sizes = {SZ_4K, 2 * SZ_4K, 5 * SZ_4K, 16 * SZ_4K, SZ_2M, SZ_2M + 3 * SZ_4K, 2 * SZ_2M};
        long size = sizes[rnd.nextInt(sizes.length)];
        int exclusiveVm = rnd.nextInt(8) == 0 ? vmId() : 0;
        long patternSeed = rnd.nextLong();
        same("boCreate(" + size + ", excl " + exclusiveVm + ")", s -> guarded(s, () -> {
            VmRef excl = exclusiveVm == 0 ? null : s.ref(exclusiveVm);
            GemObject bo = new GemObject(s.f.pages, size, 0, excl, false, null);
            long[] p = bo.pages();
            for (int i = 0; i < p.length; i += 7) {
                s.f.model.memory().write64(p[i], ModelFixture.pattern(patternSeed, i, 0));
            }
            int handle = s.f.file.addGem(bo);
            s.boIndex.put(bo, s.bos.size());
            s.bos.add(bo);
            s.handleOfBo.put(s.boIndex.get(bo), handle);
            return "handle " + handle + " pa " + Long.toHexString(p[0]);
        }));
    }

    private void boClose() {
        if (a.bos.isEmpty()) {
            return;
        }
        int index = rnd.nextInt(a.bos.size());
        same("boClose(" + index + ")", s -> guarded(s, () -> {
            Integer handle = s.handleOfBo.remove(index);
            if (handle == null) {
                return "already closed";
            }
            s.f.file.gems.remove(handle).put();
            return "closed " + handle;
        }));
    }

    private void syncobjCreate() {
        same("syncobjCreate", s -> guarded(s, () -> "handle " + s.f.syncobj()));
    }

    private void syncobjSignal() {
        int handle = 1 + rnd.nextInt(Math.max(1, a.f.file.nextSyncobjHandle()));
        same("syncobjSignal(" + handle + ")", s -> guarded(s, () -> {
            driver.core.kernel.Syncobj so = s.f.file.syncobjs.get(handle);
            if (so == null) {
                return "none";
            }
            so.signalNow();
            return "signalled";
        }));
    }

    private void flushBindQueues() {
        same("flushBindQueues", s -> guarded(s, () -> {
            s.f.flushBindQueues();
            return "ok";
        }));
    }

    private DrmPanthorObjArray randomSyncs(Side s, long[] choices) {
        int count = (int) choices[0];
        if (count == 0) {
            return DrmPanthorObjArray.EMPTY;
        }
        if (count < 0) {
            return new DrmPanthorObjArray(32, 1, 0x1000);
        }
        driver.core.uapi.DrmPanthorSyncOp[] ops = new driver.core.uapi.DrmPanthorSyncOp[count];
        for (int i = 0; i < count; i++) {
            int handle = (int) choices[1 + 3 * i];
            long point = choices[2 + 3 * i];
            ops[i] = choices[3 + 3 * i] != 0 ? ModelFixture.signal(handle, point) : ModelFixture.waitOn(handle, point);
        }
        return s.f.syncs(ops);
    }

    /** The choices behind a sync array, drawn once for both sides: count, then (handle, point, signal) each. */
    private long[] syncChoices(boolean async) {
        int r = rnd.nextInt(async ? 4 : 60);
        if (r != 0) {
            return new long[] {0};
        }
        if (!async) {
            return new long[] {-1};
        }
        int count = 1 + rnd.nextInt(2);
        long[] c = new long[1 + 3 * count];
        c[0] = count;
        for (int i = 0; i < count; i++) {
            c[1 + 3 * i] = rnd.nextInt(12) == 0 ? 99 : 1 + rnd.nextInt(Math.max(1, a.f.file.nextSyncobjHandle()));
            c[2 + 3 * i] = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(4) : 0;
            c[3 + 3 * i] = rnd.nextBoolean() ? 1 : 0;
        }
        return c;
    }

    private int handle() {
        int r = rnd.nextInt(20);
        if (r == 0) {
            return 0;
        }
        if (r == 1) {
            return 999;
        }
        return a.f.file.nextGemHandle() <= 1 ? 1 : 1 + rnd.nextInt(a.f.file.nextGemHandle() - 1);
    }

    private long va() {
        int r = rnd.nextInt(40);
        if (r == 0) {
            return (1L << 47) - SZ_4K;
        }
        if (r == 1) {
            return -SZ_4K;
        }
        if (r == 2) {
            return 0x1800;
        }
        if (r < 14) {
            return SZ_2M * rnd.nextInt(16);
        }
        return SZ_4K * rnd.nextInt(16 * 512);
    }

    private long size() {
        int r = rnd.nextInt(30);
        if (r == 0) {
            return 0;
        }
        if (r == 1) {
            return 0x800;
        }
        if (r < 8) {
            return SZ_2M * (1 + rnd.nextInt(2));
        }
        if (r < 10) {
            return SZ_2M + SZ_4K * rnd.nextInt(8);
        }
        return SZ_4K * (1 + rnd.nextInt(24));
    }

    private int mapFlags() {
        int r = rnd.nextInt(12);
        if (r == 0) {
            return 1 << 5;
        }
        if (r == 1) {
            return PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
        }
        return r < 6 ? 0 : rnd.nextInt(16);
    }

    /** One op, drawn once; its sync array is made on each side from the same choices. */
    private Function<Side, DrmPanthorVmBindOp> randomOp(boolean async) {
        int r = rnd.nextInt(20);
        long[] syncs = syncChoices(async);
        if (r < 11) {
            int flags = mapFlags();
            boolean sparse = (flags & PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) != 0;
            int handle = sparse && rnd.nextInt(4) != 0 ? 0 : handle();
            long offset = sparse || rnd.nextInt(4) == 0 ? 0 : SZ_4K * rnd.nextInt(8);
            long va = va();
            long size = size();
            return s -> new DrmPanthorVmBindOp(flags, handle, offset, va, size, randomSyncs(s, syncs));
        }
        if (r < 18) {
            int flags = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP | (rnd.nextInt(30) == 0 ? 1 : 0);
            int handle = rnd.nextInt(30) == 0 ? 1 : 0;
            long va = va();
            long size = size();
            return s -> new DrmPanthorVmBindOp(flags, handle, 0, va, size, randomSyncs(s, syncs));
        }
        if (r < 19) {
            boolean bad = rnd.nextInt(4) == 0;
            return s -> new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0,
                    bad ? SZ_4K : 0, 0, randomSyncs(s, syncs));
        }
        long va = va();
        long size = size();
        return s -> new DrmPanthorVmBindOp(3 << 28, 0, 0, va, size, randomSyncs(s, syncs));
    }

    private void bind() {
        int id = rnd.nextInt(12) == 0 ? vmId() + 20 : vmId();
        int count = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0);
        boolean async = rnd.nextInt(4) == 0;
        List<Function<Side, DrmPanthorVmBindOp>> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ops.add(randomOp(async));
        }
        int flags = async ? PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC : 0;
        same("vmBind(" + id + ", " + flags + ", " + count + " ops)", s -> guarded(s, () -> {
            List<DrmPanthorVmBindOp> made = new ArrayList<>();
            for (Function<Side, DrmPanthorVmBindOp> op : ops) {
                made.add(op.apply(s));
            }
            s.f.mmu.vmBind(s.f.call, new DrmPanthorVmBind(id, flags, DrmPanthorObjArray.EMPTY), made);
            return "ok " + made;
        }));
    }

    private void kernelBo() {
        int id = vmId();
        boolean create = rnd.nextInt(3) != 0;
        long size = SZ_4K * (rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(6));
        int flags = rnd.nextInt(4) == 0 ? PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC : 0;
        /* In the kernel range of every layout (the top 256 MiB), or in the user range where user
         * binds land and cut it */
        long kernelVa = rnd.nextBoolean() ? (1L << 48) - (256L << 20) + SZ_4K * rnd.nextInt(24)
                : (16L << 20) + SZ_4K * rnd.nextInt(24);
        long gpuVa = rnd.nextInt(3) == 0 ? kernelVa : Mmu.KERNEL_AUTO_VA;
        if (create) {
            same("kernelBoCreate(" + id + ", " + size + ", " + Long.toHexString(gpuVa) + ")", s -> guarded(s, () -> {
                KernelMapping k = s.f.mmu.kernelBoCreate(s.ref(id), size, flags, gpuVa);
                return "va " + Long.toHexString(k.gpuVa()) + " pa " + Long.toHexString(k.pages()[0]);
            }));
        } else {
            same("kernelBoDestroy(" + id + ", " + Long.toHexString(kernelVa) + ")", s -> guarded(s, () -> {
                s.f.mmu.kernelBoDestroy(s.ref(id), kernelVa);
                return "ok";
            }));
        }
    }

    private void activeOrIdle() {
        int id = vmId();
        if (rnd.nextInt(5) < 3) {
            same("vmActive(" + id + ")", s -> guarded(s, () -> "ret " + s.f.mmu.vmActive(s.ref(id))));
            if (a.ref(id) != null && a.f.mmu.vmAs(a.ref(id)) >= 0) {
                activeCounts.merge(id, 1, Integer::sum);
            }
        } else {
            idle(id);
        }
    }

    private void idle(int id) {
        same("vmIdle(" + id + ")", s -> guarded(s, () -> {
            s.f.mmu.vmIdle(s.ref(id));
            return "ok";
        }));
        activeCounts.computeIfPresent(id, (k, v) -> v > 1 ? v - 1 : null);
    }

    private void getPut() {
        int id = vmId();
        boolean get = rnd.nextBoolean();
        same((get ? "vmGet(" : "vmGetPut(") + id + ")", s -> guarded(s, () -> {
            VmRef ref = s.ref(id);
            s.f.mmu.vmGet(ref);
            if (!get) {
                s.f.mmu.vmPut(ref);
            }
            return "ok";
        }));
    }

    /**
     * Suspend and resume, as the device does them: after every group left its CSG slot, so no
     * VM is active. (A VM still active across a suspend keeps its activation count without an
     * AS, which {@link MmuState} cannot carry through a swap, in either implementation.)
     */
    private void suspendResume() {
        for (int id : new ArrayList<>(activeCounts.keySet())) {
            while (activeCounts.containsKey(id)) {
                idle(id);
            }
        }
        same("suspend+resume", s -> guarded(s, () -> {
            s.f.mmu.suspend();
            s.f.mmu.resume();
            return "ok";
        }));
    }

    /** A GPU reset: groups left their slots first; bind queues stop in between and restart after. */
    private void reset() {
        for (int id : new ArrayList<>(activeCounts.keySet())) {
            while (activeCounts.containsKey(id)) {
                idle(id);
            }
        }
        same("preReset", s -> guarded(s, () -> {
            s.f.mmu.preReset();
            return "ok";
        }));
        if (rnd.nextBoolean()) {
            bind();
        }
        same("postReset", s -> guarded(s, () -> {
            s.f.mmu.postReset();
            return "ok";
        }));
    }

    /** A GPU read in a VM that holds an AS on both devices; a fault goes to the MMU IRQ. */
    private void gpuRead() {
        int id = vmId();
        if (a.ref(id) == null || a.f.mmu.vmAs(a.ref(id)) < 0 || b.f.mmu.vmAs(b.ref(id)) < 0) {
            return;
        }
        long va;
        List<MmuState.MappingState> maps = mappingsOf(a, id);
        if (!maps.isEmpty() && rnd.nextInt(4) != 0) {
            MmuState.MappingState m = maps.get(rnd.nextInt(maps.size()));
            va = m.va() + SZ_4K * rnd.nextInt((int) (m.size() / SZ_4K));
        } else {
            va = SZ_4K * rnd.nextInt(16 * 512);
        }
        same("gpuRead(" + id + ", " + Long.toHexString(va) + ")", s -> guarded(s, () -> {
            int as = s.f.mmu.vmAs(s.ref(id));
            try {
                return "value " + Long.toHexString(s.f.model.mmu().bus(as).read64(va));
            } catch (GpuFault fault) {
                int raw = MmuIntRawstat.read(s.f.model.mmio()).raw();
                MmuIntClear.of(raw).write(s.f.model.mmio());
                s.f.mmu.irq(raw);
                return "fault " + Long.toHexString(fault.va()) + " type " + fault.accessType() + " faulted "
                        + s.f.mmu.vmHasUnhandledFaults(s.ref(id));
            }
        }));
    }

    private static List<MmuState.MappingState> mappingsOf(Side s, int id) {
        VmRef ref = s.ref(id);
        if (ref == null) {
            return List.of();
        }
        for (MmuState.VmState v : s.f.mmu.exportState().vms()) {
            if (v.key() == ref.key()) {
                return v.mappings();
            }
        }
        return List.of();
    }

    // ---------------------------------------------------------------- comparisons

    private void compareCheap() {
        String last = call;
        same("after " + last + ": pages in use, BO references, VM list", s -> {
            StringBuilder sb = new StringBuilder("used " + s.f.pages.stats().usedPages() + " refs");
            for (GemObject bo : s.bos) {
                sb.append(' ').append(bo.refCount());
            }
            sb.append(" syncobjs");
            for (Map.Entry<Integer, driver.core.kernel.Syncobj> e : new TreeMap<>(s.f.file.syncobjs).entrySet()) {
                driver.core.kernel.DmaFence fence = e.getValue().fence();
                sb.append(' ').append(e.getKey()).append(fence == null ? ":none"
                        : fence.isSignaled() ? ":done" + fence.error() : ":pending")
                        .append('@').append(e.getValue().queryPoint(false));
            }
            for (VmInfo v : s.f.mmu.vms()) {
                sb.append(" | ").append(v.vm()).append(" h").append(v.handle()).append(" m").append(v.mappings())
                        .append(" b").append(v.mappedBytes()).append(" pt").append(v.pageTablePages())
                        .append(" r").append(v.refs()).append(' ').append(v.state())
                        .append(" q").append(queued(s, v.vm()))
                        .append(activeCounts.containsKey(v.handle()) ? (v.as() >= 0 ? " active+AS" : " active-noAS") : "");
            }
            return sb.toString();
        });
    }

    private static int queued(Side s, VmRef ref) {
        for (MmuState.VmState v : s.f.mmu.exportState().vms()) {
            if (v.key() == ref.key()) {
                return v.queuedBinds().size();
            }
        }
        return -1;
    }

    private void compareDeep() {
        same("state", s -> {
            MmuState st = s.f.mmu.exportState();
            StringBuilder sb = new StringBuilder("next " + st.nextVmKey());
            for (MmuState.VmState v : st.vms()) {
                sb.append("\n vm ").append(v.key()).append(" client ").append(v.clientId()).append(" h ")
                        .append(v.handle()).append(" uva ").append(Long.toHexString(v.userVaRange())).append(" k ")
                        .append(Long.toHexString(v.kernelVaStart())).append('+')
                        .append(Long.toHexString(v.kernelVaSize())).append(" pgd ").append(Long.toHexString(v.pgd()))
                        .append(" pt ").append(v.pageTablePages()).append(" refs ").append(v.refs())
                        .append(" unusable ").append(v.unusable()).append(" fault ").append(v.unhandledFault());
                for (MmuState.QueuedBind q : v.queuedBinds()) {
                    sb.append("\n  queued ").append(q.seqno()).append(' ').append(q.ops()).append(" waits ")
                            .append(q.waitFences().size()).append(" bos ").append(q.bos().size());
                }
                for (MmuState.MappingState m : v.mappings()) {
                    sb.append("\n  ").append(Long.toHexString(m.va())).append('+').append(Long.toHexString(m.size()))
                            .append(" bo ").append(m.bo() == null ? "-" : s.boIndex.get(m.bo())).append(" off ")
                            .append(Long.toHexString(m.boOffset())).append(" flags ").append(m.flags())
                            .append(m.kernel() ? " kernel" : "");
                    for (long va = m.va(); va < m.va() + m.size(); va += SZ_4K) {
                        List<WalkLine> walk = s.f.mmu.walk(new VmRef(v.key()), va);
                        WalkLine leaf = walk.get(walk.size() - 1);
                        sb.append(' ').append(leaf.level()).append(':').append(Long.toHexString(leaf.tableAddress()))
                                .append(':').append(leaf.index()).append('=').append(Long.toHexString(leaf.entry()));
                    }
                }
            }
            return sb.toString();
        });
    }
}
