package driver.mmu.rewritten;

import static driver.mmu.rewritten.ModelFixture.map;
import static driver.mmu.rewritten.ModelFixture.pattern;
import static driver.mmu.rewritten.ModelFixture.unmap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.GemObject;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.pgtable.Lpae;
import driver.core.slot.IncompatibleStateException;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmRef;
import driver.core.uapi.PanthorIoctls;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.regs.typed.MmuIntClear;
import hw.model.regs.typed.MmuIntRawstat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * State hand-over between the two MMUs in both directions: the importer adopts the page tables
 * where they are (no page allocated, no register written), the AS table with its ordering state,
 * faulted and unusable VMs; a round trip exports what it started from; the GPU keeps
 * translating through the adopted tables after every hop.
 */
class StateHandoffTest {

    private static final long SZ_4K = Lpae.SZ_4K;
    private static final long SZ_2M = Lpae.SZ_2M;

    private ModelFixture f;

    @AfterEach
    void close() {
        f.close();
    }

    private VmRef ref(int id) {
        return f.mmu.lookupVm(f.file, id);
    }

    /** A busy device: 2 MiB blocks and a split, a kernel BO, active, idle and faulted VMs, a destroyed but referenced one. */
    private int[] populate() throws GpuFault {
        GemObject bo = f.bo(SZ_2M + 4 * SZ_4K, 4);
        int h = f.file.addGem(bo);
        int[] vm = new int[6];
        for (int i = 1; i <= 5; i++) {
            vm[i] = f.vmCreate();
            assertEquals(0, f.mmu.vmActive(ref(vm[i])));
        }
        f.bind(vm[1], map(h, 0, 0, SZ_2M + 4 * SZ_4K, 0), unmap(SZ_4K, SZ_4K));
        f.bind(vm[2], map(h, 0, 4 * SZ_2M, SZ_2M, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY));
        f.mmu.kernelBoCreate(ref(vm[1]), 2 * SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
                Mmu.KERNEL_AUTO_VA);
        f.mmu.vmIdle(ref(vm[4]));
        f.mmu.vmIdle(ref(vm[2]));
        f.mmu.vmIdle(ref(vm[3]));
        int as5 = f.mmu.vmAs(ref(vm[5]));
        assertThrows(GpuFault.class, () -> f.model.mmu().bus(as5).read64(0x5000));
        int raw = MmuIntRawstat.read(f.model.mmio()).raw();
        MmuIntClear.of(raw).write(f.model.mmio());
        f.mmu.irq(raw);
        VmRef kept = ref(vm[3]);
        f.mmu.vmGet(kept);
        f.mmu.vmDestroy(f.call, vm[3]);
        return vm;
    }

    private void assertGpuTranslates(int vm1, int vm2) throws GpuFault {
        GpuBus bus1 = f.model.mmu().bus(f.mmu.vmAs(ref(vm1)));
        assertEquals(pattern(4, 300, 0), bus1.read64(300 * SZ_4K));
        assertThrows(GpuFault.class, () -> bus1.read64(SZ_4K), "the hole stays a hole");
        assertEquals(pattern(4, 0, 0), bus1.read64(0));
        int as2 = f.mmu.vmAs(ref(vm2));
        if (as2 > 0) {
            assertEquals(pattern(4, 7, 0), f.model.mmu().bus(as2).read64(4 * SZ_2M + 7 * SZ_4K));
        }
    }

    private void hop(String to, MmuState expected) throws Exception {
        long used = f.pages.stats().usedPages();
        f.mmio.writes.clear();
        f.mmio.recording = true;
        MmuState handed = f.swapTo(to);
        f.mmio.recording = false;
        assertEquals(expected, handed, "the state handed over");
        assertEquals(expected, f.mmu.exportState(), to + " exports the state it adopted");
        assertEquals(used, f.pages.stats().usedPages(), "nothing allocated or freed");
        assertTrue(f.mmio.writes.isEmpty(), "no register written");
        assertEquals(to, f.mmu.impl());
    }

