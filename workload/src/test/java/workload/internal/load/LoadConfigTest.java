package workload.internal.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadConfigTest {

    @Test
    void jobsAndFaultsAreSplitOverTheClients() {
        LoadConfig c = LoadConfig.of(3, 10, 1).withFaults(4, LoadConfig.FaultMix.FATAL);
        assertEquals(4, c.jobsOf(0));
        assertEquals(3, c.jobsOf(1));
        assertEquals(3, c.jobsOf(2));
        assertEquals(2, c.faultsOf(0));
        assertEquals(1, c.faultsOf(1));
        assertEquals(1, c.faultsOf(2));
        assertEquals(0, LoadConfig.of(3, 0, 1).jobsOf(0), "unbounded");
    }

    @Test
    void badValuesAreRefusedWithTheirRange() {
        assertEquals("clients must be in 1..32: 0",
                assertThrows(IllegalArgumentException.class, () -> LoadConfig.of(0, 10, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadConfig.of(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> LoadConfig.of(1, 10, 1).withWindow(0));
        assertThrows(IllegalArgumentException.class, () -> LoadConfig.of(1, 10, 1).withFaults(11, LoadConfig.FaultMix.FATAL));
    }

    @Test
    void summaryLineStartsWithTheRequiredFields() {
        LoadSummary s = new LoadSummary(8, 20000, 19998, 2, 2, 0, 0, 1234.4, "finished");
        assertEquals("load: clients=8 submitted=20000 completed=19998 failed=2 lost=0 jobs_per_s=1234"
                + " expected_failures=2 unexpected=0 state=finished", s.line());
        assertTrue(s.clean());
        assertFalse(new LoadSummary(1, 1, 0, 0, 0, 0, 1, 0, "finished").clean());
        assertFalse(new LoadSummary(1, 1, 0, 1, 0, 1, 0, 0, "finished").clean());
    }
}
