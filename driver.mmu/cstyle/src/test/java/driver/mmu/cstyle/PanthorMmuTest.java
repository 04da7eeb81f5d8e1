package driver.mmu.cstyle;

import static driver.mmu.cstyle.MmuFixture.map;
import static driver.mmu.cstyle.MmuFixture.pattern;
import static driver.mmu.cstyle.MmuFixture.unmap;
import static hw.model.regs.MaliRegs.AS_LOCKADDR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.GemObject;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmBindException;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PanthorMmuTest {

    private static final long SZ_2M = Lpae.SZ_2M;
    private static final long SZ_4K = Lpae.SZ_4K;
    private final MmuFixture f = new MmuFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private VmRef ref(int id) {
        return f.mmu.lookupVm(f.file, id);
    }

    private GpuBus activeBus(int id) {
        assertEquals(0, f.mmu.vmActive(ref(id)));
        int as = f.mmu.vmAs(ref(id));
        assertTrue(as > 0, "user VMs never get AS0");
        return f.model.mmu().bus(as);
    }

    private static int errnoOf(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    @Test
    void vmCreateLayoutLimitsAndDestroy() {
        DrmPanthorVmCreate out = f.mmu.vmCreate(f.call, DrmPanthorVmCreate.ZERO);
        assertEquals(1, out.id());
        /* 48-bit VA: default user range is half, the kernel range the top half. */
        assertEquals(1L << 47, out.userVaRange());
        assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, f.mmu.vmGetState(f.call, 1));

        DrmPanthorVmCreate small = f.mmu.vmCreate(f.call, DrmPanthorVmCreate.ZERO.withUserVaRange(1L << 32));
        /* kernel range = rounddown_pow_of_two(2^48 - 4 GiB) = 2^47 at the top */
        assertEquals(1L << 47, small.userVaRange());
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmCreate(f.call,
                DrmPanthorVmCreate.ZERO.withUserVaRange((1L << 48) - (128L << 20)))));
        DrmPanthorVmCreate max = f.mmu.vmCreate(f.call,
                DrmPanthorVmCreate.ZERO.withUserVaRange((1L << 48) - (256L << 20)));
        assertEquals((1L << 48) - (256L << 20), max.userVaRange());

        for (int i = 4; i <= 32; i++) {
            assertEquals(i, f.vmCreate());
        }
        int used = f.pages.stats().usedPages() > 0 ? (int) f.pages.stats().usedPages() : 0;
        assertEquals(Errno.EBUSY, errnoOf(f::vmCreate));
        assertEquals(used, f.pages.stats().usedPages(), "a refused VM_CREATE leaks nothing");
        assertEquals(32, f.mmu.vms().size());

        f.mmu.vmDestroy(f.call, 5);
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmDestroy(f.call, 5)));
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmGetState(f.call, 5)));
        assertEquals(null, f.mmu.lookupVm(f.file, 5));
        assertEquals(5, f.vmCreate(), "lowest free id is reused");

        f.mmu.fileClosed(f.file);
        assertEquals(0, f.mmu.vms().size());
        assertEquals(0, f.pages.stats().usedPages(), "every page-table page is freed");
    }

    @Test
    void mapThenGpuReadsTheBoAndUnmapFaultsWithoutStaleTlb() throws GpuFault {
        GemObject bo = f.bo(4 * SZ_4K, 3);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        long va = 0x10_0000L;
        f.bind(vm, map(h, SZ_4K, va, 3 * SZ_4K, 0));
        for (int page = 0; page < 3; page++) {
            assertEquals(pattern(3, page + 1, 64), bus.read64(va + page * SZ_4K + 8 * 64));
        }
        bus.write64(va + 16, 0xabcdL);
        assertEquals(0xabcdL, f.model.memory().read64(bo.pages()[1] + 16));
        int as = f.mmu.vmAs(ref(vm));
        assertTrue(f.model.mmu().tlb(as).entries() > 0, "the reads filled the TLB");
        long lockaddr = ((hw.model.api.Mmio) f.model.mmio()).read64Raw(AS_LOCKADDR(as));
        assertEquals(Lpae.lockRegion(va, 3 * SZ_4K), lockaddr);
        assertTrue((lockaddr & 0x3f) >= 14, "lock region at least 32 KiB");

        f.bind(vm, unmap(va + SZ_4K, SZ_4K));
        GpuFault fault = assertThrows(GpuFault.class, () -> bus.read64(va + SZ_4K));
        assertEquals(va + SZ_4K, fault.va());
        assertEquals(pattern(3, 3, 0), bus.read64(va + 2 * SZ_4K), "the piece after stays mapped");
        assertEquals(2, f.mmu.vms().get(0).mappings(), "the vma was split in two");
        assertEquals(2, bo.refCount() - 1 - 0, "each piece holds a BO reference");
    }

    @Test
    void twoMegBlockAndPartialUnmapInsideIt() throws GpuFault {
        GemObject bo = f.bo(2 * SZ_2M, 9);
        assertEquals(0, bo.pages()[0] % SZ_2M, "fixture: the BO starts 2 MiB aligned");
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        long va = 4 * SZ_2M;
        f.bind(vm, map(h, 0, va, 2 * SZ_2M, 0));
        List<WalkLine> walk = f.mmu.walk(ref(vm), va + 5 * SZ_4K);
        assertEquals("block 2M rw", walk.get(walk.size() - 1).meaning());
        assertEquals(2, walk.get(walk.size() - 1).level());
        assertEquals(pattern(9, 5, 128), bus.read64(va + 5 * SZ_4K + 8 * 128));
        assertEquals(pattern(9, 700, 0), bus.read64(va + 700 * SZ_4K));

        f.bind(vm, unmap(va + 5 * SZ_4K, 2 * SZ_4K));
        walk = f.mmu.walk(ref(vm), va + 4 * SZ_4K);
        assertEquals(3, walk.get(walk.size() - 1).level(), "the block was split into pages");
        assertEquals("page 4K rw", walk.get(walk.size() - 1).meaning());
        assertThrows(GpuFault.class, () -> bus.read64(va + 5 * SZ_4K));
        assertThrows(GpuFault.class, () -> bus.read64(va + 6 * SZ_4K + 8));
        assertEquals(pattern(9, 4, 0), bus.read64(va + 4 * SZ_4K));
        assertEquals(pattern(9, 7, 64), bus.read64(va + 7 * SZ_4K + 8 * 64));
        assertEquals(pattern(9, 511, 0), bus.read64(va + 511 * SZ_4K));
        walk = f.mmu.walk(ref(vm), va + SZ_2M);
        assertEquals("block 2M rw", walk.get(walk.size() - 1).meaning(), "the second block is untouched");
    }

    @Test
    void readOnlyAndNoExecAreEnforcedByTheGpu() throws GpuFault {
        GemObject bo = f.bo(2 * SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        f.bind(vm, map(h, 0, 0x200000L, SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY
                        | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED),
                map(h, SZ_4K, 0x300000L, SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC));
        assertEquals(pattern(1, 0, 0), bus.read64(0x200000L));
        GpuFault w = assertThrows(GpuFault.class, () -> bus.write64(0x200000L, 1));
        assertEquals(GpuFault.ACCESS_WRITE, w.accessType());
        bus.write64(0x300000L, 5);
        GpuFault x = assertThrows(GpuFault.class, () -> bus.fetch64(0x300000L));
        assertEquals(GpuFault.ACCESS_EXECUTE, x.accessType());
    }

    @Test
    void remapReplacesWithoutStaleTranslation() throws GpuFault {
        GemObject a = f.bo(SZ_4K, 1);
        GemObject b = f.bo(SZ_4K, 2);
        int ha = f.file.addGem(a);
        int hb = f.file.addGem(b);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        f.bind(vm, map(ha, 0, 0x400000L, SZ_4K, 0));
        assertEquals(pattern(1, 0, 0), bus.read64(0x400000L));
        f.bind(vm, map(hb, 0, 0x400000L, SZ_4K, 0));
        assertEquals(pattern(2, 0, 0), bus.read64(0x400000L), "the TLB does not serve the old page");
        assertEquals(1, a.refCount(), "the replaced mapping dropped its BO reference");
    }

    @Test
    void bindValidation() {
        GemObject bo = f.bo(4 * SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        long kernelStart = 1L << 47;
        VmBindException e = assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0), map(h, 0, kernelStart, SZ_4K, 0)));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(1, e.failedOp(), "ops.count = index of the failing op");
        assertEquals(1, f.mmu.vms().get(0).mappings(), "op 0 stays done");

        assertEquals(1, assertThrows(VmBindException.class,
                () -> f.bind(vm, unmap(0x1000, SZ_4K), map(h, 0, -SZ_4K, 2 * SZ_4K, 0))).failedOp(), "overflow");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, new driver.core.uapi.DrmPanthorVmBindOp(
                        PanthorMmu.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, h, 0, 0x1000, SZ_4K,
                        driver.core.uapi.DrmPanthorObjArray.EMPTY))).errno(), "UNMAP with a BO handle");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1800, SZ_4K, 0))).errno(), "misaligned");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 2 * SZ_4K, 0x1000, 3 * SZ_4K, 0))).errno(), "beyond the BO");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(99, 0, 0x1000, SZ_4K, 0))).errno(), "unknown BO");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 1 << 5))).errno(), "unknown flag");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, unmap(kernelStart, SZ_4K))).errno(), "kernel range");
        assertEquals(1, bo.refCount(), "refused binds leak no BO reference");
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

    @Test
    void destroyReleasesTheAddressSpaceAndEvictionReprogramsIt() throws GpuFault {
        GemObject a = f.bo(SZ_4K, 11);
        GemObject b = f.bo(SZ_4K, 12);
        int ha = f.file.addGem(a);
        int hb = f.file.addGem(b);
        int[] vm = new int[9];
        for (int i = 1; i <= 8; i++) {
            vm[i] = f.vmCreate();
        }
        for (int i = 1; i <= 7; i++) {
            assertEquals(0, f.mmu.vmActive(ref(vm[i])));
        }
        f.bind(vm[2], map(ha, 0, 0x10000L, SZ_4K, 0));
        f.bind(vm[8], map(hb, 0, 0x10000L, SZ_4K, 0));
        GpuBus as2 = f.model.mmu().bus(2);
        assertEquals(pattern(11, 0, 0), as2.read64(0x10000L));
        f.mmu.vmIdle(ref(vm[2]));
        assertEquals(0, f.mmu.vmActive(ref(vm[8])));
        assertEquals(2, f.mmu.vmAs(ref(vm[8])));
        assertEquals(pattern(12, 0, 0), as2.read64(0x10000L), "AS2 now translates the new VM, no stale entry");

        f.mmu.vmIdle(ref(vm[8]));
        f.mmu.vmDestroy(f.call, vm[8]);
        assertEquals(1, b.refCount(), "destroy dropped the mapping's BO reference");
        assertThrows(GpuFault.class, () -> as2.read64(0x10000L), "the AS is disabled");
        assertEquals(0, f.mmu.vmActive(ref(vm[2])));
        assertEquals(2, f.mmu.vmAs(ref(vm[2])), "the freed slot is taken again");
        assertEquals(pattern(11, 0, 0), as2.read64(0x10000L));
    }

    @Test
    void pageFaultDisablesTheAsUntilTheVmIsActivatedAgain() throws GpuFault {
        GemObject bo = f.bo(SZ_4K, 21);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int as = f.mmu.vmAs(ref(vm));
        f.bind(vm, map(h, 0, 0x20000L, SZ_4K, 0));
        assertThrows(GpuFault.class, () -> bus.read64(0x90000L));
        int raw = f.model.mmio().read32(hw.model.regs.MaliRegs.MMU_INT_RAWSTAT);
        assertEquals(1 << as, raw & (1 << as), "the model raised the AS's fault bit");
        f.model.mmio().write32(hw.model.regs.MaliRegs.MMU_INT_CLEAR, raw);

        f.mmu.irq(raw);
        assertTrue(f.mmu.vmHasUnhandledFaults(ref(vm)));
        assertEquals(0, f.mmu.irqMask() & (1 << as), "the faulty AS is masked");
        assertTrue(f.mmu.addressSpaces().get(as).faulted());
        assertThrows(GpuFault.class, () -> bus.read64(0x20000L), "the AS is disabled");

        assertEquals(0, f.mmu.vmActive(ref(vm)), "still active: nothing changes");
        assertTrue(f.mmu.vmHasUnhandledFaults(ref(vm)));
        f.mmu.vmIdle(ref(vm));
        f.mmu.vmIdle(ref(vm));
        assertEquals(0, f.mmu.vmActive(ref(vm)));
        assertEquals(as, f.mmu.vmAs(ref(vm)), "the VM kept its slot");
        assertTrue(!f.mmu.vmHasUnhandledFaults(ref(vm)), "re-activation clears the fault");
        assertEquals(1 << as, f.mmu.irqMask() & (1 << as));
        assertEquals(pattern(21, 0, 0), bus.read64(0x20000L), "and re-enables the AS");
    }

    @Test
    void stuckAsActiveFailsTheBindWithoutChangingIt() {
        GemObject bo = f.bo(SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        activeBus(vm);
        int as = f.mmu.vmAs(ref(vm));
        f.model.mmu().stickAsActive(as, true);
        f.model.mmio().write32(hw.model.regs.MaliRegs.AS_COMMAND(as), hw.model.regs.MaliRegs.AS_COMMAND_NOP + 1);
        VmBindException e = assertThrows(VmBindException.class, () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0)));
        assertEquals(Errno.ETIMEDOUT, e.errno(), "wait_ready() gives up after 100 ms");
        assertEquals(0, e.failedOp());
        assertEquals(0, f.mmu.vms().get(0).mappings());
        assertEquals(1, bo.refCount());
        f.model.mmu().stickAsActive(as, false);
    }
}