    @Test
    void cstyleToRewrittenToCstyleExportsTheSameState() throws Exception {
        f = new ModelFixture("cstyle");
        int[] vm = populate();
        MmuState start = f.mmu.exportState();
        assertTrue(start.vms().stream().anyMatch(MmuState.VmState::unhandledFault), "a faulted VM");
        assertTrue(start.addressSpaces().stream().anyMatch(MmuState.AsSlotState::faulted));

        hop("rewritten", start);
        assertGpuTranslates(vm[1], vm[2]);
        hop("cstyle", start);
        assertGpuTranslates(vm[1], vm[2]);
        hop("rewritten", start);
        assertGpuTranslates(vm[1], vm[2]);
    }

    @Test
    void rewrittenToCstyleToRewrittenExportsTheSameState() throws Exception {
        f = new ModelFixture("rewritten");
        int[] vm = populate();
        MmuState start = f.mmu.exportState();
        hop("cstyle", start);
        assertGpuTranslates(vm[1], vm[2]);
        hop("rewritten", start);
        assertGpuTranslates(vm[1], vm[2]);
    }

    /**
     * The ordering state: C-style's idle order (lruOrder, set when a VM goes idle) becomes the
     * rewritten's activation order, so the VM idle the longest is still evicted first right after
     * a swap; the rewritten exports activation numbers, which C-style takes as its LRU order.
     */
    @Test
    void evictionOrderSurvivesTheSwap() throws Exception {
        f = new ModelFixture("cstyle");
        int[] vm = new int[9];
        for (int i = 1; i <= 8; i++) {
            vm[i] = f.vmCreate();
        }
        for (int i = 1; i <= 7; i++) {
            assertEquals(0, f.mmu.vmActive(ref(vm[i])));
        }
        f.mmu.vmIdle(ref(vm[5]));
        f.mmu.vmIdle(ref(vm[2]));
        f.swapTo("rewritten");
        assertEquals(0, f.mmu.vmActive(ref(vm[8])));
        assertEquals(5, f.mmu.vmAs(ref(vm[8])), "vm5 went idle first: it goes first");
        assertEquals(-1, f.mmu.vmAs(ref(vm[5])));
        f.mmu.vmIdle(ref(vm[8]));
        f.swapTo("cstyle");
        assertEquals(0, f.mmu.vmActive(ref(vm[5])));
        assertEquals(2, f.mmu.vmAs(ref(vm[5])), "vm2 (activated before vm8) goes first");
    }

