package hw.model.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.VirtualTime;
import hw.model.api.VirtualTime.Mode;
import hw.model.internal.EventTrace;
import hw.model.internal.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

    private static final long MS = 1_000_000L;

    private final VirtualClock clock = new VirtualClock(new EventTrace());

    @AfterEach
    void tearDown() {
        clock.shutdown();
    }

    @Test
    void eventsRunInDeadlineThenSchedulingOrder() {
        List<String> ran = new ArrayList<>();
        clock.schedule(3 * MS, () -> ran.add("c@3"));
        clock.schedule(1 * MS, () -> ran.add("a@1"));
        clock.schedule(2 * MS, () -> ran.add("b1@2"));
        clock.schedule(2 * MS, () -> ran.add("b2@2"));
        clock.schedule(2 * MS, () -> ran.add("b3@2"));
        assertEquals(5, clock.pendingEvents());
        clock.advance(2 * MS);
        assertEquals(List.of("a@1", "b1@2", "b2@2", "b3@2"), ran);
        assertEquals(2 * MS, clock.nowNanos());
        clock.advance(MS);
        assertEquals("c@3", ran.get(4));
        assertEquals(0, clock.pendingEvents());
    }

    @Test
    void eventsSeeTheirOwnDeadlineAndMayScheduleMore() {
        List<Long> at = new ArrayList<>();
        clock.schedule(MS, () -> {
            at.add(clock.nowNanos());
            clock.schedule(0, () -> at.add(clock.nowNanos()));
            clock.schedule(MS, () -> at.add(clock.nowNanos()));
        });
        clock.advance(10 * MS);
        assertEquals(List.of(MS, MS, 2 * MS), at);
        assertEquals(10 * MS, clock.nowNanos());
    }

    @Test
    void cancelledEventsNeverRun() {
        AtomicBoolean ran = new AtomicBoolean();
        VirtualTime.Timer t = clock.schedule(MS, () -> ran.set(true));
        assertEquals(MS, t.deadlineNanos());
        assertTrue(t.cancel());
        assertFalse(t.cancel(), "cancelled twice");
        assertEquals(0, clock.pendingEvents());
        clock.advance(2 * MS);
        assertFalse(ran.get());
        VirtualTime.Timer fired = clock.schedule(MS, () -> { });
        clock.advance(MS);
        assertFalse(fired.cancel(), "a fired timer cancelled");
    }

    @Test
    void timeNeverMovesBackwards() {
        assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
        VirtualTime.Timer t = clock.schedule(-5, () -> { });
        assertEquals(0, t.deadlineNanos(), "a negative delay is due now");
    }

    @Test
    void runUntilIdleStopsWhenNothingIsPendingOrAtTheLimit() {
        List<Long> at = new ArrayList<>();
        clock.schedule(MS, () -> at.add(clock.nowNanos()));
        clock.schedule(4 * MS, () -> at.add(clock.nowNanos()));
        assertEquals(4 * MS, clock.runUntilIdle(100 * MS));
        assertEquals(List.of(MS, 4 * MS), at);
        assertEquals(4 * MS, clock.nowNanos(), "runUntilIdle moved past the last event");

        clock.schedule(50 * MS, () -> at.add(clock.nowNanos()));
        assertEquals(0, clock.runUntilIdle(10 * MS), "ran an event beyond the limit");
        assertEquals(4 * MS, clock.nowNanos());
        assertEquals(1, clock.pendingEvents());
        assertEquals(0, clock.runUntilIdle(0));
    }

    @Test
    void runUntilIdleFollowsASelfReschedulingChainUpToTheLimit() {
        Runnable[] tick = new Runnable[1];
        int[] n = {0};
        tick[0] = () -> {
            n[0]++;
            clock.schedule(MS, tick[0]);
        };
        clock.schedule(MS, tick[0]);
        assertEquals(10 * MS, clock.runUntilIdle(10 * MS));
        assertEquals(10, n[0]);
    }

    @Test
    void awaitPullsTimeForwardToTheEventThatSatisfiesIt() {
        AtomicBoolean flag = new AtomicBoolean();
        clock.schedule(5 * MS, () -> flag.set(true));
        clock.schedule(7 * MS, () -> { });
        assertTrue(clock.await(flag::get, 10 * MS));
        assertEquals(5 * MS, clock.nowNanos(), "await ran past the event it needed");
        assertEquals(1, clock.pendingEvents());
    }

    @Test
    void awaitTimesOutAtItsDeadline() {
        clock.schedule(50 * MS, () -> { });
        assertFalse(clock.await(() -> false, 10 * MS));
        assertEquals(10 * MS, clock.nowNanos());
        assertTrue(clock.await(() -> true, 0));
        assertEquals(10 * MS, clock.nowNanos());
    }

    @Test
    void awaitFromAnotherThreadWaitsForTheOwner() throws Exception {
        AtomicBoolean flag = new AtomicBoolean();
        clock.schedule(3 * MS, () -> flag.set(true));
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> clock.await(flag::get, 100 * MS));
        assertTrue(waiter.get(10, TimeUnit.SECONDS));
        assertEquals(3 * MS, clock.nowNanos());
    }

    @Test
    void realtimePacerMovesTimeWithWallTime() {
        AtomicBoolean fired = new AtomicBoolean();
        clock.schedule(2 * MS, () -> fired.set(true));
        clock.setMode(Mode.REALTIME);
        assertEquals(Mode.REALTIME, clock.mode());
        assertTrue(clock.await(fired::get, 10_000 * MS), "the pacer never reached the event");
        assertTrue(clock.nowNanos() >= 2 * MS);
        clock.setMode(Mode.DETERMINISTIC);
        long stopped = clock.nowNanos();
        assertEquals(Mode.DETERMINISTIC, clock.mode());
        clock.advance(MS);
        assertTrue(clock.nowNanos() >= stopped + MS);
    }
}
