package driver.core.internal.subsys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DeviceState;
import driver.core.internal.DeviceFixture;
import driver.core.internal.device.MmuHooks;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.device.SchedHooks;
import driver.core.internal.slot.Provider;
import driver.core.slot.Subsystem;
import driver.core.subsys.devfreq.Devfreq;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.sched.Sched;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The device's MMU and scheduler hooks run through the slots, and do nothing (without waiting) while a slot is empty. */
class SlotHooksTest {

    private final DeviceFixture f = new DeviceFixture().up();
    private final DriverSlots slots = new DriverSlots(8, f.dev.fw().csgSlotCount(), f.model.gpuClock(),
            Duration.ofSeconds(30));
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        slots.close();
        f.close();
    }

    /** A test implementation of a real contract that records every call except the state protocol. */
    @SuppressWarnings("unchecked")
    private <T extends Subsystem<?>> T recording(Class<T> contract, String prefix) {
        Object[] state = {null};
        return (T) Proxy.newProxyInstance(contract.getClassLoader(), new Class<?>[] {contract}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "impl":
                    return "recording";
                case "exportState":
                    return state[0];
                case "importState":
                    state[0] = args[0];
                    return null;
                case "releaseState":
                    state[0] = null;
                    return null;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return prefix;
                default:
                    break;
            }
            calls.add(prefix + "." + m.getName() + (args == null ? "" : List.of(args)));
            Class<?> r = m.getReturnType();
            if (r == int.class) {
                return 0;
            }
            if (r == boolean.class) {
                return false;
            }
            if (r == long.class) {
                return 0L;
            }
            return r == List.class ? List.of() : null;
        });
    }

    @Test
    void withoutImplementationsTheHooksDoNothingAndResetStillWorks() {
        slots.connect(f.dev);
        assertTrue(f.dev.mmu() instanceof SlotMmuHooks);
        assertTrue(f.dev.sched() instanceof SlotSchedHooks);
        long start = System.nanoTime();
        f.dev.resumeAndGet();
        f.dev.scheduleReset();
        f.stepper.drainAll();
        f.dev.sched().reportFwEvents(1 << 31);
        f.dev.pm().putAutosuspend();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "no grace period waited");
        assertEquals(DeviceState.ACTIVE, f.dev.state());
        assertTrue(f.dev.fw().booted());
        assertEquals(List.of(), calls);
    }

    @Test
    void resetAndFirmwareEventsReachTheImplementationsThroughTheSlots() {
        slots.connect(f.dev);
        slots.mmu().addProvider(new Provider<>("recording", 0, 1, "test", recording(Mmu.class, "mmu")));
        slots.sched().addProvider(new Provider<>("recording", 0, 2, "test", recording(Sched.class, "sched")));
        f.dev.resumeAndGet();
        calls.clear();
        f.dev.scheduleReset();
        f.stepper.drainAll();
        List<String> hooks = calls.stream().filter(c -> !c.startsWith("sched.reportFwEvents")).toList();
        assertEquals(List.of("sched.preReset", "mmu.preReset", "mmu.postReset", "sched.postReset[false]"), hooks);
        assertTrue(calls.contains("sched.reportFwEvents[" + (1 << 31) + "]"),
                "the rebooted firmware's global-interface IRQ reached the scheduler through its slot: " + calls);
        calls.clear();
        f.dev.sched().reportFwEvents(1 << 31 | 1);
        assertEquals(List.of("sched.reportFwEvents[" + (1 << 31 | 1) + "]"), calls);
        f.dev.pm().putAutosuspend();
        assertEquals(DeviceState.ACTIVE, f.dev.state());
    }

    @Test
    void runtimePmReachesDevfreqThroughItsSlot() {
        slots.connect(f.dev);
        f.advanceMs(200);
        assertEquals(PanthorDeviceCore.PmState.SUSPENDED, f.dev.pmState(), "suspended on the fixed-OPP fallback");
        assertEquals(0, f.dev.resumeAndGet());
        f.dev.pm().putAutosuspend();
        slots.devfreq().addProvider(new Provider<>("recording", 0, 3, "test", recording(Devfreq.class, "devfreq")));
        f.advanceMs(200);
        assertEquals(PanthorDeviceCore.PmState.SUSPENDED, f.dev.pmState());
        assertEquals(0, f.dev.resumeAndGet());
        f.dev.pm().putAutosuspend();
        assertEquals(List.of("devfreq.suspend", "devfreq.resume"), calls);
    }

    @Test
    void closingTheSlotsGivesTheDeviceItsInterimHooksBack() {
        MmuHooks interim = f.dev.mmu();
        slots.connect(f.dev);
        slots.close();
        assertSame(interim, f.dev.mmu());
        assertSame(SchedHooks.NONE, f.dev.sched());
    }
}
