package driver.mmu.cstyle;

import panthor.testkit.mmu.MmuImplementation;
import panthor.testkit.mmu.MmuUabiContract;

/** testkit's whole-driver MMU contract (byte-path binds, faults to the scheduler, mmu:* commands) on the C-style MMU. */
class PanthorMmuUabiTest extends MmuUabiContract {

    @Override
    protected MmuImplementation<?> implementation() {
        return MmuFixture.PANTHOR_MMU;
    }
}
