package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.slot.Provider;
import driver.core.internal.subsys.DriverSlots;
import driver.core.slot.SlotStatus;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import driver.core.subsys.coredump.CoredumpSnapshot;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.DrmPanthorVmDestroy;
import driver.core.uapi.DrmPanthorVmGetState;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UABI ports wired through the driver's subsystem slots, with test implementations of the real contracts. */
class SlotWiringTest {

    private final TestBed bed = new TestBed();
    private final DriverSlots slots = new DriverSlots(8, 8, bed.model.gpuClock(), Duration.ofMillis(100));
    private final TestBed.Proc a = bed.open("a");
    private long nextServiceId = 100;

    SlotWiringTest() {
        slots.connect(bed.device);
    }

    @AfterEach
    void tearDown() {
        slots.close();
        bed.close();
    }

    private void add(TestSlotMmu mmu, int ranking) {
        slots.mmu().addProvider(new Provider<>(mmu.impl(), ranking, nextServiceId++, "test", mmu));
    }

    private int vmCreate(TestBed.Proc p) {
        TestBed.Call c = p.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO);
        return c.ret() < 0 ? c.ret() : DrmPanthorVmCreate.decode(c.out()).id();
    }

    @Test
    void withoutAnMmuVmIoctlsWaitTheGracePeriodThenFailWithEnodev() {
        long start = System.nanoTime();
        assertEquals(-Errno.ENODEV, vmCreate(a));
        long waited = System.nanoTime() - start;
        assertTrue(waited >= 100_000_000L, "waited " + waited + " ns");
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE, DrmPanthorVmGetState.ZERO).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO.withFlags(1)).ret(),
                "struct checks come before the slot");
        assertEquals(SlotStatus.PARKED, slots.mmu().status());
        // Closing a file does not wait for the missing MMU.
        long closeStart = System.nanoTime();
        a.p().close(a.fd());
        assertTrue(System.nanoTime() - closeStart < 50_000_000L);
    }

    @Test
    void anMmuArrivingWithinTheGracePeriodServesTheWaitingCall() throws Exception {
        slots.setGrace(Duration.ofSeconds(10));
        TestSlotMmu mmu = new TestSlotMmu("late");
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            add(mmu, 0);
        });
        t.start();
        assertEquals(1, vmCreate(a));
        t.join();
        assertEquals(1, mmu.vmCount());
    }

    @Test
    void vmIoctlsReachTheMmuThroughItsSlot() {
        TestSlotMmu mmu = new TestSlotMmu("one");
        add(mmu, 0);
        assertEquals(SlotStatus.ACTIVE, slots.mmu().status());
        assertEquals(1, vmCreate(a));
        assertEquals(2, vmCreate(a));
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE, new DrmPanthorVmGetState(2, 0)).ret());
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, new DrmPanthorVmDestroy(1, 0)).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, new DrmPanthorVmDestroy(1, 0)).ret());
        assertEquals(1, mmu.vmCount());
        assertEquals(3, (long) slots.mmu().call(m -> m.exportState().nextVmKey()));
        a.p().close(a.fd());
        assertEquals(0, mmu.vmCount(), "postclose reached the MMU");
        assertEquals(0, mmu.callsWithoutState.get());
    }

    @Test
    void swapsBetweenTwoMmusWhileCallsRunLoseNothing() throws Exception {
        TestSlotMmu one = new TestSlotMmu("one");
        TestSlotMmu two = new TestSlotMmu("two");
        add(one, 0);
        add(two, 0);
        List<TestBed.Proc> procs = List.of(bed.open("c1"), bed.open("c2"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (TestBed.Proc p : procs) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    int id = vmCreate(p);
                    if (id <= 0) {
                        failures.add("create " + id);
                        return;
                    }
                    int d = p.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, new DrmPanthorVmDestroy(id, 0)).ret();
                    if (d != 0) {
                        failures.add("destroy " + d);
                        return;
                    }
                    ok.incrementAndGet();
                }
            });
            threads.add(t);
            t.start();
        }
        int swapped = 0;
        for (int i = 0; i < 300; i++) {
            SwapRecord r = slots.mmu().swapTo(i % 2 == 0 ? "two" : "one", SwapTrigger.EXPLICIT, "test");
            if (r.outcome() == SwapOutcome.SWAPPED) {
                swapped++;
            }
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(300, swapped);
        assertTrue(ok.get() > 0);
        assertEquals(0, one.callsWithoutState.get() + two.callsWithoutState.get());
        TestSlotMmu last = slots.mmu().active().orElseThrow().service() == one ? one : two;
        assertEquals(0, last.vmCount(), "every VM created was destroyed, across swaps");
    }

    @Test
    void optionalSubsystemsFallBackAtOnce() {
        long start = System.nanoTime();
        assertEquals(bed.model.gpuClock().frequencyHz(), (long) slots.devfreq().call(d -> d.currentFrequencyHz()));
        assertEquals(-1, (int) slots.coredump().call(c -> c.capture(new CoredumpSnapshot("TIMEOUT", 0, 1, 1, "x", 1,
                -1, 1, List.of(), List.of()))));
        assertEquals(List.of(), slots.coredump().call(c -> c.dumps()));
        assertTrue(System.nanoTime() - start < 50_000_000L, "no grace period for optional subsystems");
        assertTrue(!slots.devfreq().info().mandatory());
    }

    @Test
    void preferencesSwapToTheWantedImplementation() {
        TestSlotMmu one = new TestSlotMmu("one");
        TestSlotMmu two = new TestSlotMmu("two");
        add(one, 10);
        add(two, 0);
        assertEquals("one", slots.mmu().info().activeImpl());
        List<SwapRecord> r = slots.applyPreferences(Map.of("mmu", "two"), "config");
        assertEquals(1, r.size());
        assertEquals(SwapTrigger.PREFERENCE, r.get(0).trigger());
        assertEquals("two", slots.mmu().info().activeImpl());
        assertEquals(List.of(), slots.applyPreferences(Map.of("mmu", "two"), "config"), "unchanged: nothing to do");
        slots.applyPreferences(Map.of("mmu", ""), "config");
        assertTrue(slots.mmu().preferred().isEmpty());
    }
}
