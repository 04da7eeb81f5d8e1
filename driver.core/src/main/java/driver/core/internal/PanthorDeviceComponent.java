package driver.core.internal;

import driver.core.api.GpuInfo;
import driver.core.api.PanthorDevice;
import hw.model.api.Mmio;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: Device probe.
 *
 * Binds to the GPU's register window and reads the identification registers, as
 * {@code panthor_device_init()} → {@code panthor_gpu_init()} do before anything else.
 */
@Component(service = PanthorDevice.class, property = PanthorDevice.DRIVER_NAME_PROPERTY + "=panthor")
public final class PanthorDeviceComponent implements PanthorDevice {

    private final GpuInfo info;

    @Activate
    public PanthorDeviceComponent(@Reference Mmio mmio) {
        this.info = GpuProbe.readGpuInfo(mmio);
    }

    @Override
    public GpuInfo gpuInfo() {
        return info;
    }
}
