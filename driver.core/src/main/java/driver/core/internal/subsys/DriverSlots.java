package driver.core.internal.subsys;

import driver.core.internal.device.MmuHooks;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.device.SchedHooks;
import driver.core.internal.drm.DrmDeviceCore;
import driver.core.internal.drm.SlotPort;
import driver.core.internal.drm.SubsystemPort;
import driver.core.internal.slot.GatedSubsystemSlot;
import driver.core.internal.slot.SlotConfig;
import driver.core.internal.slot.SlotManager;
import driver.core.slot.SubsystemProperties;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SwapRecord;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * DOC: The driver's four subsystem slots and their wiring (plain Java; the DS component
 * {@link SubsystemSlotsComponent} adds the service registry and ConfigAdmin).
 *
 * mmu and sched are mandatory (calls wait the grace period, then ENODEV); devfreq and
 * coredump are optional with their fallbacks ({@link FixedOpp}, {@link NoCoredump}). The
 * UABI layer's ports ({@link SlotPort}) and the device's hooks ({@link SlotMmuHooks},
 * {@link SlotSchedHooks}) run every operation inside the slot's gate.
 */
public final class DriverSlots implements DriverSubsystems {

    private final SlotManager manager = new SlotManager();
    private final GatedSubsystemSlot<Mmu, MmuState> mmu;
    private final GatedSubsystemSlot<Sched, SchedState> sched;
    private final GatedSubsystemSlot<Devfreq, DevfreqState> devfreq;
    private final GatedSubsystemSlot<Coredump, CoredumpState> coredump;
    private DrmDeviceCore drm;
    private PanthorDeviceCore device;
    private SlotMmuHooks mmuHooks;

    /**
     * @param asCount  address spaces present (the MMU's initial state)
     * @param csgCount CSG slots the firmware offers (the scheduler's initial state)
     * @param clock    the GPU clock (devfreq's initial state and fallback)
     * @param grace    how long calls into a missing mandatory subsystem wait
     */
    public DriverSlots(int asCount, int csgCount, GpuClock clock, Duration grace) {
        mmu = manager.create(SlotConfig.mandatory(SubsystemProperties.MMU, Mmu.class,
                () -> MmuState.initial(asCount)).withGrace(grace));
        sched = manager.create(SlotConfig.mandatory(SubsystemProperties.SCHED, Sched.class,
                () -> SchedState.initial(csgCount)).withGrace(grace));
        devfreq = manager.create(SlotConfig.optional(SubsystemProperties.DEVFREQ, Devfreq.class,
                () -> DevfreqState.initial(clock.frequencyHz()), new FixedOpp(clock)));
        coredump = manager.create(SlotConfig.optional(SubsystemProperties.COREDUMP, Coredump.class,
                CoredumpState::initial, NoCoredump.INSTANCE));
    }

    public SlotManager manager() {
        return manager;
    }

    @Override
    public GatedSubsystemSlot<Mmu, MmuState> mmu() {
        return mmu;
    }

    @Override
    public GatedSubsystemSlot<Sched, SchedState> sched() {
        return sched;
    }

    @Override
    public GatedSubsystemSlot<Devfreq, DevfreqState> devfreq() {
        return devfreq;
    }

    @Override
    public GatedSubsystemSlot<Coredump, CoredumpState> coredump() {
        return coredump;
    }

    /** The UABI layer's VM, group and tiler-heap ports go through the mmu and sched slots. */
    public synchronized void connect(DrmDeviceCore drm) {
        this.drm = drm;
        drm.setVmPort(SlotPort.vm(mmu, mmu::hasImplementation));
        drm.setGroupPort(SlotPort.groups(sched, sched::hasImplementation));
        drm.setHeapPort(SlotPort.heaps(sched, sched::hasImplementation));
    }

    /**
     * The device's MMU, scheduler and devfreq hooks go through the slots (the interim MCU VM
     * stays first). Called after probe: the device probed with the interim MCU VM, no
     * scheduler and the fixed OPP.
     */
    public synchronized void connect(PanthorDeviceCore device) {
        this.device = device;
        MmuHooks current = device.mmu();
        if (current != null && !(current instanceof SlotMmuHooks)) {
            mmuHooks = new SlotMmuHooks(current, mmu);
            device.setMmu(mmuHooks);
        }
        device.setSched(new SlotSchedHooks(sched));
        device.setDevfreq(new SlotDevfreqHooks(devfreq));
    }

    /** Changes the grace period of the mandatory slots. */
    public void setGrace(Duration grace) {
        mmu.setGrace(grace);
        sched.setGrace(grace);
    }

    /**
     * Sets the wanted implementation per subsystem ({@code null} or empty: best available);
     * only slots whose preference changes are touched. Returns the records of what happened.
     */
    public List<SwapRecord> applyPreferences(Map<String, String> wanted, String reason) {
        List<SwapRecord> out = new ArrayList<>();
        for (SubsystemSlot<?, ?> slot : List.of(mmu, sched, devfreq, coredump)) {
            String w = wanted.get(slot.subsystem());
            String want = w == null || w.isBlank() ? null : w.trim();
            if (!Objects.equals(want, slot.preferred().orElse(null))) {
                out.add(slot.setPreferred(want, reason));
            }
        }
        return out;
    }

    /** Disconnects ports and hooks (the UABI sees ENODEV at once), then closes the slots. */
    public synchronized void close() {
        if (drm != null) {
            drm.setVmPort(SubsystemPort.absent(SubsystemProperties.MMU));
            drm.setGroupPort(SubsystemPort.absent(SubsystemProperties.SCHED));
            drm.setHeapPort(SubsystemPort.absent("tiler heap"));
        }
        if (device != null) {
            device.setSched(SchedHooks.NONE);
            device.setDevfreq(null);
            if (mmuHooks != null && device.mmu() == mmuHooks) {
                device.setMmu(mmuHooks.interim());
            }
        }
        manager.close();
    }
}
