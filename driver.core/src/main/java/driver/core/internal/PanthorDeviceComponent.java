package driver.core.internal;

import driver.core.api.DeviceState;
import driver.core.api.GpuInfo;
import driver.core.api.PanthorDevice;
import driver.core.api.Sysfs;
import driver.core.fw.PanthorFirmware;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.kernel.PageAllocator;
import driver.core.subsys.mmu.MmuIrq;
import driver.core.uapi.Errno;
import hw.model.api.GpuClock;
import hw.model.api.Interrupts;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: Device probe.
 *
 * Binds to the GPU's register window and reads the identification registers, as
 * {@code panthor_device_init()} → {@code panthor_gpu_init()} do before anything else, then
 * brings the device up ({@link PanthorDeviceCore#init()}: GPU, MCU VM, firmware, runtime PM,
 * sysfs). Immediate, like a driver probing at boot: the device stays bound whether or not
 * anyone holds the service (a delayed component would be unplugged each time its last user
 * let go). Probe failure fails activation, so the service only exists for a probed device;
 * deactivation unplugs it. The firmware API ({@link PanthorFirmware}) the scheduler
 * implementations use is registered as a service of its own while the device is active.
 */
@Component(service = PanthorDevice.class, immediate = true,
        property = PanthorDevice.DRIVER_NAME_PROPERTY + "=panthor")
public final class PanthorDeviceComponent implements PanthorDevice {

    private final GpuInfo info;
    private final PanthorDeviceCore core;
    private ServiceRegistration<PanthorFirmware> firmwareRegistration;

    @Activate
    public PanthorDeviceComponent(@Reference Mmio mmio, @Reference PhysicalMemory memory,
                                  @Reference Interrupts interrupts, @Reference VirtualTime time,
                                  @Reference GpuClock clock, @Reference Sysfs sysfs) {
        this.info = GpuProbe.readGpuInfo(mmio);
        this.core = new PanthorDeviceCore(mmio, memory, interrupts, time, clock, info,
                new PageAllocator(memory), sysfs);
        int ret = core.init();
        if (ret != 0) {
            core.destroy();
            throw new IllegalStateException("panthor probe failed: " + Errno.name(ret));
        }
    }

    /** The device behind the service, for the driver's own wiring (UABI layer, shell, subsystems). */
    public PanthorDeviceCore core() {
        return core;
    }

    @Override
    public DeviceState state() {
        return core.state();
    }

    /** Registers the firmware API ({@code driver.core.fw.PanthorFirmware}) for the subsystems. */
    @Activate
    void activate(BundleContext context) {
        firmwareRegistration = context.registerService(PanthorFirmware.class, core.firmwareApi(), null);
    }

    @Deactivate
    void deactivate() {
        if (firmwareRegistration != null) {
            try {
                firmwareRegistration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
            firmwareRegistration = null;
        }
        core.destroy();
    }

    @Override
    public GpuInfo gpuInfo() {
        return info;
    }

    @Override
    public MmuIrq mmuIrq() {
        return core.mmuIrqLine();
    }
}
