package driver.mmu.rewritten;

import org.junit.jupiter.api.Test;

/**
 * The bounded differential runs of the build (see {@link MmuDifferential}). Longer runs:
 * {@code -Dmmu.diff.seeds=N -Dmmu.diff.steps=M}, or {@link MmuDifferential#main}.
 */
class MmuDifferentialTest {

    private static final int SEEDS = Integer.getInteger("mmu.diff.seeds", 12);
    private static final int STEPS = Integer.getInteger("mmu.diff.steps", 400);

    @Test
    void sameSeededSequencesGiveIdenticalResults() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            new MmuDifferential(seed, 0).run(STEPS);
        }
    }

    @Test
    void swappingTheSecondDeviceBackAndForthChangesNothing() {
        for (long seed = 101; seed <= 100 + SEEDS / 2; seed++) {
            new MmuDifferential(seed, 37).run(STEPS);
        }
    }
}
