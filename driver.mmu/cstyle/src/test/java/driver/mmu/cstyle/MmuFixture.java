package driver.mmu.cstyle;

import panthor.testkit.mmu.MmuImplementation;
import panthor.testkit.mmu.MmuModelFixture;

/**
 * testkit's {@link MmuModelFixture} (a deterministic Mali-G610 model, the page allocator, a
 * stand-in DRM file) with a {@link PanthorMmu} owning the initial state.
 */
final class MmuFixture extends MmuModelFixture {

    static final MmuImplementation<PanthorMmu> PANTHOR_MMU = MmuImplementation.of("cstyle", PanthorMmu.class,
            PanthorMmu::new, PanthorMmu::flushBindQueues, PanthorMmu::deactivate, PanthorMmu::setSubsystems);

    MmuFixture() {
        super(PANTHOR_MMU);
    }

    /** A new, inert PanthorMmu over the same model. */
    PanthorMmu newMmu() {
        return newMmu(PANTHOR_MMU);
    }
}
