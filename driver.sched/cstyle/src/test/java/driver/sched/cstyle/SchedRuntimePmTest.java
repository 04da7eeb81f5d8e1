package driver.sched.cstyle;

import static driver.sched.cstyle.SchedFixture.concat;
import static driver.sched.cstyle.SchedFixture.storeValue;
import static org.junit.jupiter.api.Assertions.*;

import driver.core.internal.pm.RuntimePm;
import driver.core.subsys.sched.CsgSlotInfo;
import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler's runtime-PM references ({@code queue_run_job()}'s resume-and-get, the tick's
 * {@code sched->pm.has_ref}): the device is never suspended while a group with work sits on a
 * CSG slot, every reference is given back once everything is idle (the device then
 * autosuspends), across resets and unplug, and no work item throws on the way.
 */
@Timeout(120)
class SchedRuntimePmTest {

    /** Longer than the 50 ms autosuspend delay. */
    static final long IDLE_GAP_MS = 200;

    SchedFixture f = new SchedFixture();
    final List<LogRecord> severe = new ArrayList<>();
    final Handler catcher = new Handler() {
        @Override
        public void publish(LogRecord r) {
            /* Work items that throw (WorkQueue logs "<queue>: work item threw"); faults logged by the driver are expected. */
            if (r.getLevel().intValue() >= Level.SEVERE.intValue() && r.getThrown() != null) {
                synchronized (severe) {
                    severe.add(r);
                }
            }
        }

        @Override
        public void flush() { }

        @Override
        public void close() { }
    };

    @BeforeEach
    void catchWorkItemFailures() {
        Logger.getLogger("").addHandler(catcher);
    }

    @AfterEach
    void close() {
        try {
            f.close();
        } finally {
            Logger.getLogger("").removeHandler(catcher);
        }
    }

    RuntimePm pm() {
        return f.h.deviceCore().pm();
    }

    /** A resident group that the scheduler believes has work implies an active device. */
    void assertActiveWhileResidentWork(String when) {
        for (CsgSlotInfo s : f.sched.csgSlots()) {
            if (s.groupHandle() != 0 && !s.idle()) {
                assertEquals(RuntimePm.Status.ACTIVE, pm().status(),
                        when + ": group " + s.groupHandle() + " with work on CSG slot " + s.slot()
                                + " but the device is " + pm().statusName() + " (usage " + pm().usageCount() + ")");
                assertTrue(f.sched.pmHasRef, when + ": the scheduler holds a PM reference");
            }
        }
    }

    /** Advances in 1 ms steps for {@code ms}, checking the invariant at each step. */
    void runChecked(long ms, String when) {
        for (long t = 0; t < ms; t++) {
            f.h.advanceMs(1);
            assertActiveWhileResidentWork(when + " +" + t + " ms");
        }
    }

    void assertIdleAndSuspended(String when) {
        assertEquals(0, pm().usageCount(), when + ": every runtime-PM reference is given back");
        assertFalse(f.sched.pmHasRef, when);
        assertEquals(RuntimePm.Status.SUSPENDED, pm().status(), when + ": the idle device autosuspends");
        assertTrue(f.sched.csgSlots().stream().allMatch(s -> s.groupHandle() == 0),
                when + ": a suspended device has no resident group");
    }

    void assertNoWorkItemThrew() {
        synchronized (severe) {
            assertTrue(severe.isEmpty(), () -> "logged: " + severe.stream()
                    .map(r -> r.getMessage() + " " + r.getThrown()).toList());
        }
    }

