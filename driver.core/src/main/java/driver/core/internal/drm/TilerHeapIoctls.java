package driver.core.internal.drm;

import driver.core.uapi.DrmPanthorTilerHeapCreate;

/** The tiler-heap side of TILER_HEAP_CREATE / DESTROY; the VM is already resolved (EINVAL otherwise). */
public interface TilerHeapIoctls {

    /** Returns args with {@code handle} ({@code vm_id << 16 | heap index}) and the two GPU VAs set. */
    DrmPanthorTilerHeapCreate heapCreate(DrmCall call, Object vm, DrmPanthorTilerHeapCreate args);

    /** Destroys heap {@code handle & 0xffff} of {@code vm}. */
    void heapDestroy(DrmCall call, Object vm, int handle);
}
