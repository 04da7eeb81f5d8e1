package driver.mmu.cstyle;

import panthor.testkit.mmu.AsyncBindContract;

/** testkit's asynchronous VM_BIND contract on the C-style MMU. */
class PanthorMmuAsyncBindTest extends AsyncBindContract<MmuFixture> {

    @Override
    protected MmuFixture newFixture() {
        return new MmuFixture();
    }
}
