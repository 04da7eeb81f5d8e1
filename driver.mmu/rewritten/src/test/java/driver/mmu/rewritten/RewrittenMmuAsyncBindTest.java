package driver.mmu.rewritten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static panthor.testkit.mmu.MmuModelFixture.map;
import static panthor.testkit.mmu.MmuModelFixture.pattern;
import static panthor.testkit.mmu.MmuModelFixture.signal;
import static panthor.testkit.mmu.MmuModelFixture.waitOn;

import driver.core.kernel.DmaFence;
import driver.core.kernel.GemObject;
import driver.core.subsys.mmu.MmuState;
import hw.model.internal.GpuBus;
import org.junit.jupiter.api.Test;
import panthor.testkit.mmu.AsyncBindContract;

/**
 * testkit's asynchronous VM_BIND contract on the rewritten MMU, plus a queued bind handed from
 * the C-style MMU to the rewritten one and run there.
 */
class RewrittenMmuAsyncBindTest extends AsyncBindContract<ModelFixture> {

    @Override
    protected ModelFixture newFixture() {
        return new ModelFixture("rewritten");
    }

    @Test
    void aQueuedBindOfTheCstyleMmuRunsOnTheRewrittenOne() throws Exception {
        f.swapTo(ModelFixture.CSTYLE);
        GemObject bo = f.bo(SZ_4K, 4);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int in = f.syncobj();
        int out = f.syncobj();
        DmaFence dep = pendingFenceIn(in);
        f.bindAsync(vm, withSyncs(map(h, 0, 0x7000L, SZ_4K, 0), f.syncs(waitOn(in, 0), signal(out, 0))));
        MmuState state = f.swapTo(ModelFixture.REWRITTEN);
        assertEquals(1, state.vms().get(0).queuedBinds().size());
        assertEquals(state, f.mmu.exportState(), "the queue is adopted as it is");
        dep.signal();
        f.flushBindQueues();
        assertTrue(f.file.syncobjs.get(out).fence().isSignaled());
        assertEquals(pattern(4, 0, 0), bus.read64(0x7000L), "the rewritten MMU ran the C-style MMU's job");
        assertEquals(1, f.mmu.vms().get(0).refs(), "the job's VM reference went");
        assertEquals(2, bo.refCount());
    }
}
