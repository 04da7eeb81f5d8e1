package driver.sched.cstyle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.KernelMapping;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.sched.SchedState;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import panthor.testkit.mmu.StubUabiCall;
import panthor.testkit.mmu.StubUabiFile;

class PanthorHeapTest {

    static final int SZ_128K = 128 * 1024;
    static final int SZ_8M = 8 * 1024 * 1024;

    @Test
    void createArgumentsAreCheckedAsPanthorHeapCreateDoes() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            VmRef vm = f.vm(f.file, vmId);
            /* the first call creates the pool (context BO) before checking, as the C does */
            assertEquals(Errno.EINVAL, HeapFixture.errnoOf(() -> f.create(vmId, 0, SZ_128K, 4)));
            long afterPool = f.usedPages();
            int[][] bad = {
                    {0, SZ_128K, 4},                 // no initial chunk
                    {5, SZ_128K, 4},                 // more initial chunks than max_chunks
                    {-1, SZ_128K, 4},                // u32 0xffffffff > 4
                    {1, SZ_128K + 1, 4},             // not page-aligned
                    {1, SZ_128K - 4096, 4},          // below 128 KiB
                    {1, SZ_8M + 4096, 4},            // above 8 MiB
                    {1, 0x8000_0000, 4},             // u32 2 GiB, above 8 MiB
                    {1, 0, 4},
            };
            for (int[] b : bad) {
                assertEquals(Errno.EINVAL, HeapFixture.errnoOf(() -> f.create(vmId, b[0], b[1], b[2])),
                        "initial=" + b[0] + " chunk_size=" + b[1] + " max=" + b[2]);
            }
            assertEquals(afterPool, f.usedPages(), "a rejected create allocates no chunk");
            /* the pool exists now: destroying an unknown heap is EINVAL, not ENOENT */
            assertEquals(Errno.EINVAL, HeapFixture.errnoOf(() -> f.heaps.heapDestroy(f.call, vm, vmId << 16)));

