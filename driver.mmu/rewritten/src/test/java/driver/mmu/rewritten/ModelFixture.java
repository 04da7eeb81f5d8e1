package driver.mmu.rewritten;

import driver.core.slot.IncompatibleStateException;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.mmu.cstyle.PanthorMmu;
import panthor.testkit.mmu.MmuImplementation;
import panthor.testkit.mmu.MmuModelFixture;

/**
 * testkit's {@link MmuModelFixture} (a deterministic Mali-G610 model, the page allocator, a
 * stand-in DRM file, registers seen through a recording Mmio) with an MMU of either
 * implementation, named "rewritten" or "cstyle", owning the initial state.
 */
final class ModelFixture extends MmuModelFixture {

    static final MmuImplementation<RewrittenMmu> REWRITTEN = MmuImplementation.of("rewritten", RewrittenMmu.class,
            RewrittenMmu::new, RewrittenMmu::flushBindQueues, RewrittenMmu::deactivate, RewrittenMmu::setSubsystems);
    static final MmuImplementation<PanthorMmu> CSTYLE = MmuImplementation.of("cstyle", PanthorMmu.class,
            PanthorMmu::new, PanthorMmu::flushBindQueues, PanthorMmu::deactivate, PanthorMmu::setSubsystems);

    ModelFixture(String impl) {
        super(implementation(impl));
    }

    static MmuImplementation<?> implementation(String impl) {
        switch (impl) {
            case "rewritten":
                return REWRITTEN;
            case "cstyle":
                return CSTYLE;
            default:
                throw new IllegalArgumentException(impl);
        }
    }

    Mmu newMmu(String impl) {
        return newMmu(implementation(impl));
    }

    /** Hands the state to a new instance of {@code impl}, as a live swap does. */
    MmuState swapTo(String impl) throws IncompatibleStateException {
        return swapTo(implementation(impl));
    }
}
