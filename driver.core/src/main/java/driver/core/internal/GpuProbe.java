package driver.core.internal;

import static hw.model.regs.MaliRegs.*;

import driver.core.api.GpuInfo;
import hw.model.api.Mmio;

/** Reads {@link GpuInfo} from the GPU_CONTROL identification registers ({@code panthor_gpu_init_info}). */
final class GpuProbe {
    private GpuProbe() {}

    static GpuInfo readGpuInfo(Mmio mmio) {
        int[] texture = new int[GPU_TEXTURE_FEATURES_COUNT];
        for (int n = 0; n < texture.length; n++) {
            texture[n] = mmio.read32(GPU_TEXTURE_FEATURES(n));
        }
        return new GpuInfo(
                mmio.read32(GPU_ID),
                mmio.read32(GPU_REVID),
                mmio.read32(GPU_CSF_ID),
                mmio.read32(GPU_L2_FEATURES),
                mmio.read32(GPU_TILER_FEATURES),
                mmio.read32(GPU_MEM_FEATURES),
                mmio.read32(GPU_MMU_FEATURES),
                mmio.read32(GPU_THREAD_FEATURES),
                mmio.read32(GPU_THREAD_MAX_THREADS),
                mmio.read32(GPU_THREAD_MAX_WORKGROUP_SIZE),
                mmio.read32(GPU_THREAD_MAX_BARRIER_SIZE),
                mmio.read32(GPU_COHERENCY_FEATURES),
                texture,
                mmio.read32(GPU_AS_PRESENT),
                mmio.read64Raw(GPU_SHADER_PRESENT),
                mmio.read64Raw(GPU_L2_PRESENT),
                mmio.read64Raw(GPU_TILER_PRESENT),
                mmio.read32(GPU_CORE_FEATURES));
    }
}
