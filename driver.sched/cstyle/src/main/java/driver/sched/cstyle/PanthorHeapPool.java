package driver.sched.cstyle;

import driver.core.kernel.KernelMapping;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmRef;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * DOC: panthor_heap.c, C style — heap pools, heaps and chunks.
 *
 * A tiler heap is a list of GPU memory chunks the tiler writes its polygon lists into, plus a
 * small <em>heap context</em> the firmware and the tiler use to track it. The driver only
 * allocates: it creates the chunks, links them through the {@code next} field of each chunk's
 * 64-byte header (a GPU VA with the low 12 bits replaced by {@code chunk_size >> 12}) and
 * zeroes the context; the GPU owns their contents afterwards.
 *
 * <p>Three C structs, three Java classes with package-private fields:
 * <ul>
 * <li>{@code struct panthor_heap_pool} (this class): one per VM, holding up to
 *     {@link #MAX_HEAPS_PER_POOL} heaps in an id table ({@code xa}, ids 0..127) and the
 *     {@code gpu_contexts} kernel BO with one context per id, {@link #ctxStride} bytes apart
 *     (32 bytes rounded up to the GPU cache line);
 * <li>{@code struct panthor_heap} ({@link Heap}): the chunk list (newest first), chunk size,
 *     maximum chunk count, target of render passes in flight, chunk count;
 * <li>{@code struct panthor_heap_chunk} ({@link Chunk}): one kernel BO of {@code chunk_size}
 *     bytes, mapped NOEXEC at a kernel auto-VA of the pool's VM.
 * </ul>
 * Kernel BOs come from the MMU through the mmu slot
 * ({@code subsystems.mmu().call(m -> m.kernelBoCreate(vm, size, NOEXEC, KERNEL_AUTO_VA))}).
 *
 * <p>Functions carry the C names in camelCase and return 0, an id, or a negative errno.
 * Locks, in the C's order: {@link #lock} ({@code pool->lock}, the {@code rw_semaphore}) →
 * {@link Heap#lock} ({@code heap->lock}). The MMU is called with at most the pool lock held
 * for reading or writing, never the other way round.
 *
 * <p>{@link #heapGrow} ({@code panthor_heap_grow}) and {@link #heapReturnChunk} exist but are
 * unused: the firmware model raises no CS_TILER_OOM (hw.model's Firmware DOC), so a heap never
 * grows past its initial chunks in this simulation.
 */
final class PanthorHeapPool {

    /**
     * Size of the GPU heap context: opaque to the driver, which only zeroes it; cache-line
     * aligned because CPU and GPU both access it.
     */
    static final int HEAP_CONTEXT_SIZE = 32;

    /** {@code sizeof(struct panthor_heap_chunk_header)}: {@code u64 next; u32 unknown[14]}. */
    static final int HEAP_CHUNK_HEADER_SIZE = 64;

    /** Offset of {@code panthor_heap_chunk_header::next}. */
    static final int HEAP_CHUNK_HEADER_NEXT = 0;

    static final int MAX_HEAPS_PER_POOL = 128;

    static final int SZ_4K = 4096;
    static final int SZ_128K = 128 * 1024;
    static final int SZ_8M = 8 * 1024 * 1024;

    /** {@code GENMASK_ULL(63, 12)}. */
    static final long GPU_VA_PAGE_MASK = ~0xfffL;

    static final int DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
    static final long PANTHOR_VM_KERNEL_AUTO_VA = Mmu.KERNEL_AUTO_VA;

    /** {@code struct panthor_heap_chunk}. */
    static final class Chunk {
        /** {@code chunk->bo}, mapped ({@code panthor_kernel_bo_vmap}). */
        final KernelMapping bo;

        Chunk(KernelMapping bo) {
            this.bo = bo;
        }
    }

    /** {@code struct panthor_heap}. */
    static final class Heap {
        /** {@code heap->chunks}: newest first ({@code list_add} puts at the head). */
        final LinkedList<Chunk> chunks = new LinkedList<>();
        /** {@code heap->lock}: insertion into {@link #chunks}. */
        final ReentrantLock lock = new ReentrantLock();
        int chunkSize;
        int maxChunks;
        int targetInFlight;
        int chunkCount;
    }

    /* pool->ptdev: the way to the MMU. */
    final DriverSubsystems subsystems;
    /** {@code pool->vm}; null once the pool is destroyed. The pool holds a VM reference. */
    VmRef vm;
    /** The owning file's client id (postclose frees the pool); -1 if not known yet (imported). */
    int clientId;
    /** {@code pool->lock}: protects {@link #xa} and {@link #vm}. */
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** {@code pool->xa}: heaps by id, 0..{@link #MAX_HEAPS_PER_POOL}-1. */
    final Heap[] xa = new Heap[MAX_HEAPS_PER_POOL];
    /** {@code pool->gpu_contexts}. */
    KernelMapping gpuContexts;
    /** {@code panthor_heap_ctx_stride()}. */
    final int ctxStride;

    PanthorHeapPool(DriverSubsystems subsystems, VmRef vm, int clientId, int ctxStride) {
        this.subsystems = subsystems;
        this.vm = vm;
        this.clientId = clientId;
        this.ctxStride = ctxStride;
    }

    /**
     * {@code panthor_heap_ctx_stride()}: {@code ALIGN(HEAP_CONTEXT_SIZE, cache line)}, the line
     * size being {@code 1 << L2_FEATURES.LOG2_LINE_SIZE}.
     */
    static int heapCtxStride(int l2Features) {
        int lineSize = 1 << (l2Features & 0xff);
        return align(HEAP_CONTEXT_SIZE, lineSize);
    }

    static int align(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** {@code panthor_get_heap_ctx_offset()}. */
    int getHeapCtxOffset(int id) {
        return ctxStride * id;
    }

    // ------------------------------------------------------------------ the MMU, C-style

    /** {@code panthor_kernel_bo_create()} + vmap: the mapping, or null with {@code ret[0]} = -errno. */
    KernelMapping kernelBoCreate(VmRef vm, long size, int[] ret) {
        try {
            ret[0] = 0;
            return subsystems.mmu().call(m -> m.kernelBoCreate(vm, size, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
                    PANTHOR_VM_KERNEL_AUTO_VA));
        } catch (ErrnoException e) {
            ret[0] = -e.errno();
        } catch (SubsystemUnavailableException e) {
            ret[0] = -Errno.ENODEV;
        }
        return null;
    }

    /**
     * {@code panthor_kernel_bo_destroy()}. An error means the BO is gone already: a VM_DESTROY
     * unmapped and freed every kernel BO of the VM (as {@code panthor_vm_destroy()} destroys the
     * heap pool), or the MMU is absent; either way there is nothing left to free here.
     */
    void kernelBoDestroy(VmRef vm, KernelMapping bo) {
        try {
            subsystems.mmu().run(m -> m.kernelBoDestroy(vm, bo.gpuVa()));
        } catch (ErrnoException | SubsystemUnavailableException e) {
            /* already released with the VM */
        }
    }

    /** {@code panthor_vm_get()}: 0, or -EINVAL if the VM is gone. */
    int vmGet(VmRef vm) {
        try {
            subsystems.mmu().run(m -> m.vmGet(vm));
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        } catch (SubsystemUnavailableException e) {
            return -Errno.ENODEV;
        }
    }

    /** {@code panthor_vm_put()}. */
    void vmPut(VmRef vm) {
        try {
            subsystems.mmu().run(m -> m.vmPut(vm));
        } catch (ErrnoException | SubsystemUnavailableException e) {
            /* the reference went with the VM */
        }
    }

    // ------------------------------------------------------------------ chunks

    /** {@code panthor_free_heap_chunk()}. */
    void freeHeapChunk(VmRef vm, Heap heap, Chunk chunk) {
        heap.lock.lock();
        try {
            heap.chunks.remove(chunk);
            heap.chunkCount--;
        } finally {
            heap.lock.unlock();
        }
        kernelBoDestroy(vm, chunk.bo);
    }

    /**
     * {@code panthor_alloc_heap_chunk()}: a zeroed chunk header; an initial chunk links to the
     * chunk allocated before it ({@code next} = its VA, low 12 bits = {@code chunk_size >> 12}),
     * so the list handed to the GPU runs newest to oldest and ends with {@code next} = 0.
     */
    int allocHeapChunk(VmRef vm, Heap heap, boolean initialChunk) {
        int[] ret = new int[1];
        KernelMapping bo = kernelBoCreate(vm, Integer.toUnsignedLong(heap.chunkSize), ret);
        if (bo == null) {
            return ret[0];
        }
        Chunk chunk = new Chunk(bo);

        for (int off = 0; off < HEAP_CHUNK_HEADER_SIZE; off += 8) {
            bo.write64(off, 0);
        }
        if (initialChunk && !heap.chunks.isEmpty()) {
            long prevGpuva = heap.chunks.getFirst().bo.gpuVa();
            bo.write64(HEAP_CHUNK_HEADER_NEXT,
                    (prevGpuva & GPU_VA_PAGE_MASK) | (Integer.toUnsignedLong(heap.chunkSize) >>> 12));
        }

        heap.lock.lock();
        try {
            heap.chunks.addFirst(chunk);
            heap.chunkCount++;
        } finally {
            heap.lock.unlock();
        }
        return 0;
    }

    /** {@code panthor_free_heap_chunks()}. */
    void freeHeapChunks(VmRef vm, Heap heap) {
        for (Chunk chunk : new ArrayList<>(heap.chunks)) {
            freeHeapChunk(vm, heap, chunk);
        }
    }

    /** {@code panthor_alloc_heap_chunks()}. */
    int allocHeapChunks(VmRef vm, Heap heap, int chunkCount) {
        for (int i = 0; Integer.compareUnsigned(i, chunkCount) < 0; i++) {
            int ret = allocHeapChunk(vm, heap, true);
            if (ret != 0) {
                return ret;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ heaps

    /** {@code panthor_heap_destroy_locked()}: pool lock held for writing. */
    int heapDestroyLocked(int handle) {
        if (handle < 0 || handle >= MAX_HEAPS_PER_POOL || xa[handle] == null) {
            return -Errno.EINVAL;
        }
        Heap heap = xa[handle];
        xa[handle] = null;
        freeHeapChunks(vm, heap);
        return 0;
    }

    /** {@code panthor_heap_destroy()}: -EINVAL for an unknown handle. */
    int heapDestroy(int handle) {
        lock.writeLock().lock();
        try {
            return heapDestroyLocked(handle);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * {@code panthor_heap_create()}: checks the arguments (EINVAL: no initial chunk, more initial
     * chunks than {@code max_chunks}, a chunk size not page-aligned or outside [128 KiB, 8 MiB];
     * {@code target_in_flight} is not checked), allocates the initial chunks, then takes the
     * lowest free id (EBUSY when all 128 are used) and zeroes its context.
     *
     * @param out {@code out[0]} = heap context GPU VA, {@code out[1]} = first chunk GPU VA
     * @return the heap id (0..127), or a negative errno
     */
    int heapCreate(int initialChunkCount, int chunkSize, int maxChunks, int targetInFlight, long[] out) {
        if (initialChunkCount == 0) {
            return -Errno.EINVAL;
        }
        if (Integer.compareUnsigned(initialChunkCount, maxChunks) > 0) {
            return -Errno.EINVAL;
        }
        if ((chunkSize & (SZ_4K - 1)) != 0 || Integer.compareUnsigned(chunkSize, SZ_128K) < 0
                || Integer.compareUnsigned(chunkSize, SZ_8M) > 0) {
            return -Errno.EINVAL;
        }

        VmRef vm;
        lock.readLock().lock();
        try {
            vm = this.vm;
        } finally {
            lock.readLock().unlock();
        }
        /* The pool has been destroyed, we can't create a new heap. */
        if (vm == null || vmGet(vm) != 0) {
            return -Errno.EINVAL;
        }

        Heap heap = new Heap();
        heap.chunkSize = chunkSize;
        heap.maxChunks = maxChunks;
        heap.targetInFlight = targetInFlight;

        int ret = allocHeapChunks(vm, heap, initialChunkCount);
        if (ret != 0) {
            freeHeapChunks(vm, heap);
            vmPut(vm);
            return ret;
        }
        long firstChunkGpuVa = heap.chunks.getFirst().bo.gpuVa();

        int id = -1;
        lock.writeLock().lock();
        try {
            if (this.vm == null) {
                ret = -Errno.EINVAL;
            } else {
                /* xa_alloc(XA_LIMIT(0, MAX_HEAPS_PER_POOL - 1)): lowest free id, -EBUSY if none */
                for (int i = 0; i < MAX_HEAPS_PER_POOL; i++) {
                    if (xa[i] == null) {
                        id = i;
                        break;
                    }
                }
                if (id < 0) {
                    ret = -Errno.EBUSY;
                } else {
                    xa[id] = heap;
                    int offset = getHeapCtxOffset(id);
                    for (int off = 0; off < ctxStride; off += 8) {
                        gpuContexts.write64(offset + off, 0);
                    }
                    out[0] = gpuContexts.gpuVa() + offset;
                    out[1] = firstChunkGpuVa;
                }
            }
        } finally {
            lock.writeLock().unlock();
        }

        if (ret != 0) {
            freeHeapChunks(vm, heap);
            vmPut(vm);
            return ret;
        }
        vmPut(vm);
        return id;
    }

    /** The heap id of a heap context VA, or -1 ({@code offset > U32_MAX || heap_id >= MAX}). */
    int heapIdFromCtxVa(long heapGpuVa) {
        long offset = heapGpuVa - gpuContexts.gpuVa();
        if (Long.compareUnsigned(offset, 0xffff_ffffL) > 0) {
            return -1;
        }
        long heapId = offset / ctxStride;
        return heapId >= MAX_HEAPS_PER_POOL ? -1 : (int) heapId;
    }

    /**
     * {@code panthor_heap_return_chunk()}: a chunk from {@link #heapGrow} that could not be
     * handed to the firmware goes back. 0, or -EINVAL (unknown heap or chunk). Unused.
     */
    int heapReturnChunk(long heapGpuVa, long chunkGpuVa) {
        int heapId = heapIdFromCtxVa(heapGpuVa);
        if (heapId < 0) {
            return -Errno.EINVAL;
        }
        lock.readLock().lock();
        try {
            Heap heap = xa[heapId];
            if (heap == null) {
                return -Errno.EINVAL;
            }
            long va = chunkGpuVa & GPU_VA_PAGE_MASK;
            Chunk removed = null;
            heap.lock.lock();
            try {
                for (Chunk chunk : heap.chunks) {
                    if (chunk.bo.gpuVa() == va) {
                        removed = chunk;
                        heap.chunks.remove(chunk);
                        heap.chunkCount--;
                        break;
                    }
                }
            } finally {
                heap.lock.unlock();
            }
            if (removed == null) {
                return -Errno.EINVAL;
            }
            kernelBoDestroy(vm, removed.bo);
            return 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * {@code panthor_heap_grow()}: one more chunk for the heap whose context is at
     * {@code heapGpuVa}, on a CS_TILER_OOM. Returns 0 with {@code newChunkGpuVa[0]} = the chunk's
     * VA | {@code chunk_size >> 12}; -ENOMEM when more render passes than {@code target_in_flight}
     * are in flight, the heap has {@code max_chunks} chunks, or the allocation failed (the
     * firmware then waits for fragment work or calls the user's exception handler); -EINVAL for an
     * unknown heap. Unused: the firmware model raises no tiler OOM.
     */
    int heapGrow(long heapGpuVa, int renderpassesInFlight, int pendingFragCount, long[] newChunkGpuVa) {
        int heapId = heapIdFromCtxVa(heapGpuVa);
        if (heapId < 0) {
            return -Errno.EINVAL;
        }
        lock.readLock().lock();
        try {
            Heap heap = xa[heapId];
            if (heap == null) {
                return -Errno.EINVAL;
            }
            if (Integer.compareUnsigned(renderpassesInFlight, heap.targetInFlight) > 0
                    || Integer.compareUnsigned(heap.chunkCount, heap.maxChunks) >= 0) {
                return -Errno.ENOMEM;
            }
            int ret = allocHeapChunk(vm, heap, false);
            if (ret != 0) {
                return ret;
            }
            Chunk chunk = heap.chunks.getFirst();
            newChunkGpuVa[0] = (chunk.bo.gpuVa() & GPU_VA_PAGE_MASK)
                    | (Integer.toUnsignedLong(heap.chunkSize) >>> 12);
            return 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ the pool

    /**
     * {@code panthor_heap_pool_create()}: the pool of {@code vm} with its context BO
     * ({@code ALIGN(128 * stride, 4096)} bytes), holding a reference to the VM. Returns the pool,
     * or null with {@code ret[0]} = -errno.
     */
    static PanthorHeapPool heapPoolCreate(DriverSubsystems subsystems, VmRef vm, int clientId, int ctxStride,
                                          int[] ret) {
        PanthorHeapPool pool = new PanthorHeapPool(subsystems, vm, clientId, ctxStride);
        long bosize = align(MAX_HEAPS_PER_POOL * ctxStride, SZ_4K);

        ret[0] = pool.vmGet(vm);
        if (ret[0] != 0) {
            ret[0] = -Errno.EINVAL;
            return null;
        }
        pool.gpuContexts = pool.kernelBoCreate(vm, bosize, ret);
        if (pool.gpuContexts == null) {
            pool.vmPut(vm);
            return null;
        }
        return pool;
    }

    /**
     * {@code panthor_heap_pool_destroy()}: destroys every heap and the context BO and drops the
     * VM reference; the pool refuses new heaps afterwards.
     */
    void heapPoolDestroy() {
        VmRef oldVm;
        lock.writeLock().lock();
        try {
            oldVm = vm;
            if (oldVm == null) {
                return;
            }
            for (int i = 0; i < MAX_HEAPS_PER_POOL; i++) {
                if (xa[i] != null) {
                    heapDestroyLocked(i);
                }
            }
            if (gpuContexts != null) {
                kernelBoDestroy(oldVm, gpuContexts);
                gpuContexts = null;
            }
            /* Reflects the fact the pool has been destroyed. */
            vm = null;
        } finally {
            lock.writeLock().unlock();
        }
        vmPut(oldVm);
    }

    /** {@code panthor_heap_pool_size()}: chunk bytes of every heap plus the context BO. */
    long heapPoolSize() {
        long size = 0;
        lock.readLock().lock();
        try {
            for (Heap heap : xa) {
                if (heap != null) {
                    size += Integer.toUnsignedLong(heap.chunkSize) * heap.chunkCount;
                }
            }
            if (gpuContexts != null) {
                size += gpuContexts.size();
            }
        } finally {
            lock.readLock().unlock();
        }
        return size;
    }

    int heapCount() {
        int n = 0;
        for (Heap heap : xa) {
            if (heap != null) {
                n++;
            }
        }
        return n;
    }
}
