package driver.sched.cstyle;

import driver.core.kernel.KernelMapping;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.sched.SchedState;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DOC: Tiler heaps, C style — the ioctls and the per-VM heap pools.
 *
 * The scheduler's tiler-heap part: what {@code panthor_ioctl_tiler_heap_create/destroy()}
 * ({@code panthor_drv.c}) and {@code panthor_vm_get_heap_pool()} ({@code vm->heaps},
 * {@code panthor_mmu.c}) do around {@code panthor_heap.c}, whose structs and functions are
 * {@link PanthorHeapPool}. The scheduler ({@code PanthorSched}) owns one instance and forwards
 * the {@code Sched} contract's heap calls, postclose and its state to it.
 *
 * <p>TILER_HEAP_CREATE in a VM the driver core already resolved: get the VM's pool, creating
 * it on the first call (the pool takes a VM reference and allocates its context BO, before the
 * arguments are checked, exactly as the C does, so a rejected create still leaves an empty
 * pool), then {@code panthor_heap_create()}: EINVAL for {@code initial_chunk_count} 0 or above
 * {@code max_chunks}, or a {@code chunk_size} not page-aligned or outside [128 KiB, 8 MiB]
 * (today's C; early versions wanted a power of two in [256 KiB, 2 MiB]); {@code target_in_flight}
 * is not checked; EBUSY for a 129th heap; ENOMEM when memory or kernel VA runs out. The handle is
 * {@code vm_id << 16 | heap id}, heap ids counting from 0. The heap context GPU VA is the id's
 * slot in the pool's context BO (zeroed), the first chunk VA the newest initial chunk, whose
 * header links to the one before it.
 *
 * <p>TILER_HEAP_DESTROY: ENOENT if the VM never had a heap (no pool,
 * {@code panthor_vm_get_heap_pool(vm, false)} returns {@code ERR_PTR(-ENOENT)}), EINVAL for an
 * unknown heap id ({@code handle & 0xffff}), else the heap's chunks are freed and its id free.
 *
 * <p><b>Pool lifetime (a simplification, invisible at the UABI).</b> In Panthor the pool
 * belongs to the VM: {@code panthor_vm_destroy()} destroys it. The MMU contract has no VM-destroy
 * callback into the scheduler, so here the pools sit in a table by VM, each holding a VM
 * reference ({@code Mmu.vmGet}/{@code vmPut}), and die (a) at postclose of the VM's owner file
 * ({@link #fileClosed}, which the driver core calls before the MMU's), or (b) lazily, at the next
 * heap ioctl, once the MMU reports the VM destroyed ({@code VmInfo.handle() == 0}); by then the
 * MMU's VM teardown has unmapped and freed the heap memory, as Panthor's does, so only the VM
 * reference is dropped. Until (b) a destroyed VM's page tables stay allocated. The pool does not
 * die with its last heap: Panthor keeps it, and a later TILER_HEAP_DESTROY must answer EINVAL
 * rather than ENOENT.
 *
 * <p>Device unplug leaves the pools to postclose, as Panthor does. Heap growth on a tiler OOM
 * ({@link #heapGrow}) is implemented but unused: the firmware model raises no CS_TILER_OOM.
 *
 * <p>Lock order: {@link #poolsLock} ({@code vm->heaps.lock}) → {@link PanthorHeapPool}'s locks.
 * It is held to look up, insert or remove a pool, and across a pool's creation (which calls the
 * MMU), as the C holds {@code vm->heaps.lock} across {@code panthor_heap_pool_create()}; never
 * while a heap is created or destroyed.
 */
public final class PanthorHeap {

    /** Mali-G610's {@code L2_FEATURES} (64-byte cache lines): a 64-byte heap context stride. */
    static final int G610_L2_FEATURES = 0x07120306;

    final DriverSubsystems subsystems;
    /** {@code panthor_heap_ctx_stride(ptdev)}. */
    final int ctxStride;
    /** {@code vm->heaps.lock} of every VM. */
    final ReentrantLock poolsLock = new ReentrantLock();
    /** {@code vm->heaps.pool} of every VM that has one, by {@link VmRef#key()}. */
    final Map<Long, PanthorHeapPool> pools = new TreeMap<>();

    /** Heaps on a GPU with 64-byte L2 cache lines (the G610 the model is). */
    public PanthorHeap(DriverSubsystems subsystems) {
        this(subsystems, G610_L2_FEATURES);
    }

    /** Heaps on a GPU whose {@code gpu_info.l2_features} is {@code l2Features}. */
    public PanthorHeap(DriverSubsystems subsystems, int l2Features) {
        this.subsystems = subsystems;
        this.ctxStride = PanthorHeapPool.heapCtxStride(l2Features);
    }

    private static ErrnoException errno(int ret) {
        return new ErrnoException(-ret);
    }

    // ------------------------------------------------------------------ vm->heaps

    /**
     * {@code panthor_vm_get_heap_pool()}: the VM's pool; with {@code create}, a new one if it has
     * none. Null with {@code ret[0]} = -ENOENT (no pool, not creating) or the creation error.
     */
    PanthorHeapPool vmGetHeapPool(VmRef vm, int clientId, boolean create, int[] ret) {
        poolsLock.lock();
        try {
            PanthorHeapPool pool = pools.get(vm.key());
            if (pool == null && create) {
                pool = PanthorHeapPool.heapPoolCreate(subsystems, vm, clientId, ctxStride, ret);
                if (pool != null) {
                    pools.put(vm.key(), pool);
                }
                return pool;
            }
            if (pool == null) {
                ret[0] = -Errno.ENOENT;
            }
            return pool;
        } finally {
            poolsLock.unlock();
        }
    }

    /** The MMU's VMs by key, or null if the MMU cannot answer. */
    private Map<Long, VmInfo> vmInfos() {
        try {
            Map<Long, VmInfo> out = new HashMap<>();
            for (VmInfo info : subsystems.mmu().call(m -> m.vms())) {
                out.put(info.vm().key(), info);
            }
            return out;
        } catch (ErrnoException | SubsystemUnavailableException e) {
            return null;
        }
    }

    /**
     * Removes from the table and returns the pools {@code doomed} selects, given the MMU's
     * view of their VM (null if the MMU no longer knows it).
     */
    private List<PanthorHeapPool> takePools(Map<Long, VmInfo> infos,
                                            BiPredicate<PanthorHeapPool, VmInfo> doomed) {
        List<PanthorHeapPool> taken = new ArrayList<>();
        poolsLock.lock();
        try {
            var it = pools.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                PanthorHeapPool pool = e.getValue();
                VmInfo info = infos.get(e.getKey());
                if (pool.clientId < 0 && info != null) {
                    pool.clientId = info.clientId();
                }
                if (doomed.test(pool, info)) {
                    it.remove();
                    taken.add(pool);
                }
            }
        } finally {
            poolsLock.unlock();
        }
        return taken;
    }

    /**
     * The lazy half of {@code panthor_vm_destroy() → panthor_heap_pool_destroy()}: pools of VMs
     * the MMU reports destroyed (or no longer knows) are destroyed now.
     */
    void reapDestroyedVmPools() {
        poolsLock.lock();
        boolean any = !pools.isEmpty();
        poolsLock.unlock();
        if (!any) {
            return;
        }
        Map<Long, VmInfo> infos = vmInfos();
        if (infos == null) {
            return;
        }
        for (PanthorHeapPool pool : takePools(infos, (pool, info) -> info == null || info.handle() == 0)) {
            pool.heapPoolDestroy();
        }
    }

    // ------------------------------------------------------------------ UABI

    /**
     * TILER_HEAP_CREATE ({@code panthor_ioctl_tiler_heap_create()} past the VM lookup) in
     * {@code vm}, resolved from {@code args.vm_id}. Returns args with {@code handle},
     * {@code tiler_heap_ctx_gpu_va} and {@code first_heap_chunk_gpu_va} set.
     */
    public DrmPanthorTilerHeapCreate heapCreate(UabiCall call, VmRef vm, DrmPanthorTilerHeapCreate args)
            throws ErrnoException {
        reapDestroyedVmPools();
        int[] ret = new int[1];
        PanthorHeapPool pool = vmGetHeapPool(vm, call.file().clientId(), true, ret);
        if (pool == null) {
            throw errno(ret[0]);
        }
        long[] out = new long[2];
        int id = pool.heapCreate(args.initialChunkCount(), args.chunkSize(), args.maxChunks(),
                args.targetInFlight(), out);
        if (id < 0) {
            throw errno(id);
        }
        /* Heap pools are per-VM: the VM and heap ids make a unique handle. */
        return args.withHandle((args.vmId() << 16) | id)
                .withTilerHeapCtxGpuVa(out[0])
                .withFirstHeapChunkGpuVa(out[1]);
    }

    /** TILER_HEAP_DESTROY of heap {@code handle & 0xffff} in {@code vm}: ENOENT without a pool, EINVAL for an unknown heap. */
    public void heapDestroy(UabiCall call, VmRef vm, int handle) throws ErrnoException {
        reapDestroyedVmPools();
        int[] ret = new int[1];
        PanthorHeapPool pool = vmGetHeapPool(vm, call.file().clientId(), false, ret);
        if (pool == null) {
            throw errno(ret[0]);
        }
        int r = pool.heapDestroy(handle & 0xffff);
        if (r != 0) {
            throw errno(r);
        }
    }

    /**
     * Postclose: the pools of every VM the file owns are destroyed (Panthor destroys them with
     * the file's VMs in {@code panthor_vm_pool_destroy()}), with those of VMs already destroyed.
     */
    public void fileClosed(UabiFile file) {
        poolsLock.lock();
        boolean any = !pools.isEmpty();
        poolsLock.unlock();
        if (!any) {
            return;
        }
        Map<Long, VmInfo> infos = vmInfos();
        boolean mmuAnswered = infos != null;
        int clientId = file.clientId();
        for (PanthorHeapPool pool : takePools(mmuAnswered ? infos : Map.of(), (pool, info) ->
                pool.clientId == clientId || (mmuAnswered && (info == null || info.handle() == 0)))) {
            pool.heapPoolDestroy();
        }
    }

    /**
     * {@code group_process_tiler_oom()}'s allocation: {@link PanthorHeapPool#heapGrow} in the
     * pool of {@code vm}. 0 with {@code newChunkGpuVa[0]} set, or a negative errno. Unused.
     */
    int heapGrow(VmRef vm, long heapGpuVa, int renderpassesInFlight, int pendingFragCount, long[] newChunkGpuVa) {
        int[] ret = new int[1];
        PanthorHeapPool pool = vmGetHeapPool(vm, -1, false, ret);
        if (pool == null) {
            return -Errno.EINVAL;
        }
        return pool.heapGrow(heapGpuVa, renderpassesInFlight, pendingFragCount, newChunkGpuVa);
    }

    /** {@code panthor_vm_heaps_sizes()} for one VM: chunk bytes plus the context BO, 0 if no pool. */
    long heapPoolSize(VmRef vm) {
        poolsLock.lock();
        PanthorHeapPool pool = pools.get(vm.key());
        poolsLock.unlock();
        return pool == null ? 0 : pool.heapPoolSize();
    }

    /** Device unplug: nothing; pools die with their files (postclose), as in Panthor. */
    public void unplug() {
    }

    // ------------------------------------------------------------------ state

    /** Every pool with its heaps (by id) and their chunk lists (newest first), by VM key. */
    public List<SchedState.HeapPoolState> exportState() {
        List<PanthorHeapPool> all;
        poolsLock.lock();
        try {
            all = new ArrayList<>(pools.values());
        } finally {
            poolsLock.unlock();
        }
        List<SchedState.HeapPoolState> out = new ArrayList<>();
        for (PanthorHeapPool pool : all) {
            pool.lock.readLock().lock();
            try {
                if (pool.vm == null) {
                    continue;
                }
                List<SchedState.HeapState> heaps = new ArrayList<>();
                for (int id = 0; id < PanthorHeapPool.MAX_HEAPS_PER_POOL; id++) {
                    PanthorHeapPool.Heap heap = pool.xa[id];
                    if (heap == null) {
                        continue;
                    }
                    List<KernelMapping> chunks = new ArrayList<>();
                    heap.lock.lock();
                    try {
                        for (PanthorHeapPool.Chunk chunk : heap.chunks) {
                            chunks.add(chunk.bo);
                        }
                    } finally {
                        heap.lock.unlock();
                    }
                    heaps.add(new SchedState.HeapState(id, heap.chunkSize, heap.maxChunks, heap.targetInFlight,
                            chunks));
                }
                out.add(new SchedState.HeapPoolState(pool.vm, pool.gpuContexts, heaps));
            } finally {
                pool.lock.readLock().unlock();
            }
        }
        return out;
    }

    /**
     * Adopts {@code states}: the context BOs and chunks stay where they are in GPU memory, the
     * pools' VM references (counted in the MMU's state) pass to this instance. The owner file of
     * each pool is learned from the MMU when first needed. All or nothing.
     *
     * @throws IllegalArgumentException for a state this code cannot hold (duplicate VM, heap id
     *         outside 0..127 or twice, a chunk count above {@code max_chunks}, no chunk, no
     *         context BO, or one too small); nothing is changed then
     */
    public void importState(List<SchedState.HeapPoolState> states) {
        Map<Long, PanthorHeapPool> adopted = new TreeMap<>();
        long bosize = PanthorHeapPool.align(PanthorHeapPool.MAX_HEAPS_PER_POOL * ctxStride, PanthorHeapPool.SZ_4K);
        for (SchedState.HeapPoolState s : states) {
            if (s.vm() == null || adopted.containsKey(s.vm().key())) {
                throw new IllegalArgumentException("heap pool: missing or duplicate VM " + s.vm());
            }
            if (s.gpuContexts() == null || s.gpuContexts().size() < bosize) {
                throw new IllegalArgumentException("heap pool of " + s.vm() + ": context BO missing or below "
                        + bosize + " bytes");
            }
            PanthorHeapPool pool = new PanthorHeapPool(subsystems, s.vm(), -1, ctxStride);
            pool.gpuContexts = s.gpuContexts();
            for (SchedState.HeapState h : s.heaps()) {
                if (h.index() < 0 || h.index() >= PanthorHeapPool.MAX_HEAPS_PER_POOL || pool.xa[h.index()] != null) {
                    throw new IllegalArgumentException("heap pool of " + s.vm() + ": bad or duplicate heap id "
                            + h.index());
                }
                if (h.chunks().isEmpty() || Integer.compareUnsigned(h.chunks().size(), h.maxChunks()) > 0) {
                    throw new IllegalArgumentException("heap " + h.index() + " of " + s.vm() + ": "
                            + h.chunks().size() + " chunks, max " + Integer.toUnsignedString(h.maxChunks()));
                }
                PanthorHeapPool.Heap heap = new PanthorHeapPool.Heap();
                heap.chunkSize = h.chunkSize();
                heap.maxChunks = h.maxChunks();
                heap.targetInFlight = h.targetInFlight();
                for (KernelMapping bo : h.chunks()) {
                    heap.chunks.addLast(new PanthorHeapPool.Chunk(bo));
                }
                heap.chunkCount = h.chunks().size();
                pool.xa[h.index()] = heap;
            }
            adopted.put(s.vm().key(), pool);
        }
        poolsLock.lock();
        try {
            pools.clear();
            pools.putAll(adopted);
        } finally {
            poolsLock.unlock();
        }
    }

    /** Forgets every pool without touching GPU memory or VM references (the next owner has them). */
    public void releaseState() {
        poolsLock.lock();
        try {
            pools.clear();
        } finally {
            poolsLock.unlock();
        }
    }
}
