package driver.mmu.rewritten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmRef;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.PanthorClient;
import driver.mmu.cstyle.PanthorMmu;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import java.util.List;
import org.junit.jupiter.api.Test;
import panthor.testkit.mmu.MmuImplementation;
import panthor.testkit.mmu.MmuUabiContract;

/**
 * testkit's whole-driver MMU contract (byte-path binds, faults to the scheduler, mmu:*
 * commands) on the rewritten MMU, plus live swaps to the C-style MMU and back under a client.
 */
class RewrittenMmuUabiTest extends MmuUabiContract {

    @Override
    protected MmuImplementation<?> implementation() {
        return ModelFixture.REWRITTEN;
    }

    /**
     * Live swaps both ways under a client: the C-style MMU comes in (the slot swaps to it), the
     * client keeps binding and the GPU keeps reading through the same tables; then back.
     */
    @Test
    void liveSwapsBothWaysKeepTheClientsMappings() throws GpuFault {
        try (PanthorClient c = PanthorClient.open(h.newProcess("e2e"))) {
            int vm = c.vmCreate(0).id();
            int bo = c.boCreate(2 * SZ_4K, 0, 0).handle();
            long cpu = c.mmapBo(bo, 2 * SZ_4K);
            c.process().write64(cpu, 0xaaaaL);
            c.process().write64(cpu + SZ_4K, 0xbbbbL);
            c.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, 0,
                    0x400000L, SZ_4K, DrmPanthorObjArray.EMPTY)));
            VmRef ref = vmOf(vm);
            assertEquals(0, (int) h.subsystems().mmu().call(m -> m.vmActive(ref)));
            int as = h.subsystems().mmu().call(m -> m.vmAs(ref));
            GpuBus bus = h.model().mmu().bus(as);
            assertEquals(0xaaaaL, bus.read64(0x400000L));

            PanthorMmu cstyle = ModelFixture.CSTYLE.createIn(h);
            try {
                h.install("mmu", "cstyle", 10, cstyle);
                assertEquals("cstyle", h.subsystems().mmu().call(Mmu::impl), "the higher-ranked MMU took over");
                assertEquals(as, (int) h.subsystems().mmu().call(m -> m.vmAs(ref)), "same AS, same tables");
                assertEquals(0xaaaaL, bus.read64(0x400000L));
                c.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo,
                        SZ_4K, 0x400000L, SZ_4K, DrmPanthorObjArray.EMPTY)));
                assertEquals(0xbbbbL, bus.read64(0x400000L), "the C-style MMU remapped through the adopted tables");

                assertTrue(h.swap("mmu", "rewritten").succeeded());
                assertEquals("rewritten", h.subsystems().mmu().call(Mmu::impl));
                c.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, 0,
                        0x400000L, SZ_4K, DrmPanthorObjArray.EMPTY)));
                assertThrows(GpuFault.class, () -> bus.read64(0x400000L), "and back: unmapped, no stale entry");
                assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, c.vmGetState(vm));
            } finally {
                cstyle.deactivate();
            }
        }
    }
}