    @Test
    void submitsWithIdleGapsLongerThanTheAutosuspendDelayKeepTheDeviceUpOnlyWhileThereIsWork() {
        SchedFixture.Client a = f.client("pm-gaps");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        for (int round = 0; round < 4; round++) {
            int done = a.syncobj();
            long[] w = concat(f.computeFor(30), storeValue(SchedFixture.Client.VA + 4L * round, round + 1));
            a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {done}));
            assertEquals(RuntimePm.Status.ACTIVE, pm().status(), "a submit resumes the device");
            for (int t = 0; t < 300 && !a.signaled(done); t++) {
                f.h.advanceMs(1);
                assertActiveWhileResidentWork("round " + round + " +" + t + " ms");
            }
            assertTrue(a.signaled(done), "round " + round + " completes");
            assertEquals(round + 1, a.read32(4L * round));
            runChecked(IDLE_GAP_MS, "idle gap after round " + round);
            assertIdleAndSuspended("after round " + round);
        }
        assertNoWorkItemThrew();
    }

    @Test
    void severalClientsThatExitWhileTheirGroupsAreResidentLeaveNoReferenceBehind() {
        /* A file closed under a running group waits for cache flushes: time must run on its own. */
        f.close();
        f = new SchedFixture(true);
        List<SchedFixture.Client> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SchedFixture.Client c = f.client("pm-exit-" + i);
            int g = c.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
            long[] w = f.computeFor(40);
            c.submit(g, c.job(0, c.stream(w), w.length, new int[0], new int[0]));
            clients.add(c);
        }
        runChecked(5, "8 clients busy");
        for (int i = 0; i < 4; i++) {
            clients.get(i).proc.exit();
        }
        runChecked(IDLE_GAP_MS, "half the clients gone");
        assertIdleAndSuspended("after the survivors' work");
        for (int i = 4; i < 8; i++) {
            clients.get(i).proc.exit();
        }
        runChecked(IDLE_GAP_MS, "all clients gone");
        assertIdleAndSuspended("after every client exited");
        assertNoWorkItemThrew();
    }

    @Test
    void aResetWhileAGroupRunsGivesItsReferenceBackOnceIdle() {
        SchedFixture.Client a = f.client("pm-reset");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int done = a.syncobj();
        long[] w = concat(f.computeFor(20), storeValue(SchedFixture.Client.VA, 7));
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {done}));
        runChecked(3, "before the reset");
        assertTrue(f.sched.pmHasRef);
        f.h.deviceCore().scheduleReset();
        runChecked(IDLE_GAP_MS, "after the reset");
        assertIdleAndSuspended("after the reset and an idle gap");
        int again = a.syncobj();
        long[] w2 = storeValue(SchedFixture.Client.VA + 4, 8);
        a.submit(g, a.job(0, a.stream(w2), w2.length, new int[0], new int[] {again}));
        assertTrue(f.advanceUntil(() -> a.signaled(again), 1, 200), "the group still runs after the reset");
        runChecked(IDLE_GAP_MS, "idle after the reset");
        assertIdleAndSuspended("idle again");
        assertNoWorkItemThrew();
    }

    @Test
    void unplugWhileAGroupRunsDropsTheSchedulersReferenceAndSuspends() {
        SchedFixture.Client a = f.client("pm-unplug");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        long[] w = f.computeFor(100);
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[0]));
        runChecked(5, "busy");
        assertTrue(f.sched.pmHasRef);
        f.h.deviceCore().unplug();
        assertFalse(f.sched.pmHasRef, "panthor_sched_unplug() puts the scheduler's reference");
        assertEquals(0, pm().usageCount());
        assertEquals(RuntimePm.Status.SUSPENDED, pm().status(), "unplug ends with a synchronous suspend");
        assertDoesNotThrow(f::close);
        assertNoWorkItemThrew();
    }

    @Test
    void unplugOfASuspendedDeviceBalancesItsReferenceEvenIfTheResumeFails() {
        SchedFixture.Client a = f.client("pm-unplug-idle");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int done = a.syncobj();
        long[] w = storeValue(SchedFixture.Client.VA, 1);
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {done}));
        assertTrue(f.advanceUntil(() -> a.signaled(done), 1, 100));
        runChecked(IDLE_GAP_MS, "idle");
        assertIdleAndSuspended("before unplug");
        f.h.inject().failFirmwareBoot(true);
        assertDoesNotThrow(() -> f.h.deviceCore().unplug(), "pm_runtime_get_sync() counts even when the resume fails");
        assertEquals(0, pm().usageCount());
    }

    @Test
    void aParkedStateWithGroupsOnCsgSlotsKeepsTheDeviceUpUntilAnImplementationTakesItBack() {
        SchedFixture.Client a = f.client("pm-park");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int done = a.syncobj();
        long[] w = storeValue(SchedFixture.Client.VA, 1);
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {done}));
        assertTrue(f.advanceUntil(() -> a.signaled(done), 1, 100));
        assertTrue(f.sched.csgSlots().stream().anyMatch(s -> s.groupHandle() != 0), "the group is still resident");

        long provider = f.h.slots().sched().active().orElseThrow().serviceId();
        f.h.slots().sched().removeProvider(provider, "bundle stopped");
        assertTrue(f.h.slots().sched().parkedState().isPresent(), "the state is parked");
        f.h.advanceMs(IDLE_GAP_MS);
        assertEquals(RuntimePm.Status.ACTIVE, pm().status(),
                "nobody could suspend the group's CSG slot: the runtime suspend is refused");

        PanthorSched next = f.newSched();
        f.h.install("sched", "cstyle", next);
        int again = a.syncobj();
        long[] w2 = storeValue(SchedFixture.Client.VA + 4, 2);
        a.submit(g, a.job(0, a.stream(w2), w2.length, new int[0], new int[] {again}));
        assertTrue(f.advanceUntil(() -> a.signaled(again), 1, 200), "the group runs on under the new owner");
        assertEquals(2, a.read32(4));
        f.h.advanceMs(IDLE_GAP_MS);
        assertEquals(RuntimePm.Status.SUSPENDED, pm().status(), "the new owner suspends the device once idle");
        assertEquals(0, pm().usageCount());
        assertTrue(next.csgSlots().stream().allMatch(s -> s.groupHandle() == 0));
        assertNoWorkItemThrew();
    }

    @Test
    void aResetWhileTheStateIsParkedWithGroupsOnCsgSlotsWaitsForTheNextScheduler() {
        SchedFixture.Client a = f.client("reset-park");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int done = a.syncobj();
        long[] w = storeValue(SchedFixture.Client.VA, 1);
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {done}));
        assertTrue(f.advanceUntil(() -> a.signaled(done), 1, 100));
        f.h.slots().sched().removeProvider(f.h.slots().sched().active().orElseThrow().serviceId(), "bundle stopped");

        /* Both within the 50 ms autosuspend delay, so that the device stays up throughout. */
        long resetsBefore = softResets();
        f.h.deviceCore().scheduleReset();
        f.h.advanceMs(20);
        assertEquals(resetsBefore, softResets(), "nobody could stop the group around a reset: it waits");
        assertTrue(f.h.deviceCore().resetPending());

        PanthorSched next = f.newSched();
        f.h.install("sched", "cstyle", next);
        f.h.advanceMs(15);
        assertEquals(resetsBefore + 1, softResets(), "the reset runs once a scheduler holds the state");
        assertFalse(f.h.deviceCore().resetPending());
        int again = a.syncobj();
        long[] w2 = storeValue(SchedFixture.Client.VA + 4, 2);
        a.submit(g, a.job(0, a.stream(w2), w2.length, new int[0], new int[] {again}));
        assertTrue(f.advanceUntil(() -> a.signaled(again), 1, 200), "the group runs on after the reset");
        assertEquals(2, a.read32(4));
        assertNoWorkItemThrew();
    }

    private long softResets() {
        return f.h.deviceCore().steps().stream().filter("gpu_soft_reset"::equals).count();
    }
}
