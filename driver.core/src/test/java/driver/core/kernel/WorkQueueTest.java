package driver.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.VirtualTime;
import hw.model.internal.GpuModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    private final GpuModel model = new GpuModel();
    private final VirtualTime time = model.clock();
    private final WorkQueue wq = new WorkQueue("test-wq", time);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        wq.destroy();
        model.shutdown();
    }

    @Test
    void runsInQueueingOrderOnOneWorker() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            int n = i;
            wq.queueWork(new WorkQueue.Work(() -> {
                log.add("w" + n);
                threads.add(Thread.currentThread().getName());
            }));
        }
        wq.flush();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("w" + i);
        }
        assertEquals(expected, log);
        assertTrue(threads.stream().allMatch("test-wq"::equals));
        assertTrue(wq.isIdle());
        assertEquals(20, wq.completedCount());
    }

    @Test
    void queueingAPendingItemIsANoOpButRequeueWhileRunningRunsAgain() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int[] runs = {0};
        WorkQueue.Work blocker = new WorkQueue.Work(() -> {
            started.countDown();
            await(release);
        });
        WorkQueue.Work w = new WorkQueue.Work(() -> runs[0]++);
        wq.queueWork(blocker);
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertTrue(wq.queueWork(w));
        assertFalse(wq.queueWork(w), "already pending");
        assertTrue(w.isPending());
        release.countDown();
        wq.flush();
        assertEquals(1, runs[0]);
        assertFalse(w.isPending());
        assertTrue(wq.queueWork(w));
        wq.flush();
        assertEquals(2, runs[0]);
    }

    @Test
    void cancelRemovesPendingWorkAndFlushDoesNotWaitForIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        wq.queueWork(new WorkQueue.Work(() -> {
            started.countDown();
            await(release);
        }));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        WorkQueue.Work w = new WorkQueue.Work(() -> log.add("cancelled work ran"));
        wq.queueWork(w);
        assertTrue(wq.cancel(w));
        assertFalse(wq.cancel(w));
        release.countDown();
        wq.flush();
        assertEquals(List.of(), log);
    }

    @Test
    void cancelSyncWaitsForARunningInstance() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        WorkQueue.Work w = new WorkQueue.Work(() -> {
            started.countDown();
            sleepWall(50);
            log.add("done");
        });
        wq.queueWork(w);
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertFalse(wq.cancelSync(w), "running, not pending");
        assertEquals(List.of("done"), log, "cancelSync returned only after the run finished");
    }

    @Test
    void drainIncludesWorkQueuedByWork() {
        WorkQueue.Work second = new WorkQueue.Work(() -> log.add("second"));
        wq.queueWork(new WorkQueue.Work(() -> {
            log.add("first");
            wq.queueWork(second);
        }));
        wq.drain();
        assertEquals(List.of("first", "second"), log);
    }

    @Test
    void delayedWorkRunsOnlyWhenVirtualTimeReachesItsDeadline() {
        DelayedWork dw = new DelayedWork(time, () -> log.add("at " + time.nowNanos() / 1000 + "us"));
        assertTrue(dw.queue(wq, 50 * VirtualTime.NANOS_PER_MS));
        assertFalse(dw.queue(wq, 1), "already pending");
        assertEquals(50 * VirtualTime.NANOS_PER_MS, dw.deadlineNanos());
        sleepWall(20);
        wq.drain();
        assertEquals(List.of(), log, "wall time does not matter");
        time.advance(49 * VirtualTime.NANOS_PER_MS);
        wq.drain();
        assertEquals(List.of(), log);
        time.advance(VirtualTime.NANOS_PER_MS);
        wq.drain();
        assertEquals(List.of("at 50000us"), log);
        assertFalse(dw.isPending());
    }

    @Test
    void modDelayedWorkRearmsAndCancelDisarms() {
        DelayedWork dw = new DelayedWork(time, () -> log.add("ran at " + time.nowNanos() / VirtualTime.NANOS_PER_MS));
        dw.queue(wq, 10 * VirtualTime.NANOS_PER_MS);
        time.advance(5 * VirtualTime.NANOS_PER_MS);
        assertTrue(dw.modDelayedWork(wq, 10 * VirtualTime.NANOS_PER_MS), "was pending");
        TimeStepper stepper = new TimeStepper(time, List.of(wq));
        stepper.advanceMillis(9);
        assertEquals(List.of(), log);
        stepper.advanceMillis(1);
        assertEquals(List.of("ran at 15"), log);

        dw.queue(wq, 10 * VirtualTime.NANOS_PER_MS);
        assertTrue(dw.cancel());
        assertFalse(dw.cancelSync());
        stepper.advanceMillis(20);
        assertEquals(1, log.size());
    }

    @Test
    void timeStepperRunsWorkThatWaitsOnVirtualTime() {
        // A work item that itself waits 2 ms of virtual time (as a hardware poll would).
        DelayedWork dw = new DelayedWork(time, () -> {
            long t0 = time.nowNanos();
            time.await(() -> false, 2 * VirtualTime.NANOS_PER_MS);
            log.add((t0 / 1000) + "->" + (time.nowNanos() / 1000));
        });
        dw.queue(wq, 1 * VirtualTime.NANOS_PER_MS);
        new TimeStepper(time, List.of(wq)).advanceMillis(5);
        assertEquals(List.of("1000->3000"), log);
        assertTrue(time.nowNanos() >= 5 * VirtualTime.NANOS_PER_MS);
    }

    @Test
    void destroyedQueuesLeaveTheLiveList() {
        WorkQueue other = new WorkQueue("short-lived");
        assertTrue(WorkQueue.live().contains(other));
        other.destroy();
        assertFalse(WorkQueue.live().contains(other));
        assertFalse(other.queueWork(new WorkQueue.Work(() -> { })));
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepWall(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
