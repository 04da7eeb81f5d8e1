package conformance.internal.cases;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorTilerHeapDestroy;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import java.util.List;

/** TILER_HEAP_CREATE/DESTROY: the handle encoding, the GPU addresses returned, every validation. */
public final class HeapCases {

    private static final int KIB = 1024;

    private HeapCases() {
    }

    static DrmPanthorTilerHeapCreate heap(int vm, int initial, int chunkSize, int max) {
        return new DrmPanthorTilerHeapCreate(vm, initial, chunkSize, max, 4, 0, 0, 0);
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_heap@create-destroy", ctx -> {
            Client c = ctx.open("heap");
            int vm = c.vm();
            DrmPanthorTilerHeapCreate h = c.drm().tilerHeapCreate(heap(vm, 2, 256 * KIB, 8));
            ctx.checkEq(vm, h.handle() >>> 16, "VM id in the heap handle (handle >> 16)");
            ctx.check(h.tilerHeapCtxGpuVa() != 0, "heap context GPU VA 0");
            ctx.check(h.firstHeapChunkGpuVa() != 0, "first chunk GPU VA 0");
            ctx.check(h.firstHeapChunkGpuVa() % 4096 == 0, "first chunk at 0x%x not page aligned", h.firstHeapChunkGpuVa());
            DrmPanthorTilerHeapCreate h2 = c.drm().tilerHeapCreate(heap(vm, 1, 128 * KIB, 1));
            ctx.check(h2.handle() != h.handle(), "two heaps share handle 0x%x", h.handle());
            ctx.check(h2.tilerHeapCtxGpuVa() != h.tilerHeapCtxGpuVa(), "two heaps share their context");
            c.drm().tilerHeapDestroy(h.handle());
            c.drm().tilerHeapDestroy(h2.handle());
            ctx.expectErrno(Errno.EINVAL, "second TILER_HEAP_DESTROY", () -> c.drm().tilerHeapDestroy(h.handle()));
        }));
        out.add(new Case("panthor_heap@create-chunk-count", ctx -> {
            Client c = ctx.open("heapcnt");
            int vm = c.vm();
            ctx.expectErrno(Errno.EINVAL, "initial_chunk_count 0", () -> c.drm().tilerHeapCreate(heap(vm, 0, 256 * KIB, 4)));
            ctx.expectErrno(Errno.EINVAL, "max_chunks below initial_chunk_count",
                    () -> c.drm().tilerHeapCreate(heap(vm, 4, 256 * KIB, 2)));
        }));
        out.add(new Case("panthor_heap@create-chunk-size", ctx -> {
            Client c = ctx.open("heapsize");
            int vm = c.vm();
            ctx.expectErrno(Errno.EINVAL, "chunk_size 64 KiB", () -> c.drm().tilerHeapCreate(heap(vm, 1, 64 * KIB, 4)));
            ctx.expectErrno(Errno.EINVAL, "chunk_size 16 MiB", () -> c.drm().tilerHeapCreate(heap(vm, 1, 16 * KIB * KIB, 4)));
            ctx.expectErrno(Errno.EINVAL, "chunk_size not page aligned",
                    () -> c.drm().tilerHeapCreate(heap(vm, 1, 128 * KIB + 512, 4)));
            c.drm().tilerHeapCreate(heap(vm, 1, 8 * KIB * KIB, 1));
        }));
        out.add(new Case("panthor_heap@create-unknown-vm", ctx -> {
            Client c = ctx.open("heapvm");
            ctx.expectErrno(Errno.EINVAL, "heap on VM 3 of none", () -> c.drm().tilerHeapCreate(heap(3, 1, 256 * KIB, 4)));
        }));
        out.add(new Case("panthor_heap@destroy-unknown", ctx -> {
            Client c = ctx.open("heapdunk");
            int vm = c.vm();
            int heapless = c.vm();
            DrmPanthorTilerHeapCreate h = c.drm().tilerHeapCreate(heap(vm, 1, 128 * KIB, 2));
            ctx.expectErrno(Errno.EINVAL, "destroy of an unknown heap index of a VM with heaps",
                    () -> c.drm().tilerHeapDestroy((vm << 16) | ((h.handle() + 5) & 0xffff)));
            // panthor_vm_get_heap_pool(vm, false) is ERR_PTR(-ENOENT) for a VM that never had a heap.
            ctx.expectErrno(Errno.ENOENT, "destroy of a heap of a VM without a heap pool",
                    () -> c.drm().tilerHeapDestroy(heapless << 16));
            ctx.expectErrno(Errno.EINVAL, "destroy of a heap of VM 9", () -> c.drm().tilerHeapDestroy(9 << 16));
            ctx.expectResult(Errno.EINVAL, "TILER_HEAP_DESTROY with pad 1", c.raw(
                    PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, new DrmPanthorTilerHeapDestroy(h.handle(), 1).toBytes(),
                    null));
            c.drm().tilerHeapDestroy(h.handle());
        }));
        out.add(new Case("panthor_heap@vm-destroy-releases-heaps", ctx -> {
            Client c = ctx.open("heapvmd");
            int vm = c.vm();
            DrmPanthorTilerHeapCreate h = c.drm().tilerHeapCreate(heap(vm, 2, 128 * KIB, 4));
            c.drm().vmDestroy(vm);
            ctx.expectErrno(Errno.EINVAL, "destroy of a heap whose VM is gone", () -> c.drm().tilerHeapDestroy(h.handle()));
        }));
    }
}
