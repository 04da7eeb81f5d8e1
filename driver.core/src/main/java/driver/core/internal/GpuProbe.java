package driver.core.internal;

import driver.core.api.GpuInfo;
import hw.model.api.Mmio;

/** Reads {@link GpuInfo} from the GPU_CONTROL identification registers ({@code panthor_gpu_init_info}). */
final class GpuProbe {
    private GpuProbe() {}

    static GpuInfo readGpuInfo(Mmio mmio) {
        int[] texture = new int[4];
        for (int n = 0; n < texture.length; n++) {
            texture[n] = mmio.read32(0x0B0 + 4 * n);
        }
        return new GpuInfo(
                mmio.read32(0x000),
                mmio.read32(0x280),
                mmio.read32(0x01C),
                mmio.read32(0x004),
                mmio.read32(0x00C),
                mmio.read32(0x010),
                mmio.read32(0x014),
                mmio.read32(0x0AC),
                mmio.read32(0x0A0),
                mmio.read32(0x0A4),
                mmio.read32(0x0A8),
                mmio.read32(0x300),
                texture,
                mmio.read32(0x018),
                mmio.read64Raw(0x100),
                mmio.read64Raw(0x120),
                mmio.read64Raw(0x110),
                mmio.read32(0x008));
    }
}
