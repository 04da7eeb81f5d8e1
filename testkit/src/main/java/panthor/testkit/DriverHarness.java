package panthor.testkit;

import driver.core.api.DrmDevice;
import driver.core.api.GpuInfo;
import driver.core.api.PanthorDevice;
import driver.core.fw.PanthorFirmware;
import driver.core.internal.PanthorDeviceComponent;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.drm.DrmDeviceComponent;
import driver.core.internal.slot.Provider;
import driver.core.internal.subsys.DriverSlots;
import driver.core.internal.sysfs.SysfsComponent;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.TimeStepper;
import driver.core.kernel.WorkQueue;
import driver.core.slot.SubsystemProperties;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.coredump.Coredump;
import driver.core.subsys.devfreq.Devfreq;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.sched.Sched;
import driver.core.user.Credentials;
import driver.core.user.UserProcess;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import hw.model.internal.FaultInjector;
import hw.model.internal.GpuModel;
import hw.model.internal.clock.ClockModel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DOC: The whole driver without OSGi.
 *
 * What the container assembles through Declarative Services, built by hand for unit tests,
 * differential tests and benchmarks: a Mali-G610 model ({@link GpuModel}, deterministic virtual
 * time unless asked otherwise), the probed device ({@link PanthorDeviceComponent}), the render
 * node ({@link DrmDeviceComponent}) and the four subsystem slots ({@link DriverSlots}) with the
 * UABI ports and the device hooks connected, exactly as {@code SubsystemSlotsComponent} wires
 * them. Subsystem implementations are plain objects the caller constructs (each has a public
 * constructor besides its DS one) and {@link #install}s; installing a second implementation of
 * a subsystem and calling {@link #swap} exercises the same slot code the container runs.
 *
 * <p>Deterministic time moves only through {@link #advanceMs} (which also drains every live
 * work queue) or a thread blocked in {@code VirtualTime.await}. The grace period of the
 * mandatory slots is zero: a call with no implementation fails with ENODEV at once.
 */
public final class DriverHarness implements AutoCloseable {

    private final GpuModel model;
    private final FaultInjector inject;
    private final PanthorDeviceComponent device;
    private final DrmDeviceComponent drm;
    private final SysfsComponent sysfs = new SysfsComponent();
    private final DriverSlots slots;
    private final TimeStepper stepper;
    private final AtomicLong nextServiceId = new AtomicLong(1000);

    private DriverHarness(VirtualTime.Mode mode) {
        model = new GpuModel();
        model.clock().setMode(mode);
        inject = new FaultInjector(model);
        PanthorDeviceComponent dev = null;
        DrmDeviceComponent node = null;
        try {
            dev = new PanthorDeviceComponent(model.mmio(), model.memory(), model.irq(), model.clock(),
                    model.gpuClock(), sysfs);
            node = new DrmDeviceComponent(dev, model.mmio(), model.memory(), model.clock(), model.gpuClock());
        } catch (RuntimeException e) {
            model.shutdown();
            throw e;
        }
        device = dev;
        drm = node;
        PanthorDeviceCore core = device.core();
        slots = new DriverSlots(Integer.bitCount(device.gpuInfo().asPresent()),
                core.fw().booted() ? core.fw().csgSlotCount() : 0, model.gpuClock(), Duration.ZERO);
        slots.connect(drm.core());
        slots.connect(core);
        stepper = new TimeStepper(model.clock());
    }

    /** A probed device in deterministic virtual time, no subsystem implementation yet. */
    public static DriverHarness start() {
        return new DriverHarness(VirtualTime.Mode.DETERMINISTIC);
    }

    /** A probed device whose virtual time follows wall time (as in the container). */
    public static DriverHarness startRealtime() {
        return new DriverHarness(VirtualTime.Mode.REALTIME);
    }

    /**
     * Offers {@code service} as implementation {@code impl} of {@code subsystem} ("mmu",
     * "sched", "devfreq", "coredump"), with ranking 0, as a registered DS service would be.
     * Returns what the slot did (a restore from the initial state, a swap, or nothing).
     */
    public SwapRecord install(String subsystem, String impl, Object service) {
        return install(subsystem, impl, 0, service);
    }

    public SwapRecord install(String subsystem, String impl, int ranking, Object service) {
        long id = nextServiceId.getAndIncrement();
        return switch (subsystem) {
            case SubsystemProperties.MMU -> slots.mmu().addProvider(
                    new Provider<>(impl, ranking, id, "testkit", (Mmu) service));
            case SubsystemProperties.SCHED -> slots.sched().addProvider(
                    new Provider<>(impl, ranking, id, "testkit", (Sched) service));
            case SubsystemProperties.DEVFREQ -> slots.devfreq().addProvider(
                    new Provider<>(impl, ranking, id, "testkit", (Devfreq) service));
            case SubsystemProperties.COREDUMP -> slots.coredump().addProvider(
                    new Provider<>(impl, ranking, id, "testkit", (Coredump) service));
            default -> throw new IllegalArgumentException("unknown subsystem " + subsystem);
        };
    }

    /** An explicit swap ({@code gpu:swap subsystem impl}). */
    public SwapRecord swap(String subsystem, String impl) {
        return slots.manager().swap(subsystem, impl, SwapTrigger.EXPLICIT, "testkit");
    }

    /** The device's sysfs attributes (power/runtime_status, devfreq, ...). */
    public SysfsComponent sysfs() {
        return sysfs;
    }

    /** The typed slots, what implementations use to reach each other. */
    public DriverSubsystems subsystems() {
        return slots;
    }

    /** The slots themselves (swaps, history, providers). */
    public DriverSlots slots() {
        return slots;
    }

    /** A new simulated user process with ordinary user credentials. */
    public UserProcess newProcess(String comm) {
        return drm.newProcess(comm, Credentials.user());
    }

    public UserProcess newProcess(String comm, Credentials credentials) {
        return drm.newProcess(comm, credentials);
    }

    /**
     * Moves deterministic virtual time forward by {@code ms}, running due events and draining
     * every live work queue on the way (in REALTIME mode: waits that long).
     */
    public void advanceMs(long ms) {
        stepper.advanceMillis(ms);
    }

    /** Drains every live work queue without moving time on purpose. */
    public void drainWork() {
        stepper.drainAll();
    }

    public GpuModel model() {
        return model;
    }

    public FaultInjector inject() {
        return inject;
    }

    public Mmio mmio() {
        return model.mmio();
    }

    public PhysicalMemory memory() {
        return model.memory();
    }

    public VirtualTime time() {
        return model.clock();
    }

    public ClockModel clock() {
        return model.gpuClock();
    }

    public GpuInfo gpuInfo() {
        return device.gpuInfo();
    }

    public PageAllocator pageAllocator() {
        return drm.pageAllocator();
    }

    public PanthorDevice device() {
        return device;
    }

    /** The device core, for tests that look below the service API. */
    public PanthorDeviceCore deviceCore() {
        return device.core();
    }

    /** The firmware API the scheduler implementations take ({@code driver.core.fw}). */
    public PanthorFirmware firmware() {
        return device.core().firmwareApi();
    }

    public DrmDevice drm() {
        return drm;
    }

    /** Closes the slots, unplugs the device and stops the model. */
    @Override
    public void close() {
        try {
            slots.close();
        } finally {
            try {
                device.core().destroy();
                /* The queues implementations left on this device's clock (DS would deactivate them). */
                for (WorkQueue q : WorkQueue.live(model.clock())) {
                    q.destroy();
                }
            } finally {
                model.shutdown();
            }
        }
    }
}
