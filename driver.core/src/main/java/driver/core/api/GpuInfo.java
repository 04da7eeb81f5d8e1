package driver.core.api;

/**
 * The identification registers read at probe, as {@code panthor_gpu_init_info()} reads
 * them, with the decoded views {@code panthor_gpu_init()} logs.
 */
public record GpuInfo(
        int gpuId,
        int gpuRev,
        int csfId,
        int l2Features,
        int tilerFeatures,
        int memFeatures,
        int mmuFeatures,
        int threadFeatures,
        int maxThreads,
        int threadMaxWorkgroupSize,
        int threadMaxBarrierSize,
        int coherencyFeatures,
        int[] textureFeatures,
        int asPresent,
        long shaderPresent,
        long l2Present,
        long tilerPresent,
        int coreFeatures) {

    public int archMajor() { return (gpuId >>> 28) & 0xf; }
    public int archMinor() { return (gpuId >>> 24) & 0xf; }
    public int archRev() { return (gpuId >>> 20) & 0xf; }
    public int productMajor() { return (gpuId >>> 16) & 0xf; }
    public int versionMajor() { return (gpuId >>> 12) & 0xf; }
    public int versionMinor() { return (gpuId >>> 4) & 0xff; }
    public int versionStatus() { return gpuId & 0xf; }
    /** The 16-bit product id Mesa and the kernel log print ({@code id 0xa867}). */
    public int productId() { return gpuId >>> 16; }
    public int vaBits() { return mmuFeatures & 0xff; }
    public int paBits() { return (mmuFeatures >>> 8) & 0xff; }

    /** Model name from Panthor's table (arch major, product major); "unknown" otherwise. */
    public String modelName() {
        if (archMajor() == 10) {
            switch (productMajor()) {
                case 7: return "mali-g610";
                case 2: return "mali-g710";
                case 3: return "mali-g510";
                case 4: return "mali-g310";
                default: break;
            }
        }
        return "unknown";
    }
}