    @Test
    void unusableVmsAndLeftoverRecordsAreAdopted() throws Exception {
        f = new ModelFixture("cstyle");
        int vm = f.vmCreate();
        MmuState state = f.mmu.exportState();
        List<MmuState.VmState> vms = new ArrayList<>();
        for (MmuState.VmState v : state.vms()) {
            vms.add(new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                    v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(), true,
                    v.unhandledFault(), v.queuedBinds()));
        }
        MmuState unusable = new MmuState(state.version(), state.nextVmKey(), vms, state.addressSpaces(),
                state.lruClock());
        Mmu next = f.newMmu("rewritten");
        next.importState(unusable);
        f.mmu.releaseState();
        f.mmu = next;
        assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_UNUSABLE, f.mmu.vmGetState(f.call, vm));
        assertEquals("unusable", f.mmu.vms().get(0).state());
        assertEquals(unusable, f.mmu.exportState());
        Mmu bad = f.newMmu("rewritten");
        assertThrows(IncompatibleStateException.class, () -> bad.importState(new MmuState(99, 1, List.of(),
                List.of(), 0)));
    }

    @Test
    void kernelBoPagesAreRecoveredFromTheAdoptedTables() throws Exception {
        f = new ModelFixture("cstyle");
        int vm = f.vmCreate();
        KernelMapping k = f.mmu.kernelBoCreate(ref(vm), 3 * SZ_4K, 0, Mmu.KERNEL_AUTO_VA);
        long used = f.pages.stats().usedPages();
        f.swapTo("rewritten");
        f.mmu.kernelBoDestroy(ref(vm), k.gpuVa());
        assertEquals(used - 3, f.pages.stats().usedPages(), "the BO's own pages are freed by the importer");
        f.mmu.vmDestroy(f.call, vm);
        assertEquals(0, f.pages.stats().usedPages());
    }

    /**
     * The MCU VM: named over the table AS0's TRANSTAB points at (the firmware layer's), pinned
     * to AS0, kernel BOs in the shared region past the firmware's own mappings; handed over
     * like any VM.
     */
    @Test
    void theMcuVmIsNamedOverAs0AndHandedOver() throws Exception {
        f = new ModelFixture("rewritten");
        assertEquals(null, f.mmu.mcuVm(), "AS0 not set up yet");
        long root = f.pages.allocPage();
        long fwPage = f.pages.allocPage();
        /* the firmware's own mapping of the shared region's first page, as FwMcuVm writes it */
        driver.mmu.rewritten.vm.PageTable fw = driver.mmu.rewritten.vm.PageTable.adopt(f.model.memory(), f.pages,
                48, root, List.of());
        fw.map(hw.model.csf.CsfLayout.CSF_MCU_SHARED_REGION_START, Lpae.IOMMU_READ | Lpae.IOMMU_WRITE,
                new long[] {fwPage}, 0, SZ_4K);
        hw.model.regs.typed.AsTranstab.of(root).write(f.model.mmio(), 0);
        VmRef mcu = f.mmu.mcuVm();
        assertEquals(mcu, f.mmu.mcuVm(), "named once");
        assertEquals(0, f.mmu.vmAs(mcu));
        assertTrue(f.mmu.addressSpaces().get(0).active());
        KernelMapping k = f.mmu.kernelBoCreate(mcu, SZ_4K, 0, Mmu.KERNEL_AUTO_VA);
        assertEquals(hw.model.csf.CsfLayout.CSF_MCU_SHARED_REGION_START + SZ_4K, k.gpuVa(),
                "past the firmware's own mapping");
        f.mmu.vmIdle(mcu);
        f.mmu.vmPut(mcu);
        assertEquals(0, f.mmu.vmAs(mcu), "the MCU VM keeps AS0 and lives as long as the device");
        MmuState start = f.mmu.exportState();
        hop("cstyle", start);
        hop("rewritten", start);
    }

    /** Files that closed while the state was parked: their VMs go once the importer runs its work. */
    @Test
    void importDropsTheVmsOfFilesThatClosedWhileParkedAndKeepsTheOthers() throws Exception {
        f = new ModelFixture("cstyle");
        GemObject bo = f.bo(SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0));
        MmuState parked = f.mmu.exportState();
        f.mmu.releaseState();

        List<driver.core.api.DrmClientInfo> open = new ArrayList<>();
        open.add(new driver.core.api.DrmClientInfo(7, "renderD128", 100, "mmu-test", false, 0, 0, 0, 1, 0));
        RewrittenMmu keeps = rewrittenWith(open);
        keeps.importState(parked);
        keeps.flushBindQueues();
        assertEquals(1, keeps.vms().size(), "client 7 is open: its VM stays");
        assertEquals(parked, keeps.exportState());
        keeps.releaseState();
        keeps.deactivate();

        RewrittenMmu drops = rewrittenWith(List.of());
        drops.importState(parked);
        drops.flushBindQueues();
        assertTrue(drops.vms().isEmpty(), "client 7 is gone: its VM was destroyed");
        assertEquals(1, bo.refCount(), "and its mapping's BO reference dropped");
        assertEquals(1, f.pages.stats().usedPages(), "only the BO's own page is left");
        drops.deactivate();
    }

    private RewrittenMmu rewrittenWith(List<driver.core.api.DrmClientInfo> clients) {
        driver.core.api.DrmDevice drm = new driver.core.api.DrmDevice() {
            @Override public driver.core.user.UserProcess newProcess(String comm, driver.core.user.Credentials c) {
                throw new UnsupportedOperationException();
            }
            @Override public int uabiVersionMajor() { return 1; }
            @Override public int uabiVersionMinor() { return 8; }
            @Override public List<driver.core.api.DrmClientInfo> clients() { return List.copyOf(clients); }
            @Override public driver.core.kernel.PageAllocator pageAllocator() { return f.pages; }
        };
        return new RewrittenMmu(f.model.mmio(), f.model.memory(), f.model.clock(), f.pages,
                hw.model.regs.typed.GpuMmuFeatures.read(f.model.mmio()).raw(),
                hw.model.regs.typed.GpuAsPresent.read(f.model.mmio()).raw(), drm);
    }
}
