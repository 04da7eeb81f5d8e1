package driver.core.uapi;

/**
 * {@code struct drm_panthor_tiler_heap_create} of {@code panthor_drm.h}: 40 bytes, little-endian, LP64 layout.
 *
 * <p>DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE argument.
 *
 * <pre>
 *   0x00  __u32                          vm_id
 *   0x04  __u32                          initial_chunk_count
 *   0x08  __u32                          chunk_size
 *   0x0c  __u32                          max_chunks
 *   0x10  __u32                          target_in_flight
 *   0x14  __u32                          handle
 *   0x18  __u64                          tiler_heap_ctx_gpu_va
 *   0x20  __u64                          first_heap_chunk_gpu_va
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorTilerHeapCreate(int vmId, int initialChunkCount, int chunkSize, int maxChunks, int targetInFlight, int handle, long tilerHeapCtxGpuVa, long firstHeapChunkGpuVa) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_tiler_heap_create)}. */
    public static final int SIZE = 40;

    public static final int OFFSET_VM_ID = 0;
    public static final int OFFSET_INITIAL_CHUNK_COUNT = 4;
    public static final int OFFSET_CHUNK_SIZE = 8;
    public static final int OFFSET_MAX_CHUNKS = 12;
    public static final int OFFSET_TARGET_IN_FLIGHT = 16;
    public static final int OFFSET_HANDLE = 20;
    public static final int OFFSET_TILER_HEAP_CTX_GPU_VA = 24;
    public static final int OFFSET_FIRST_HEAP_CHUNK_GPU_VA = 32;

    /** All-zero value. */
    public static final DrmPanthorTilerHeapCreate ZERO = new DrmPanthorTilerHeapCreate(0, 0, 0, 0, 0, 0, 0L, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorTilerHeapCreate decode(byte[] b, int o) {
        return new DrmPanthorTilerHeapCreate(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12),
                Le.u32(b, o + 16),
                Le.u32(b, o + 20),
                Le.u64(b, o + 24),
                Le.u64(b, o + 32));
    }

    public static DrmPanthorTilerHeapCreate decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, vmId);
        Le.put32(b, o + 4, initialChunkCount);
        Le.put32(b, o + 8, chunkSize);
        Le.put32(b, o + 12, maxChunks);
        Le.put32(b, o + 16, targetInFlight);
        Le.put32(b, o + 20, handle);
        Le.put64(b, o + 24, tilerHeapCtxGpuVa);
        Le.put64(b, o + 32, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withVmId(int value) {
        return new DrmPanthorTilerHeapCreate(value, initialChunkCount, chunkSize, maxChunks, targetInFlight, handle, tilerHeapCtxGpuVa, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withInitialChunkCount(int value) {
        return new DrmPanthorTilerHeapCreate(vmId, value, chunkSize, maxChunks, targetInFlight, handle, tilerHeapCtxGpuVa, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withChunkSize(int value) {
        return new DrmPanthorTilerHeapCreate(vmId, initialChunkCount, value, maxChunks, targetInFlight, handle, tilerHeapCtxGpuVa, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withMaxChunks(int value) {
        return new DrmPanthorTilerHeapCreate(vmId, initialChunkCount, chunkSize, value, targetInFlight, handle, tilerHeapCtxGpuVa, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withTargetInFlight(int value) {
        return new DrmPanthorTilerHeapCreate(vmId, initialChunkCount, chunkSize, maxChunks, value, handle, tilerHeapCtxGpuVa, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withHandle(int value) {
        return new DrmPanthorTilerHeapCreate(vmId, initialChunkCount, chunkSize, maxChunks, targetInFlight, value, tilerHeapCtxGpuVa, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withTilerHeapCtxGpuVa(long value) {
        return new DrmPanthorTilerHeapCreate(vmId, initialChunkCount, chunkSize, maxChunks, targetInFlight, handle, value, firstHeapChunkGpuVa);
    }

    public DrmPanthorTilerHeapCreate withFirstHeapChunkGpuVa(long value) {
        return new DrmPanthorTilerHeapCreate(vmId, initialChunkCount, chunkSize, maxChunks, targetInFlight, handle, tilerHeapCtxGpuVa, value);
    }
}
