package driver.core.uapi;

/**
 * {@code struct drm_panthor_gpu_info} of {@code panthor_drm.h}: 112 bytes, little-endian, LP64 layout.
 *
 * <p>DEV_QUERY GPU_INFO payload (UABI 1.7+: {@code selected_coherency} in the former pad0, {@code gpu_features} appended).
 *
 * <pre>
 *   0x00  __u32                          gpu_id
 *   0x04  __u32                          gpu_rev
 *   0x08  __u32                          csf_id
 *   0x0c  __u32                          l2_features
 *   0x10  __u32                          tiler_features
 *   0x14  __u32                          mem_features
 *   0x18  __u32                          mmu_features
 *   0x1c  __u32                          thread_features
 *   0x20  __u32                          max_threads
 *   0x24  __u32                          thread_max_workgroup_size
 *   0x28  __u32                          thread_max_barrier_size
 *   0x2c  __u32                          coherency_features
 *   0x30  __u32                          texture_features[0]
 *   0x34  __u32                          texture_features[1]
 *   0x38  __u32                          texture_features[2]
 *   0x3c  __u32                          texture_features[3]
 *   0x40  __u32                          as_present
 *   0x44  __u32                          selected_coherency
 *   0x48  __u64                          shader_present
 *   0x50  __u64                          l2_present
 *   0x58  __u64                          tiler_present
 *   0x60  __u32                          core_features
 *   0x64  __u32                          pad
 *   0x68  __u64                          gpu_features
 * </pre>
 *
 * <p>Unsigned C fields are carried in Java {@code int}/{@code long} bit patterns; use
 * {@link Integer#toUnsignedLong(int)} where the full range matters.
 */
public record DrmPanthorGpuInfo(int gpuId, int gpuRev, int csfId, int l2Features, int tilerFeatures, int memFeatures, int mmuFeatures, int threadFeatures, int maxThreads, int threadMaxWorkgroupSize, int threadMaxBarrierSize, int coherencyFeatures, int textureFeatures0, int textureFeatures1, int textureFeatures2, int textureFeatures3, int asPresent, int selectedCoherency, long shaderPresent, long l2Present, long tilerPresent, int coreFeatures, int pad, long gpuFeatures) implements UapiStruct {

    /** {@code sizeof(struct drm_panthor_gpu_info)}. */
    public static final int SIZE = 112;

    /** Minimum size userspace may pass: the end of {@code tiler_present}, the last mandatory field. */
    public static final int MIN_SIZE = 96;

    public static final int OFFSET_GPU_ID = 0;
    public static final int OFFSET_GPU_REV = 4;
    public static final int OFFSET_CSF_ID = 8;
    public static final int OFFSET_L2_FEATURES = 12;
    public static final int OFFSET_TILER_FEATURES = 16;
    public static final int OFFSET_MEM_FEATURES = 20;
    public static final int OFFSET_MMU_FEATURES = 24;
    public static final int OFFSET_THREAD_FEATURES = 28;
    public static final int OFFSET_MAX_THREADS = 32;
    public static final int OFFSET_THREAD_MAX_WORKGROUP_SIZE = 36;
    public static final int OFFSET_THREAD_MAX_BARRIER_SIZE = 40;
    public static final int OFFSET_COHERENCY_FEATURES = 44;
    public static final int OFFSET_TEXTURE_FEATURES0 = 48;
    public static final int OFFSET_TEXTURE_FEATURES1 = 52;
    public static final int OFFSET_TEXTURE_FEATURES2 = 56;
    public static final int OFFSET_TEXTURE_FEATURES3 = 60;
    public static final int OFFSET_AS_PRESENT = 64;
    public static final int OFFSET_SELECTED_COHERENCY = 68;
    public static final int OFFSET_SHADER_PRESENT = 72;
    public static final int OFFSET_L2_PRESENT = 80;
    public static final int OFFSET_TILER_PRESENT = 88;
    public static final int OFFSET_CORE_FEATURES = 96;
    public static final int OFFSET_PAD = 100;
    public static final int OFFSET_GPU_FEATURES = 104;

    /** All-zero value. */
    public static final DrmPanthorGpuInfo ZERO = new DrmPanthorGpuInfo(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0L, 0L, 0L, 0, 0, 0L);

