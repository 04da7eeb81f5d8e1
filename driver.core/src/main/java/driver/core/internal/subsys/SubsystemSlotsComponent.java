package driver.core.internal.subsys;

import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.internal.PanthorDeviceComponent;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.drm.DrmDeviceComponent;
import driver.core.slot.SlotInfo;
import driver.core.slot.SubsystemProperties;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemSlots;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.coredump.Coredump;
import driver.core.subsys.coredump.CoredumpState;
import driver.core.subsys.devfreq.Devfreq;
import driver.core.subsys.devfreq.DevfreqState;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.sched.Sched;
import driver.core.subsys.sched.SchedState;
import hw.model.api.GpuClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * DOC: The subsystem slots as a service.
 *
 * Immediate: once the device is probed and the render node registered, creates the four slots
 * ({@link DriverSlots}), connects the UABI ports and the device hooks through them, and follows
 * implementations in the service registry (from {@link SubsystemTrackingComponent}, once this
 * component is registered). Registered as {@link SubsystemSlots} (shell,
 * configuration) and {@link DriverSubsystems} (typed slots for implementations). ConfigAdmin PID
 * {@value SubsystemsConfig#PID} names the wanted implementation per subsystem; a change calls
 * {@code setPreferred} on the slots (trigger PREFERENCE) and sets the grace period.
 */
@Component(service = {SubsystemSlots.class, DriverSubsystems.class}, immediate = true,
        configurationPid = SubsystemsConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SubsystemsConfig.class)
public final class SubsystemSlotsComponent implements SubsystemSlots, DriverSubsystems {

    static final String CONFIG_REASON = "ConfigAdmin " + SubsystemsConfig.PID;

    private final DriverSlots slots;

    @Activate
    public SubsystemSlotsComponent(SubsystemsConfig config,
                                   @Reference PanthorDevice device, @Reference DrmDevice drm,
                                   @Reference GpuClock clock) {
        if (!(device instanceof PanthorDeviceComponent probed) || !(drm instanceof DrmDeviceComponent node)) {
            throw new IllegalStateException("the slots need this bundle's device and render node");
        }
        PanthorDeviceCore dev = probed.core();
        this.slots = new DriverSlots(Integer.bitCount(device.gpuInfo().asPresent()),
                dev.fw().booted() ? dev.fw().csgSlotCount() : 0, clock, grace(config));
        // Preferences before tracking, so the first arrival already honours them.
        slots.applyPreferences(wanted(config), CONFIG_REASON);
        slots.connect(node.core());
        slots.connect(dev);
    }

    /** The ConfigAdmin path: wanted implementations and grace period changed. */
    @Modified
    void modified(SubsystemsConfig config) {
        configure(slots, config);
    }

    /** Applies a configuration: the grace period, then the wanted implementations (setPreferred on changed slots). */
    static List<SwapRecord> configure(DriverSlots slots, SubsystemsConfig config) {
        slots.setGrace(grace(config));
        return slots.applyPreferences(wanted(config), CONFIG_REASON);
    }

    @Deactivate
    void deactivate() {
        slots.close();
    }

    DriverSlots driverSlots() {
        return slots;
    }

    static Duration grace(SubsystemsConfig c) {
        return Duration.ofMillis(Math.max(0, c.grace_ms()));
    }

    static Map<String, String> wanted(SubsystemsConfig c) {
        return Map.of(SubsystemProperties.MMU, c.mmu_impl(), SubsystemProperties.SCHED, c.sched_impl(),
                SubsystemProperties.DEVFREQ, c.devfreq_impl(), SubsystemProperties.COREDUMP, c.coredump_impl());
    }

    // ---- SubsystemSlots / DriverSubsystems --------------------------------------------------

    @Override
    public List<SlotInfo> slots() {
        return slots.manager().slots();
    }

    @Override
    public Optional<SubsystemSlot<?, ?>> slot(String subsystem) {
        return slots.manager().slot(subsystem);
    }

    @Override
    public SwapRecord swap(String subsystem, String impl, SwapTrigger trigger, String reason) {
        return slots.manager().swap(subsystem, impl, trigger, reason);
    }

    @Override
    public SwapRecord setPreferred(String subsystem, String impl, String reason) {
        return slots.manager().setPreferred(subsystem, impl, reason);
    }

    @Override
    public List<SwapRecord> history() {
        return slots.manager().history();
    }

    @Override
    public SubsystemSlot<Mmu, MmuState> mmu() {
        return slots.mmu();
    }

    @Override
    public SubsystemSlot<Sched, SchedState> sched() {
        return slots.sched();
    }

    @Override
    public SubsystemSlot<Devfreq, DevfreqState> devfreq() {
        return slots.devfreq();
    }

    @Override
    public SubsystemSlot<Coredump, CoredumpState> coredump() {
        return slots.coredump();
    }
}
