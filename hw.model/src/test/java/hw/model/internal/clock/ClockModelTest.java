package hw.model.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.GpuClock.Opp;
import hw.model.internal.EventTrace;
import hw.model.internal.VirtualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockModelTest {

    private static final long MS = 1_000_000L;

    private final EventTrace trace = new EventTrace();
    private final VirtualClock time = new VirtualClock(trace);
    private final ClockModel clk = new ClockModel(time, trace);

    @Test
    void oppTableIsTheRk3588GpuTable() {
        List<Opp> opps = clk.opps();
        assertEquals(8, opps.size());
        assertEquals(new Opp(300_000_000L, 675_000L), opps.get(0));
        assertEquals(new Opp(700_000_000L, 700_000L), opps.get(4));
        assertEquals(new Opp(1_000_000_000L, 850_000L), opps.get(7));
        for (int i = 1; i < opps.size(); i++) {
            assertTrue(opps.get(i).frequencyHz() > opps.get(i - 1).frequencyHz(), "not sorted");
            assertTrue(opps.get(i).microvolts() >= opps.get(i - 1).microvolts(), "voltage drops");
        }
        assertEquals(1_000_000_000L, clk.frequencyHz(), "starts at the highest OPP");
        assertEquals(850_000L, clk.microvolts());
        assertEquals(24_000_000L, clk.timestampFrequencyHz());
    }

    @Test
    void setFrequencyOnlyToAnOpp() {
        clk.setFrequencyHz(500_000_000L);
        assertEquals(500_000_000L, clk.frequencyHz());
        assertEquals(675_000L, clk.microvolts());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> clk.setFrequencyHz(200_000_000L));
        assertTrue(e.getMessage().contains("200000000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clk.setFrequencyHz(0));
        assertThrows(IllegalArgumentException.class, () -> clk.setFrequencyHz(500_000_001L));
        assertEquals(500_000_000L, clk.frequencyHz(), "a rejected rate changed the clock");
    }

    @Test
    void cyclesToNanosUsesTheCurrentFrequency() {
        assertEquals(1_000, clk.cyclesToNanos(1_000));
        assertEquals(0, clk.cyclesToNanos(0));
        clk.setFrequencyHz(300_000_000L);
        assertEquals(10, clk.cyclesToNanos(3));
        assertEquals(4, clk.cyclesToNanos(1), "rounded up");
        assertEquals(1_000_000_000L, clk.cyclesToNanos(300_000_000L));
        assertEquals(10_000_000_000L, clk.cyclesToNanos(3_000_000_000L));
    }

    @Test
    void cycleCounterIntegratesOverOppChanges() {
        time.advance(MS);
        assertEquals(1_000_000, clk.cycles());
        clk.setFrequencyHz(300_000_000L);
        time.advance(1);
        time.advance(1);
        time.advance(1);
        assertEquals(1_000_000, clk.cycles(), "fractional cycles");
        time.advance(MS);
        assertEquals(1_300_000, clk.cycles());
        time.advance(20_000_000_000L);
        assertEquals(1_300_000 + 6_000_000_000L, clk.cycles(), "long intervals overflowed");
    }

    @Test
    void busyWhileAnySourceIsActive() {
        time.advance(1 * MS);
        clk.setActive("cs", true);
        time.advance(2 * MS);
        clk.setActive("mcu", true);
        clk.setActive("cs", true);
        time.advance(1 * MS);
        clk.setActive("cs", false);
        assertTrue(clk.busy());
        time.advance(1 * MS);
        clk.setActive("mcu", false);
        assertFalse(clk.busy());
        clk.setActive("mcu", false);
        time.advance(3 * MS);
        assertEquals(4 * MS, clk.busyNanos());
        assertEquals(4 * MS, clk.idleNanos());
        assertEquals(time.nowNanos(), clk.busyNanos() + clk.idleNanos());
    }

    @Test
    void countersIncludeTheCurrentInterval() {
        clk.setActive("cs", true);
        time.advance(5 * MS);
        assertEquals(5 * MS, clk.busyNanos());
        assertEquals(0, clk.idleNanos());
        assertTrue(clk.activeExcept("power"));
        assertFalse(clk.activeExcept("cs"));
        assertEquals(List.of("cs"), clk.activeSources());
        clk.clearActive();
        time.advance(MS);
        assertEquals(5 * MS, clk.busyNanos());
        assertEquals(MS, clk.idleNanos());
    }

    @Test
    void timestampTicksAre24MHz() {
        assertEquals(0, ClockModel.timestampTicksAt(41));
        assertEquals(1, ClockModel.timestampTicksAt(42));
        assertEquals(24_000_000L, ClockModel.timestampTicksAt(1_000_000_000L));
        assertEquals(24_000_000L * 1_000_000L, ClockModel.timestampTicksAt(1_000_000L * 1_000_000_000L));
    }
}