            /* accepted: both bounds, a page-aligned size that is no power of two, target 0 */
            assertEquals(vmId << 16, f.create(vmId, 1, SZ_128K, 1).handle());
            assertEquals(vmId << 16 | 1, f.create(vmId, 1, SZ_8M, 1).handle());
            assertEquals(vmId << 16 | 2, f.create(vmId, 2, 192 * 1024, 2).handle());
            assertEquals(vmId << 16 | 3, f.heaps.heapCreate(f.call, vm,
                    HeapFixture.args(vmId, 1, SZ_128K, 1, 0)).handle());
        }
    }

    @Test
    void destroyIsEnoentWithoutPoolAndEinvalForUnknownHeaps() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            VmRef vm = f.vm(f.file, vmId);
            assertEquals(Errno.ENOENT, HeapFixture.errnoOf(() -> f.heaps.heapDestroy(f.call, vm, vmId << 16)));

            int handle = f.create(vmId, 1, SZ_128K, 1).handle();
            assertEquals(Errno.EINVAL, HeapFixture.errnoOf(() -> f.heaps.heapDestroy(f.call, vm, handle + 1)));
            assertEquals(Errno.EINVAL, HeapFixture.errnoOf(() -> f.heaps.heapDestroy(f.call, vm, vmId << 16 | 200)));
            f.heaps.heapDestroy(f.call, vm, handle);
            assertEquals(Errno.EINVAL, HeapFixture.errnoOf(() -> f.heaps.heapDestroy(f.call, vm, handle)));
            /* the pool outlives its last heap (it dies with the VM) */
            assertEquals(1, f.heaps.pools.size());
        }
    }

    @Test
    void chunkListAndContextAreInGpuMemoryAsTheCWritesThem() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            VmRef vm = f.vm(f.file, vmId);
            VmInfo info = f.vmInfo(vm);
            int chunkSize = 256 * 1024;
            DrmPanthorTilerHeapCreate out = f.create(vmId, 3, chunkSize, 8);

            /* walk the list from the first chunk the way the GPU does: next = VA | size >> 12 */
            List<Long> chunks = new ArrayList<>();
            long va = out.firstHeapChunkGpuVa();
            while (va != 0) {
                assertEquals(0, va & 0xfff);
                assertTrue(va >= info.kernelVaStart(), "chunk in the kernel VA range");
                assertTrue(f.mapping(vm, va).contains("xn"), "chunks are mapped NOEXEC: " + f.mapping(vm, va));
                chunks.add(va);
                for (int off = 8; off < 64; off += 8) {
                    assertEquals(0, f.gpuRead64(vm, va + off), "header MBZ at +" + off);
                }
                long next = f.gpuRead64(vm, va);
                if (next != 0) {
                    assertEquals(chunkSize >>> 12, next & 0xfff, "low bits carry chunk_size >> 12");
                    next &= ~0xfffL;
                }
                va = next;
                assertTrue(chunks.size() <= 3);
            }
            assertEquals(3, chunks.size());
            assertEquals(3, chunks.stream().distinct().count());

            /* the state lists the same chunks, newest (the first one handed out) first */
            SchedState.HeapPoolState pool = f.heaps.exportState().get(0);
            SchedState.HeapState heap = pool.heaps().get(0);
            assertEquals(chunks, heap.chunks().stream().map(KernelMapping::gpuVa).toList());
            assertEquals(chunkSize, heap.chunkSize());
            assertEquals(8, heap.maxChunks());

            /* the context: slot 0 of the pool's context BO, 64-byte stride on a G610 */
            assertEquals(pool.gpuContexts().gpuVa(), out.tilerHeapCtxGpuVa());
            DrmPanthorTilerHeapCreate second = f.create(vmId, 1, SZ_128K, 1);
            assertEquals(pool.gpuContexts().gpuVa() + 64, second.tilerHeapCtxGpuVa());
            assertEquals(8192, pool.gpuContexts().size(), "ALIGN(128 * 64, 4096)");
        }
    }

    @Test
    void aReusedHeapIdGetsAZeroedContext() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            VmRef vm = f.vm(f.file, vmId);
            DrmPanthorTilerHeapCreate first = f.create(vmId, 1, SZ_128K, 1);
            long ctxPa = f.translate(vm, first.tilerHeapCtxGpuVa());
            for (int off = 0; off < 64; off += 8) {
                f.h.memory().write64(ctxPa + off, 0xdeadbeefL + off);   // the GPU used it
            }
            f.heaps.heapDestroy(f.call, vm, first.handle());
            DrmPanthorTilerHeapCreate again = f.create(vmId, 1, SZ_128K, 1);
            assertEquals(first.handle(), again.handle(), "lowest free id again");
            assertEquals(first.tilerHeapCtxGpuVa(), again.tilerHeapCtxGpuVa());
            for (int off = 0; off < 64; off += 8) {
                assertEquals(0, f.h.memory().read64(ctxPa + off));
            }
        }
    }

    @Test
    void destroyFreesTheChunks() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            VmRef vm = f.vm(f.file, vmId);
            f.create(vmId, 1, SZ_128K, 1);                       // pool and page tables exist now
            long before = f.usedPages();
            DrmPanthorTilerHeapCreate h = f.create(vmId, 4, SZ_128K, 4);
            assertEquals(before + 4 * 32, f.usedPages());
            f.heaps.heapDestroy(f.call, vm, h.handle());
            assertEquals(before, f.usedPages());
            assertEquals(1, f.heaps.exportState().get(0).heaps().size());
        }
    }

    @Test
    void the129thHeapOfAVmIsEbusy() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            for (int i = 0; i < PanthorHeapPool.MAX_HEAPS_PER_POOL; i++) {
                assertEquals(vmId << 16 | i, f.create(vmId, 1, SZ_128K, 1).handle());
            }
            long used = f.usedPages();
            assertEquals(Errno.EBUSY, HeapFixture.errnoOf(() -> f.create(vmId, 1, SZ_128K, 1)));
            assertEquals(used, f.usedPages(), "the chunk allocated before xa_alloc failed is freed");
            /* another VM has a pool of its own */
            int other = f.vmCreate(f.file);
            assertEquals(other << 16, f.create(other, 1, SZ_128K, 1).handle());
        }
    }

    @Test
    void outOfMemoryUnwindsTheChunksAlreadyAllocated() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            VmRef vm = f.vm(f.file, vmId);
            f.create(vmId, 1, SZ_8M, 1);
            long used = f.usedPages();
            int tables = f.vmInfo(vm).pageTablePages();
            long free = f.h.pageAllocator().stats().freePages();
            int tooMany = (int) (free / 2048) + 1;
            assertEquals(Errno.ENOMEM, HeapFixture.errnoOf(() -> f.create(vmId, tooMany, SZ_8M, tooMany)));
            assertEquals(f.vmInfo(vm).pageTablePages() - tables, f.usedPages() - used,
                    "every chunk freed; only the page tables the MMU keeps remain");
            assertEquals(1, f.heaps.exportState().get(0).heaps().size());
            assertEquals(vmId << 16 | 1, f.create(vmId, 1, SZ_8M, 1).handle());
        }
    }

    @Test
    void fileCloseFreesEveryPoolAndTheVmReferences() {
        try (HeapFixture f = new HeapFixture()) {
            StubUabiFile other = HeapFixture.newFile(8);
            long empty = f.usedPages();
            int a = f.vmCreate(f.file);
            int b = f.vmCreate(f.file);
            int c = f.vmCreate(other);
            VmRef vmA = f.vm(f.file, a);
            f.create(a, 2, SZ_128K, 2);
            f.create(b, 1, SZ_8M, 3);
            f.heaps.heapCreate(new StubUabiCall(other), f.vm(other, c),
                    HeapFixture.args(c, 1, SZ_128K, 1, 1));
            assertEquals(2, f.vmInfo(vmA).refs(), "file pool + heap pool");

            f.heaps.fileClosed(f.file);
            assertEquals(1, f.heaps.pools.size(), "the other file's pool stays");
            assertEquals(1, f.vmInfo(vmA).refs());
            f.mmu(m -> {
                m.fileClosed(f.file);
                return null;
            });
            f.heaps.fileClosed(other);
            f.mmu(m -> {
                m.fileClosed(other);
                return null;
            });
            assertEquals(0, f.heaps.pools.size());
            assertEquals(empty, f.usedPages(), "every page back to the allocator");
        }
    }

    @Test
    void aDestroyedVmsPoolIsReapedAtTheNextHeapCall() {
        try (HeapFixture f = new HeapFixture()) {
            long empty = f.usedPages();
            int a = f.vmCreate(f.file);
            VmRef vmA = f.vm(f.file, a);
            f.create(a, 2, SZ_128K, 2);
            f.mmu(m -> {
                m.vmDestroy(f.call, a);
                return null;
            });
            VmInfo husk = f.vmInfo(vmA);
            assertEquals(0, husk.handle(), "destroyed, still referenced by the pool");
            assertEquals(1, husk.refs());

            int b = f.vmCreate(f.file);
            f.create(b, 1, SZ_128K, 1);
            assertNull(f.vmInfo(vmA), "the pool dropped the destroyed VM");
            assertEquals(1, f.heaps.pools.size());
            f.heaps.fileClosed(f.file);
            f.mmu(m -> {
                m.fileClosed(f.file);
                return null;
            });
            assertEquals(empty, f.usedPages());
        }
    }

    @Test
    void exportImportRoundTripHandsOverEverything() {
        try (HeapFixture f = new HeapFixture()) {
            long empty = f.usedPages();
            int a = f.vmCreate(f.file);
            int b = f.vmCreate(f.file);
            VmRef vmA = f.vm(f.file, a);
            f.create(a, 2, SZ_128K, 4);
            DrmPanthorTilerHeapCreate second = f.create(a, 1, 512 * 1024, 2);
            f.create(b, 3, SZ_128K, 3);
            List<SchedState.HeapPoolState> state = f.heaps.exportState();
            assertEquals(2, state.size());
            assertEquals(state, f.heaps.exportState(), "export changes nothing");

            PanthorHeap next = new PanthorHeap(f.h.subsystems(), f.h.gpuInfo().l2Features());
            next.importState(state);
            f.heaps.releaseState();
            assertEquals(state, next.exportState());
            assertEquals(List.of(), f.heaps.exportState());

            /* the next owner continues: ids, errnos and ownership carry over */
            assertEquals(a << 16 | 2, next.heapCreate(f.call, vmA, HeapFixture.args(a, 1, SZ_128K, 1, 1)).handle(),
                    "ids 0 and 1 are taken");
            next.heapDestroy(f.call, vmA, second.handle());
            assertEquals(Errno.EINVAL, HeapFixture.errnoOf(() -> next.heapDestroy(f.call, vmA, second.handle())));
            next.fileClosed(f.file);
            f.mmu(m -> {
                m.fileClosed(f.file);
                return null;
            });
            assertEquals(empty, f.usedPages());
        }
    }

    @Test
    void importRefusesStatesItCannotHold() {
        try (HeapFixture f = new HeapFixture()) {
            int a = f.vmCreate(f.file);
            f.create(a, 1, SZ_128K, 1);
            SchedState.HeapPoolState pool = f.heaps.exportState().get(0);
            PanthorHeap next = new PanthorHeap(f.h.subsystems());
            SchedState.HeapState h = pool.heaps().get(0);
            SchedState.HeapState badId = new SchedState.HeapState(128, h.chunkSize(), h.maxChunks(),
                    h.targetInFlight(), h.chunks());
            SchedState.HeapState tooMany = new SchedState.HeapState(0, h.chunkSize(), 0, h.targetInFlight(),
                    h.chunks());
            assertThrows(IllegalArgumentException.class, () -> next.importState(List.of(pool, pool)));
            assertThrows(IllegalArgumentException.class, () -> next.importState(
                    List.of(new SchedState.HeapPoolState(pool.vm(), pool.gpuContexts(), List.of(badId)))));
            assertThrows(IllegalArgumentException.class, () -> next.importState(
                    List.of(new SchedState.HeapPoolState(pool.vm(), pool.gpuContexts(), List.of(tooMany)))));
            assertEquals(List.of(), next.exportState(), "nothing adopted");
        }
    }

    @Test
    void growAddsAnUnlinkedChunkUntilTheLimits() {
        try (HeapFixture f = new HeapFixture()) {
            int vmId = f.vmCreate(f.file);
            VmRef vm = f.vm(f.file, vmId);
            DrmPanthorTilerHeapCreate h = HeapFixture.args(vmId, 1, SZ_128K, 2, 3);
            DrmPanthorTilerHeapCreate out = f.heaps.heapCreate(f.call, vm, h);
            long[] chunk = new long[1];
            assertEquals(-Errno.ENOMEM, f.heaps.heapGrow(vm, out.tilerHeapCtxGpuVa(), 4, 0, chunk),
                    "more render passes in flight than the target");
            assertEquals(0, f.heaps.heapGrow(vm, out.tilerHeapCtxGpuVa(), 3, 0, chunk));
            assertEquals(SZ_128K >>> 12, chunk[0] & 0xfff);
            long va = chunk[0] & ~0xfffL;
            assertNotEquals(out.firstHeapChunkGpuVa(), va);
            assertEquals(0, f.gpuRead64(vm, va), "a grown chunk is not linked by the driver");
            assertEquals(-Errno.ENOMEM, f.heaps.heapGrow(vm, out.tilerHeapCtxGpuVa(), 0, 0, chunk),
                    "max_chunks reached");
            assertEquals(-Errno.EINVAL, f.heaps.heapGrow(vm, out.tilerHeapCtxGpuVa() + 64, 0, 0, chunk),
                    "no heap with that context");
            assertEquals(SZ_128K * 2L + 8192, f.heaps.heapPoolSize(vm));
            PanthorHeapPool pool = f.heaps.pools.values().iterator().next();
            assertEquals(0, pool.heapReturnChunk(out.tilerHeapCtxGpuVa(), va | 0x20));
            assertEquals(-Errno.EINVAL, pool.heapReturnChunk(out.tilerHeapCtxGpuVa(), va));
            assertEquals(1, f.heaps.exportState().get(0).heaps().get(0).chunks().size());
        }
    }
}
