package driver.mmu.rewritten;

import org.junit.jupiter.api.Test;

/**
 * The bounded differential runs of the build (see {@link MmuDifferential}). Longer runs:
 * {@code bench/diff-mmu [SEEDS] [STEPS] [SWAP_EVERY]}, which sets {@code -Dmmu.diff.seeds},
 * {@code -Dmmu.diff.steps} and {@code -Dmmu.diff.swapEvery}.
 */
class MmuDifferentialTest {

    private static final int SEEDS = Integer.getInteger("mmu.diff.seeds", 12);
    private static final int STEPS = Integer.getInteger("mmu.diff.steps", 400);
    private static final int SWAP_EVERY = Integer.getInteger("mmu.diff.swapEvery", 37);

    @Test
    void sameSeededSequencesGiveIdenticalResults() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            new MmuDifferential(seed, 0).run(STEPS);
        }
    }

    @Test
    void swappingTheSecondDeviceBackAndForthChangesNothing() {
        for (long seed = 101; seed <= 100 + SEEDS / 2; seed++) {
            new MmuDifferential(seed, SWAP_EVERY).run(STEPS);
        }
    }
}
