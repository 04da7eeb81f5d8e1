package workload.internal.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SwapStressCommandsTest {

    @Test
    void parsesSubsystemAndOptionsWithDefaults() {
        assertEquals(new SwapStressCommands.Options("mmu", 1000, 8, 1),
                SwapStressCommands.Options.parse(List.of("mmu", "--swaps", "1000", "--clients", "8")));
        assertEquals(new SwapStressCommands.Options("sched", 100, 4, 7),
                SwapStressCommands.Options.parse(List.of("--seed", "7", "sched")));
        assertNull(SwapStressCommands.Options.parse(List.of("--help")));
    }

    @Test
    void badArgumentsFailWithOneLine() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SwapStressCommands.Options.parse(List.of())).getMessage().contains("which subsystem?"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SwapStressCommands.Options.parse(List.of("mmu", "--swaps", "x"))).getMessage()
                .contains("--swaps needs a number, not 'x'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SwapStressCommands.Options.parse(List.of("mmu", "sched"))).getMessage()
                .contains("unexpected 'sched'"));
    }

    @Test
    void nearestRankPercentiles() {
        long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, SwapStress.percentile(v, 50));
        assertEquals(10, SwapStress.percentile(v, 99));
        assertEquals(0, SwapStress.percentile(new long[0], 99));
    }
}
