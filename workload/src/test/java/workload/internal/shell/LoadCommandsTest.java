package workload.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/** The verbs' error handling (a working load is covered by LoadRunTest and the container tests). */
class LoadCommandsTest {

    @Test
    void unknownVerbAndMisuseGiveOneLineMessages() throws Exception {
        try (DriverHarness h = DriverHarness.start()) {
            LoadCommands cmd = new LoadCommands(h.drm(), h.time());
            assertEquals("gpu:load: unknown verb 'go' (one of start, status, stop, run)",
                    assertThrows(IllegalArgumentException.class, () -> cmd.load("go")).getMessage());
            assertEquals("gpu:load: no load is running (gpu:load start first)",
                    assertThrows(IllegalArgumentException.class, () -> cmd.load("stop")).getMessage());
            assertEquals("gpu:load: clients must be in 1..32: 0",
                    assertThrows(IllegalArgumentException.class, () -> cmd.load("run", "--clients", "0")).getMessage());
            assertEquals("load: clients=0 submitted=0 completed=0 failed=0 lost=0 jobs_per_s=0 expected_failures=0"
                    + " unexpected=0 state=idle", cmd.load("status"));
            String e = assertThrows(IllegalArgumentException.class, () -> cmd.load("--clients", "2", "run", "--jobs", "10")).getMessage();
            assertTrue(e.startsWith("gpu:load: setting up client 1 of 2 failed: "), e);
            assertEquals("gpu:load: --jobs needs a number, not 'many'",
                    assertThrows(IllegalArgumentException.class, () -> cmd.load("run", "--jobs", "many")).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> cmd.load("run", "--jbos", "1"))
                    .getMessage().startsWith("gpu:load: unknown option '--jbos'; usage: gpu:load"));
            assertEquals("gpu:load: which verb (start, status, stop, run)?",
                    assertThrows(IllegalArgumentException.class, () -> cmd.load()).getMessage());
            assertEquals("gpu:load: unexpected 'stop'",
                    assertThrows(IllegalArgumentException.class, () -> cmd.load("run", "stop")).getMessage());
            assertEquals("gpu:load: --faults and --hangs cannot be combined",
                    assertThrows(IllegalArgumentException.class,
                            () -> cmd.load("run", "--faults", "2", "--hangs", "1")).getMessage());
            assertEquals("gpu:load: faults must be in 0..jobs: 11",
                    assertThrows(IllegalArgumentException.class,
                            () -> cmd.load("run", "--jobs", "10", "--hangs", "11")).getMessage());
            assertTrue(cmd.load("--help").startsWith("usage: gpu:load"));
        }
    }
}