    /** Decodes from {@code b} at offset {@code o}; needs {@link #SIZE} bytes. */
    public static DrmPanthorGpuInfo decode(byte[] b, int o) {
        return new DrmPanthorGpuInfo(
                Le.u32(b, o + 0),
                Le.u32(b, o + 4),
                Le.u32(b, o + 8),
                Le.u32(b, o + 12),
                Le.u32(b, o + 16),
                Le.u32(b, o + 20),
                Le.u32(b, o + 24),
                Le.u32(b, o + 28),
                Le.u32(b, o + 32),
                Le.u32(b, o + 36),
                Le.u32(b, o + 40),
                Le.u32(b, o + 44),
                Le.u32(b, o + 48),
                Le.u32(b, o + 52),
                Le.u32(b, o + 56),
                Le.u32(b, o + 60),
                Le.u32(b, o + 64),
                Le.u32(b, o + 68),
                Le.u64(b, o + 72),
                Le.u64(b, o + 80),
                Le.u64(b, o + 88),
                Le.u32(b, o + 96),
                Le.u32(b, o + 100),
                Le.u64(b, o + 104));
    }

    public static DrmPanthorGpuInfo decode(byte[] b) {
        return decode(b, 0);
    }

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public void encode(byte[] b, int o) {
        Le.put32(b, o + 0, gpuId);
        Le.put32(b, o + 4, gpuRev);
        Le.put32(b, o + 8, csfId);
        Le.put32(b, o + 12, l2Features);
        Le.put32(b, o + 16, tilerFeatures);
        Le.put32(b, o + 20, memFeatures);
        Le.put32(b, o + 24, mmuFeatures);
        Le.put32(b, o + 28, threadFeatures);
        Le.put32(b, o + 32, maxThreads);
        Le.put32(b, o + 36, threadMaxWorkgroupSize);
        Le.put32(b, o + 40, threadMaxBarrierSize);
        Le.put32(b, o + 44, coherencyFeatures);
        Le.put32(b, o + 48, textureFeatures0);
        Le.put32(b, o + 52, textureFeatures1);
        Le.put32(b, o + 56, textureFeatures2);
        Le.put32(b, o + 60, textureFeatures3);
        Le.put32(b, o + 64, asPresent);
        Le.put32(b, o + 68, selectedCoherency);
        Le.put64(b, o + 72, shaderPresent);
        Le.put64(b, o + 80, l2Present);
        Le.put64(b, o + 88, tilerPresent);
        Le.put32(b, o + 96, coreFeatures);
        Le.put32(b, o + 100, pad);
        Le.put64(b, o + 104, gpuFeatures);
    }

    public DrmPanthorGpuInfo withGpuId(int value) {
        return new DrmPanthorGpuInfo(value, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withGpuRev(int value) {
        return new DrmPanthorGpuInfo(gpuId, value, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withCsfId(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, value, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withL2Features(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, value, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withTilerFeatures(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, value, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withMemFeatures(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, value, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withMmuFeatures(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, value, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withThreadFeatures(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, value, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withMaxThreads(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, value, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withThreadMaxWorkgroupSize(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, value, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withThreadMaxBarrierSize(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, value, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withCoherencyFeatures(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, value, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withTextureFeatures0(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, value, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withTextureFeatures1(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, value, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withTextureFeatures2(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, value, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withTextureFeatures3(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, value, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withAsPresent(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, value, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withSelectedCoherency(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, value, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withShaderPresent(long value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, value, l2Present, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withL2Present(long value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, value, tilerPresent, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withTilerPresent(long value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, value, coreFeatures, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withCoreFeatures(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, value, pad, gpuFeatures);
    }

    public DrmPanthorGpuInfo withPad(int value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, value, gpuFeatures);
    }

    public DrmPanthorGpuInfo withGpuFeatures(long value) {
        return new DrmPanthorGpuInfo(gpuId, gpuRev, csfId, l2Features, tilerFeatures, memFeatures, mmuFeatures, threadFeatures, maxThreads, threadMaxWorkgroupSize, threadMaxBarrierSize, coherencyFeatures, textureFeatures0, textureFeatures1, textureFeatures2, textureFeatures3, asPresent, selectedCoherency, shaderPresent, l2Present, tilerPresent, coreFeatures, pad, value);
    }
}
