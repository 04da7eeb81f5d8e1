package driver.sched.cstyle;

import static driver.sched.cstyle.SchedFixture.concat;
import static driver.sched.cstyle.SchedFixture.storeValue;
import static org.junit.jupiter.api.Assertions.*;

import driver.core.kernel.DmaFence;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.IoctlException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PanthorSchedTest {

    final SchedFixture f = new SchedFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aSubmittedStreamStoresItsValueAndSignalsTheSyncobj() {
        SchedFixture.Client a = f.client("store");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int done = a.syncobj();
        long[] words = storeValue(SchedFixture.Client.VA + 0x100, 0xc0ffee);
        long addr = a.stream(words);
        a.submit(g, a.job(0, addr, words.length, new int[0], new int[] {done}));
        assertTrue(f.advanceUntil(() -> a.signaled(done), 1, 200), "the job's fence signals");
        assertEquals(0xc0ffeeL, a.read32(0x100));
        assertEquals(0, a.c.groupGetState(g).state());
        assertEquals(1, f.sched.queues().get(0).completed());
    }

    @Test
    void laterJobsOfABatchWaitForEarlierSignalsAndEmptyStreamsAreSyncPoints() {
        SchedFixture.Client a = f.client("batch");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 2);
        int first = a.syncobj();
        int point = a.syncobj();
        int last = a.syncobj();
        long[] slow = concat(f.computeFor(3), storeValue(SchedFixture.Client.VA + 0x200, 1));
        long[] after = concat(storeValue(SchedFixture.Client.VA + 0x204, 2));
        long slowAddr = a.stream(slow);
        long afterAddr = a.stream(after);
        a.submit(g,
                a.job(0, slowAddr, slow.length, new int[0], new int[] {first}),
                a.job(0, 0, 0, new int[0], new int[] {point}),
                a.job(1, afterAddr, after.length, new int[] {first}, new int[] {last}));
        f.h.advanceMs(1);
        assertFalse(a.signaled(point), "the sync point waits for the job before it");
        assertEquals(0, a.read32(0x204), "queue 1's job waits for queue 0's signal");
        assertTrue(f.advanceUntil(() -> a.signaled(last), 1, 200));
        assertTrue(a.signaled(first));
        assertTrue(a.signaled(point));
        assertEquals(1, a.read32(0x200));
        assertEquals(2, a.read32(0x204));
    }

    @Test
    void groupCreateValidatesItsArguments() {
        SchedFixture.Client a = f.client("check");
        var ok = a.groupArgs(PanthorIoctls.PANTHOR_GROUP_PRIORITY_LOW);
        var q = new driver.core.uapi.DrmPanthorQueueCreate(0, 0, 0, 0, 4096);
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok, List.of(q.withRingbufSize(2048))));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok, List.of(q.withRingbufSize(12288))));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok, List.of(q.withRingbufSize(1 << 17))));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok, List.of(q.withPriority(16))));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok, List.of(q.withPad1(1))));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok.withComputeCoreMask(1L << 40), List.of(q)));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok.withMaxComputeCores(64), List.of(q)));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok.withVmId(99), List.of(q)));
        assertErrno(Errno.EINVAL, () -> a.c.groupCreate(ok, java.util.Collections.nCopies(33, q)));
        assertErrno(Errno.EACCES, () -> a.c.groupCreate(ok.withPriority(PanthorIoctls.PANTHOR_GROUP_PRIORITY_HIGH),
                List.of(q)));
        assertTrue(f.sched.groups().isEmpty(), "a rejected create leaves nothing");
        int g = a.c.groupCreate(ok, List.of(q));
        assertEquals(1, g);
        assertErrno(Errno.EINVAL, () -> a.c.groupDestroy(7));
        assertErrno(Errno.EINVAL, () -> a.c.groupGetState(7));
        long addr = a.stream(storeValue(SchedFixture.Client.VA, 1));
        assertErrno(Errno.EINVAL, () -> a.submit(g, a.job(1, addr, 3, new int[0], new int[0])));
        assertErrno(Errno.EINVAL, () -> a.submit(g, a.job(0, addr + 8, 3, new int[0], new int[0])));
        assertErrno(Errno.EINVAL, () -> a.submit(g, a.job(0, 0, 3, new int[0], new int[0])));
        assertErrno(Errno.EINVAL, () -> a.submit(g, a.job(0, addr, 3, new int[] {1234}, new int[0])));
        int s = a.syncobj();
        assertErrno(Errno.EINVAL, () -> a.submit(g, a.job(0, addr, 3, new int[0], new int[] {s}),
                a.job(0, addr, 3, new int[0], new int[] {4321})));
        f.h.advanceMs(5);
        assertFalse(a.signaled(s), "a rejected batch submits nothing");
    }

    @Test
    void oneHundredTwentyEightGroupsPerFile() {
        SchedFixture.Client a = f.client("many");
        var args = a.groupArgs(PanthorIoctls.PANTHOR_GROUP_PRIORITY_LOW);
        var q = List.of(new driver.core.uapi.DrmPanthorQueueCreate(0, 0, 0, 0, 4096));
        for (int i = 0; i < PanthorSched.MAX_GROUPS_PER_POOL; i++) {
            a.c.groupCreate(args, q);
        }
        assertErrno(Errno.EBUSY, () -> a.c.groupCreate(args, q));
    }

    @Test
    void moreGroupsThanSlotsRotateOnTheTick() {
        SchedFixture.Client a = f.client("rotate");
        int n = 10;
        int[] groups = new int[n];
        int[] done = new int[n];
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            groups[i] = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
            done[i] = a.syncobj();
            long[] w = concat(f.computeFor(40), storeValue(SchedFixture.Client.VA + 4L * i, i + 1));
            long addr = a.stream(w);
            a.submit(groups[i], a.job(0, addr, w.length, new int[0], new int[] {done[i]}));
        }
        for (int t = 0; t < 30; t++) {
            f.h.advanceMs(1);
            f.sched.csgSlots().forEach(s -> seen.add(s.groupHandle()));
        }
        seen.remove(0);
        assertEquals(n, seen.size(), "every group had a slot within 30 ms although all jobs take 40 ms");
        assertTrue(f.advanceUntil(() -> {
            for (int d : done) {
                if (!a.signaled(d)) {
                    return false;
                }
            }
            return true;
        }, 5, 1000));
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, a.read32(4L * i));
        }
        f.h.advanceMs(50);
        assertEquals(-1, f.sched.reschedTarget, "the tick stops when everything fits");
        assertFalse(f.sched.busy());
    }

    @Test
    void aJobRunningLongerThanFiveSecondsTimesItsGroupOut() {
        SchedFixture.Client a = f.client("hang");
        SchedFixture.Client b = f.client("fine");
        int ga = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int gb = b.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int sa = a.syncobj();
        int sb = b.syncobj();
        long[] longJob = f.computeFor(8000);
        a.submit(ga, a.job(0, a.stream(longJob), longJob.length, new int[0], new int[] {sa}));
        DmaFence fence = f.sched.lastSubmitFences.get(0);
        long[] w = concat(f.computeFor(100), storeValue(SchedFixture.Client.VA, 5));
        b.submit(gb, b.job(0, b.stream(w), w.length, new int[0], new int[] {sb}));
        f.h.advanceMs(4900);
        assertFalse(fence.isSignaled());
        assertTrue(b.signaled(sb));
        assertTrue(f.advanceUntil(fence::isSignaled, 50, 500));
        assertEquals(-Errno.ETIMEDOUT, fence.error());
        assertEquals(PanthorIoctls.DRM_PANTHOR_GROUP_STATE_TIMEDOUT, a.c.groupGetState(ga).state());
        assertEquals(0, b.c.groupGetState(gb).state());
        assertEquals(5, b.read32(0));
        assertErrno(Errno.EINVAL, () -> a.submit(ga, a.job(0, a.stream(longJob), longJob.length, new int[0],
                new int[0])));
    }

    @Test
    void anInheritedErrorIsACsFaultThatFailsOnlyThatJob() {
        SchedFixture.Client a = f.client("fault");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        /* A user sync object at +0x300: seqno 5, status 1 (errored). */
        a.proc.write64(a.cpu + 0x300, 5);
        a.proc.write32(a.cpu + 0x308, 1);
        long[] inherit = {
            SchedFixture.mov48(0, SchedFixture.Client.VA + 0x300), SchedFixture.mov48(2, 0),
            (53L << 56) | (0L << 40) | (2L << 32) | (1L << 28), /* SYNC_WAIT64.GT inherit */
        };
        int s1 = a.syncobj();
        int s2 = a.syncobj();
        a.submit(g, a.job(0, a.stream(inherit), inherit.length, new int[0], new int[] {s1}));
        DmaFence faulty = f.sched.lastSubmitFences.get(0);
        long[] w = storeValue(SchedFixture.Client.VA + 0x400, 9);
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {s2}));
        assertTrue(f.advanceUntil(() -> a.signaled(s2), 1, 200));
        assertEquals(-Errno.EINVAL, faulty.error());
        assertEquals(9, a.read32(0x400));
        assertEquals(0, a.c.groupGetState(g).state(), "a CS fault is recoverable");
    }

    @Test
    void aFatalStreamKillsItsGroup() {
        SchedFixture.Client a = f.client("fatal");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 2);
        int s = a.syncobj();
        long[] bad = {0x7FL << 56};
        a.submit(g, a.job(1, a.stream(bad), 1, new int[0], new int[] {s}));
        DmaFence fence = f.sched.lastSubmitFences.get(0);
        assertTrue(f.advanceUntil(fence::isSignaled, 1, 200));
        assertEquals(-Errno.EINVAL, fence.error());
        var st = a.c.groupGetState(g);
        assertEquals(PanthorIoctls.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, st.state());
        assertEquals(1 << 1, st.fatalQueues());
        assertErrno(Errno.EINVAL, () -> a.submit(g, a.job(0, a.stream(bad), 1, new int[0], new int[0])));
    }

    @Test
    void anMmuFaultKillsOnlyTheGroupsOfTheFaultingVm() {
        SchedFixture.Client a = f.client("guilty");
        SchedFixture.Client b = f.client("innocent");
        int ga = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int gb = b.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        long[] wild = storeValue(0x4000_0000L, 1);
        int sa = a.syncobj();
        a.submit(ga, a.job(0, a.stream(wild), wild.length, new int[0], new int[] {sa}));
        DmaFence fa = f.sched.lastSubmitFences.get(0);
        long[] w = concat(f.computeFor(20), storeValue(SchedFixture.Client.VA, 3));
        int sb = b.syncobj();
        b.submit(gb, b.job(0, b.stream(w), w.length, new int[0], new int[] {sb}));
        assertTrue(f.advanceUntil(() -> fa.isSignaled() && b.signaled(sb), 1, 500));
        assertEquals(-Errno.EINVAL, fa.error());
        assertNotEquals(0, a.c.groupGetState(ga).state() & PanthorIoctls.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
        assertEquals(0, b.c.groupGetState(gb).state());
        assertEquals(3, b.read32(0));
    }

    @Test
    void destroyCancelsPendingJobs() {
        SchedFixture.Client a = f.client("destroy");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int blocker = a.syncobj();
        long[] longJob = f.computeFor(500);
        long[] w = storeValue(SchedFixture.Client.VA, 1);
        a.submit(g, a.job(0, a.stream(longJob), longJob.length, new int[0], new int[0]));
        a.c.syncobjCreate(0);
        int s = a.syncobj();
        List<DmaFence> fences = new java.util.ArrayList<>(f.sched.lastSubmitFences);
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {s}));
        fences.addAll(f.sched.lastSubmitFences);
        f.h.advanceMs(5);
        a.c.groupDestroy(g);
        assertTrue(f.advanceUntil(() -> fences.stream().allMatch(DmaFence::isSignaled), 1, 200));
        for (DmaFence fence : fences) {
            assertEquals(-Errno.ECANCELED, fence.error());
        }
        assertErrno(Errno.EINVAL, () -> a.c.groupGetState(g));
        assertTrue(f.advanceUntil(() -> f.sched.groups().isEmpty(), 1, 100), "the group is released");
        assertFalse(a.signaled(blocker));
    }

    @Test
    void exportImportRoundTripKeepsJobsRunning() throws Exception {
        SchedFixture.Client a = f.client("swap");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int s = a.syncobj();
        long[] w = concat(f.computeFor(30), storeValue(SchedFixture.Client.VA, 77));
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[0]));
        a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {s}));
        f.h.advanceMs(5);
        PanthorSched second = f.newSched();
        var rec = f.h.install("sched", "cstyle2", 10, second);
        assertNotNull(rec);
        assertEquals("cstyle2", rec.toImpl());
        assertEquals(driver.core.slot.SwapOutcome.SWAPPED, rec.outcome());
        assertFalse(f.sched.owner);
        assertTrue(second.owner);
        assertTrue(f.advanceUntil(() -> a.signaled(s), 1, 500));
        assertEquals(77, a.read32(0));
        long[] w2 = storeValue(SchedFixture.Client.VA + 8, 78);
        int s2 = a.syncobj();
        a.submit(g, a.job(0, a.stream(w2), w2.length, new int[0], new int[] {s2}));
        assertTrue(f.advanceUntil(() -> a.signaled(s2), 1, 200));
        assertEquals(78, a.read32(8));
    }

    @Test
    void anIdleDeviceAutosuspendsAndASubmitWakesItAndTheGroup() {
        SchedFixture.Client a = f.client("pm");
        int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
        int s1 = a.syncobj();
        long[] w1 = storeValue(SchedFixture.Client.VA, 1);
        a.submit(g, a.job(0, a.stream(w1), w1.length, new int[0], new int[] {s1}));
        assertTrue(f.advanceUntil(() -> a.signaled(s1), 1, 100));
        assertTrue(f.advanceUntil(() -> !f.h.deviceCore().pmActive(), 10, 1000), "idle groups let the device suspend");
        assertEquals("suspended", f.sched.groups().get(0).state());
        int s2 = a.syncobj();
        long[] w2 = storeValue(SchedFixture.Client.VA + 4, 2);
        a.submit(g, a.job(0, a.stream(w2), w2.length, new int[0], new int[] {s2}));
        assertTrue(f.advanceUntil(() -> a.signaled(s2), 1, 200));
        assertEquals(2, a.read32(4));
        assertEquals(0, a.c.groupGetState(g).state());
    }

    @Test
    void aRealtimeGroupPreemptsMidTimeslice() {
        SchedFixture.Client a = f.client("busy");
        int n = f.sched.csgSlotCount;
        for (int i = 0; i < n; i++) {
            int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_LOW, 1);
            long[] w = f.computeFor(200);
            a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[0]));
        }
        f.h.advanceMs(2);
        assertTrue(f.sched.csgSlots().stream().allMatch(s -> s.groupHandle() != 0), "all slots busy");
        SchedFixture.Client rt = new SchedFixture.Client(f, f.h.newProcess("rt",
                driver.core.user.Credentials.niceUser()));
        int g = rt.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_REALTIME, 1);
        int s = rt.syncobj();
        long[] w = storeValue(SchedFixture.Client.VA, 42);
        rt.submit(g, rt.job(0, rt.stream(w), w.length, new int[0], new int[] {s}));
        assertTrue(f.advanceUntil(() -> rt.signaled(s), 1, 3), "no need to wait for a full tick");
        assertEquals(42, rt.read32(0));
    }

    @Test
    void swapsBackAndForthWhileGroupsRotateLoseNothing() {
        SchedFixture.Client a = f.client("rotate-swap");
        int n = 10;
        int[] done = new int[n];
        for (int i = 0; i < n; i++) {
            int g = a.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
            done[i] = a.syncobj();
            long[] w = concat(f.computeFor(15), storeValue(SchedFixture.Client.VA + 4L * i, i + 1));
            a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[0]));
            a.submit(g, a.job(0, a.stream(w), w.length, new int[0], new int[] {done[i]}));
        }
        f.h.advanceMs(12);
        var there = f.h.install("sched", "cstyle2", 10, f.newSched());
        assertEquals(driver.core.slot.SwapOutcome.SWAPPED, there.outcome(), there.toString());
        f.h.advanceMs(13);
        var back = f.h.swap("sched", "cstyle");
        assertEquals(driver.core.slot.SwapOutcome.SWAPPED, back.outcome(), back.toString());
        assertTrue(f.sched.owner);
        assertTrue(f.advanceUntil(() -> java.util.Arrays.stream(done).allMatch(a::signaled), 5, 1000));
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, a.read32(4L * i));
        }
    }

    static void assertErrno(int errno, Runnable r) {
        IoctlException e = assertThrows(IoctlException.class, r::run);
        assertEquals(errno, e.errno(), e.getMessage());
    }
}
