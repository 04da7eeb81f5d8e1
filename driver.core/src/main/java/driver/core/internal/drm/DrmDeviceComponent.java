package driver.core.internal.drm;

import driver.core.api.DrmClientInfo;
import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.kernel.GemObject;
import driver.core.internal.PanthorDeviceComponent;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.kernel.PageAllocator;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.UserProcess;
import hw.model.api.GpuClock;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: The render node as a service.
 *
 * Registers the panthor DRM device once the device is probed ({@link PanthorDevice}) and the
 * GPU's memory, clock and registers are there. Other bundles (tests, the shell, client
 * simulations) create processes with {@link #newProcess} and open {@link #RENDER_NODE}.
 * Deactivation unplugs the device: open files stay, every call on them is ENODEV.
 */
@Component(service = DrmDevice.class, property = PanthorDevice.DRIVER_NAME_PROPERTY + "=panthor")
public final class DrmDeviceComponent implements DrmDevice {

    private final DrmDeviceCore core;

    @Activate
    public DrmDeviceComponent(@Reference PanthorDevice device, @Reference Mmio mmio,
                              @Reference PhysicalMemory memory, @Reference VirtualTime time,
                              @Reference GpuClock clock) {
        if (!(device instanceof PanthorDeviceComponent probed)) {
            throw new IllegalStateException("the render node needs this bundle's panthor device, not " + device);
        }
        PanthorDeviceCore dev = probed.core();
        // One page allocator for the whole driver: kernel BOs, page tables and user BOs.
        this.core = new DrmDeviceCore(device::gpuInfo, mmio, time, clock.timestampFrequencyHz(), dev.pageAllocator());
        core.setCsifInfoSource(() -> dev.fw().csifInfo());
        core.setUserMmioPage(dev::userFlushIdRead);
        core.setPower(new DrmDeviceCore.PowerRef() {
            @Override
            public int get() {
                return dev.resumeAndGet();
            }

            @Override
            public void put() {
                dev.pm().putAutosuspend();
            }
        });
        dev.onUnplug(core::unplug);
    }

    /** The device behind the service, for the driver's own wiring (subsystem ports, CSIF source, PM). */
    public DrmDeviceCore core() {
        return core;
    }

    @Deactivate
    void deactivate() {
        core.unplug();
    }

    @Override
    public UserProcess newProcess(String comm, Credentials credentials) {
        return core.newProcess(comm, credentials);
    }

    @Override
    public int uabiVersionMajor() {
        return PanthorIoctls.VERSION_MAJOR;
    }

    @Override
    public int uabiVersionMinor() {
        return PanthorIoctls.VERSION_MINOR;
    }

    @Override
    public List<DrmClientInfo> clients() {
        return clients(core);
    }

    static List<DrmClientInfo> clients(DrmDeviceCore core) {
        List<DrmClientInfo> out = new ArrayList<>();
        for (DrmFile f : core.files()) {
            long resident = 0;
            var objects = f.gemObjects();
            for (GemObject o : objects.values()) {
                if (o.hasPages()) {
                    resident += o.size();
                }
            }
            out.add(new DrmClientInfo(f.clientId(), f.minor().name().toLowerCase(), f.openerPid(), f.openerComm(),
                    f.isMaster(), objects.size(), resident, f.syncobjHandles().size(), f.vms().size(), f.groups().size()));
        }
        return out;
    }

    @Override
    public PageAllocator pageAllocator() {
        return core.pageAllocator();
    }
}
