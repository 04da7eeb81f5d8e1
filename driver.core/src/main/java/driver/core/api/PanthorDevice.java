package driver.core.api;

import driver.core.subsys.mmu.MmuIrq;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A probed panthor device. Registered once probe has read the hardware identification;
 * its presence is what "the driver is ready" means to the launcher and the tests.
 */
@ProviderType
public interface PanthorDevice {

    /** Service property naming the DRM device, always {@code "panthor"}. */
    String DRIVER_NAME_PROPERTY = "drm.driver";

    GpuInfo gpuInfo();

    /** The MMU interrupt line, for the MMU implementation ({@code ptdev->mmu->irq}). */
    MmuIrq mmuIrq();

    /** The device state; {@link DeviceState#UNPLUGGED} means every UABI call is ENODEV. */
    default DeviceState state() {
        return DeviceState.ACTIVE;
    }
}
