package driver.mmu.cstyle;

import static driver.mmu.cstyle.MmuFixture.map;
import static driver.mmu.cstyle.MmuFixture.pattern;
import static driver.mmu.cstyle.MmuFixture.unmap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.GemObject;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmRef;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import java.util.List;
import org.junit.jupiter.api.Test;
import panthor.testkit.mmu.MmuVmContract;

/**
 * The C-style MMU against the model: testkit's VM contract ({@link MmuVmContract}), and what is
 * its own: panthor_mmu.c's LRU eviction (the VM idle the longest loses its AS) and the
 * export / import round trip between two PanthorMmu instances.
 */
class PanthorMmuTest extends MmuVmContract<MmuFixture> {

    @Override
    protected MmuFixture newFixture() {
        return new MmuFixture();
    }

    @Test
    void addressSpaceAllocationAndLruEviction() {
        int[] vm = new int[9];
        for (int i = 1; i <= 8; i++) {
            vm[i] = f.vmCreate();
        }
        for (int i = 1; i <= 7; i++) {
            assertEquals(0, f.mmu.vmActive(ref(vm[i])));
            assertEquals(i, f.mmu.vmAs(ref(vm[i])), "ffz(alloc_mask | 1)");
        }
        assertEquals(-Errno.EBUSY, f.mmu.vmActive(ref(vm[8])), "all AS active");
        f.mmu.vmIdle(ref(vm[3]));
        f.mmu.vmIdle(ref(vm[1]));
        f.mmu.vmIdle(ref(vm[5]));
        assertEquals(0, f.mmu.vmActive(ref(vm[1])), "re-activation keeps the slot");
        assertEquals(1, f.mmu.vmAs(ref(vm[1])));
        assertEquals(0, f.mmu.vmActive(ref(vm[8])));
        assertEquals(3, f.mmu.vmAs(ref(vm[8])), "the VM idle the longest is evicted");
        assertEquals(-1, f.mmu.vmAs(ref(vm[3])));
        assertEquals(0, f.mmu.vmActive(ref(vm[3])));
        assertEquals(5, f.mmu.vmAs(ref(vm[3])));
        assertEquals(-Errno.EBUSY, f.mmu.vmActive(ref(vm[5])));
        assertEquals(0, f.mmu.addressSpaces().get(0).as());
        assertEquals(null, f.mmu.addressSpaces().get(0).vm(), "AS0 stays the MCU's");
    }

    @Test
    void exportImportRoundTripAdoptsTablesAndSlots() throws Exception {
        GemObject bo = f.bo(SZ_2M + 4 * SZ_4K, 4);
        int h = f.file.addGem(bo);
        int vm1 = f.vmCreate();
        int vm2 = f.vmCreate();
        GpuBus bus = activeBus(vm1);
        assertEquals(0, f.mmu.vmActive(ref(vm2)));
        f.mmu.vmIdle(ref(vm2));
        f.bind(vm1, map(h, 0, 0, SZ_2M + 4 * SZ_4K, 0), unmap(SZ_4K, SZ_4K));
        f.mmu.kernelBoCreate(ref(vm1), 2 * SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
                driver.core.subsys.mmu.Mmu.KERNEL_AUTO_VA);
        long used = f.pages.stats().usedPages();

        MmuState state = f.mmu.exportState();
        assertEquals(state, f.mmu.exportState(), "export changes nothing");
        PanthorMmu next = f.newMmu();
        next.importState(state);
        f.mmu.releaseState();
        assertEquals(state, next.exportState());
        assertEquals(used, f.pages.stats().usedPages(), "nothing re-created");
        assertEquals(pattern(4, 300, 0), bus.read64(300 * SZ_4K), "the GPU still translates through the adopted tables");

        VmRef r1 = next.lookupVm(f.file, vm1);
        next.vmBind(f.call, new driver.core.uapi.DrmPanthorVmBind(vm1, 0, driver.core.uapi.DrmPanthorObjArray.EMPTY),
                List.of(unmap(0, SZ_4K)));
        assertThrows(GpuFault.class, () -> bus.read64(0));
        assertEquals(f.mmu.vmAs(r1), -1, "the released instance forgot everything");
        next.vmIdle(r1);
        List<MmuState.AsSlotState> slots = next.exportState().addressSpaces();
        assertTrue(slots.get(2).lruOrder() < slots.get(1).lruOrder(), "LRU order survives the swap");
    }
}
