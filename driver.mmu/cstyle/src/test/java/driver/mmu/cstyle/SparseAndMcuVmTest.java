package driver.mmu.cstyle;

import static driver.mmu.cstyle.MmuFixture.unmap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DrmClientInfo;
import driver.core.api.DrmDevice;
import driver.core.kernel.GemObject;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmBindException;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.UserProcess;
import hw.model.csf.CsfLayout;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.regs.MaliRegs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MAP_SPARSE, the MCU VM named through the contract, and the post-import sweep of closed files' VMs. */
class SparseAndMcuVmTest {

    private static final long SZ_4K = Lpae.SZ_4K;
    private static final int SPARSE = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
    private static final int NOEXEC = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
    private final MmuFixture f = new MmuFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private VmRef ref(int id) {
        return f.mmu.lookupVm(f.file, id);
    }

    private static DrmPanthorVmBindOp sparse(long va, long size, int flags) {
        return new DrmPanthorVmBindOp(flags, 0, 0, va, size, DrmPanthorObjArray.EMPTY);
    }

    private long leafPa(int vm, long va) {
        return leafPa(f.mmu, vm, va);
    }

    /** The state handed to a new C-style MMU, as a swap does; the old one lets go. */
    private PanthorMmu handOver(MmuState state) throws Exception {
        PanthorMmu next = f.newMmu();
        next.importState(state);
        f.mmu.releaseState();
        return next;
    }

    /** A synchronous VM_BIND of one op on {@code mmu}. */
    private void bindOn(PanthorMmu mmu, int vm, DrmPanthorVmBindOp op) {
        mmu.vmBind(f.call, new driver.core.uapi.DrmPanthorVmBind(vm, 0, DrmPanthorObjArray.EMPTY), List.of(op));
    }

    /** The physical address {@code mmu}'s walk of {@code va} ends at. */
    private long leafPa(Mmu mmu, int vm, long va) {
        List<WalkLine> walk = mmu.walk(mmu.lookupVm(f.file, vm), va);
        return Lpae.address(walk.get(walk.size() - 1).entry());
    }

    @Test
    void sparseMapPointsEveryPageAtOneZeroedDummyPage() throws GpuFault {
        int vm = f.vmCreate();
        assertEquals(0, f.mmu.vmActive(ref(vm)));
        GpuBus bus = f.model.mmu().bus(f.mmu.vmAs(ref(vm)));
        long va = 0x100000L;
        f.bind(vm, sparse(va, 16 * SZ_4K, SPARSE | NOEXEC));
        assertEquals(0L, bus.read64(va + 5 * SZ_4K + 64), "unbacked reads do not fault");
        assertEquals(leafPa(vm, va), leafPa(vm, va + 15 * SZ_4K), "cyclic over one dummy page");
        bus.write64(va + 8, 0x55L);
        assertEquals(0x55L, bus.read64(va + 3 * SZ_4K + 8), "undefined values: the dummy is shared");
        assertThrows(GpuFault.class, () -> bus.fetch64(va), "sparse ranges are NOEXEC");

        f.bind(vm, unmap(va + 4 * SZ_4K, 4 * SZ_4K));
        assertThrows(GpuFault.class, () -> bus.read64(va + 5 * SZ_4K));
        bus.read64(va + 9 * SZ_4K);
        assertEquals(2, f.mmu.vms().get(0).mappings(), "the sparse vma was split");

        GemObject bo = f.bo(SZ_4K, 4);
        int h = f.file.addGem(bo);
        f.bind(vm, MmuFixture.map(h, 0, va, SZ_4K, 0));
        assertEquals(MmuFixture.pattern(4, 0, 0), bus.read64(va), "a real BO replaces a sparse page");
    }

    @Test
    void sparseValidation() {
        int vm = f.vmCreate();
        GemObject bo = f.bo(SZ_4K, 1);
        int h = f.file.addGem(bo);
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, sparse(0x1000, SZ_4K, SPARSE))).errno(), "needs NOEXEC");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, new DrmPanthorVmBindOp(SPARSE | NOEXEC, h, 0, 0x1000, SZ_4K,
                        DrmPanthorObjArray.EMPTY))).errno(), "no BO");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, new DrmPanthorVmBindOp(SPARSE | NOEXEC, 0, SZ_4K, 0x1000, SZ_4K,
                        DrmPanthorObjArray.EMPTY))).errno(), "no BO offset");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, sparse(1L << 47, SZ_4K, SPARSE | NOEXEC))).errno(), "not in the kernel range");
        assertEquals(0, f.mmu.vms().get(0).mappings());
        assertEquals(1, f.mmu.vms().get(0).pageTablePages(), "no dummy page for a refused bind");
    }

    @Test
    void sparseMappingsSurviveTheHandOverWithTheirDummyPage() throws Exception {
        int vm = f.vmCreate();
        f.bind(vm, sparse(0x200000L, 2 * SZ_4K, SPARSE | NOEXEC));
        long dummy = leafPa(vm, 0x200000L);
        MmuState state = f.mmu.exportState();
        assertNull(state.vms().get(0).mappings().get(0).bo(), "a sparse mapping has no BO");
        assertTrue(state.vms().get(0).pageTablePages().contains(dummy), "the dummy page is the VM's");
        PanthorMmu next = handOver(state);
        try {
            long used = f.pages.stats().usedPages();
            bindOn(next, vm, sparse(0x204000L, SZ_4K, SPARSE | NOEXEC));
            assertEquals(dummy, leafPa(next, vm, 0x204000L), "the adopted dummy is reused");
            assertEquals(used, f.pages.stats().usedPages(), "same level-3 table, same dummy page");
            next.vmDestroy(f.call, vm);
            assertEquals(0, f.pages.stats().usedPages(), "the dummy page is freed with the VM");
        } finally {
            next.deactivate();
        }
    }

    /** Maps one sparse page and unmaps it again: the VM keeps its dummy page, which nothing reaches. */
    private long sparseMapThenUnmap(int vm) {
        f.bind(vm, sparse(0x200000L, SZ_4K, SPARSE | NOEXEC));
        long dummy = leafPa(vm, 0x200000L);
        f.bind(vm, unmap(0x200000L, SZ_4K));
        return dummy;
    }

    @Test
    void theDummyPageIsFoundAfterAHandOverEvenWithNoSparseMappingLeft() throws Exception {
        int vm = f.vmCreate();
        long dummy = sparseMapThenUnmap(vm);
        PanthorMmu next = handOver(f.mmu.exportState());
        try {
            long used = f.pages.stats().usedPages();
            bindOn(next, vm, sparse(0x201000L, SZ_4K, SPARSE | NOEXEC));
            assertEquals(dummy, leafPa(next, vm, 0x201000L), "the owned, unreachable page");
            assertEquals(used, f.pages.stats().usedPages(), "no second dummy page");
        } finally {
            next.deactivate();
        }
    }

    @Test
    void theDummyPageIsStillFoundWhenTablesWereAddedAfterTheHandOver() throws Exception {
        int vm = f.vmCreate();
        long dummy = sparseMapThenUnmap(vm);
        PanthorMmu next = handOver(f.mmu.exportState());
        try {
            GemObject bo = f.bo(SZ_4K, 1);
            int h = f.file.addGem(bo);
            bindOn(next, vm, MmuFixture.map(h, 0, 0x40000000L, SZ_4K, 0));
            long used = f.pages.stats().usedPages();
            bindOn(next, vm, sparse(0x201000L, SZ_4K, SPARSE | NOEXEC));
            assertEquals(dummy, leafPa(next, vm, 0x201000L),
                    "the adopted dummy page, looked for only now, past the tables the new mapping added");
            assertEquals(used, f.pages.stats().usedPages(), "no second dummy page");
        } finally {
            next.deactivate();
        }
    }

    @Test
    void aKernelBoCutByAUserUnmapFreesEachPageOnce() {
        int vm = f.vmCreate();
        KernelMapping k = f.mmu.kernelBoCreate(ref(vm), 4 * SZ_4K, NOEXEC, 0x800000L);
        long[] backing = k.pages();
        f.bind(vm, unmap(0x801000L, SZ_4K));
        assertEquals(2, f.mmu.vms().get(0).mappings(), "two pieces");
        assertTrue(!f.pages.isAllocated(backing[1]), "the unmapped page is freed");
        assertTrue(f.pages.isAllocated(backing[0]) && f.pages.isAllocated(backing[2]));
        f.bind(vm, unmap(0x800000L, 4 * SZ_4K));
        assertTrue(!f.pages.isAllocated(backing[0]) && !f.pages.isAllocated(backing[3]));
        f.mmu.vmDestroy(f.call, vm);
        assertEquals(0, f.pages.stats().usedPages(), "nothing freed twice, nothing leaked");
    }

    /** Sets AS0 up the way the firmware layer does (a level-0 table, one page mapped at the shared region). */
    private long bootFirmwareAs0() {
        PageAllocator pages = f.pages;
        long l0 = pages.allocPage();
        long l1 = pages.allocPage();
        long l2 = pages.allocPage();
        long l3 = pages.allocPage();
        long shared = pages.allocPage();
        for (long t : new long[] {l0, l1, l2, l3}) {
            f.model.memory().zero(t, 4096);
        }
        long va = CsfLayout.CSF_MCU_SHARED_REGION_START;
        f.model.memory().write64(l0 + 8L * Lpae.index(va, 0), Lpae.table(l1));
        f.model.memory().write64(l1 + 8L * Lpae.index(va, 1), Lpae.table(l2));
        f.model.memory().write64(l2 + 8L * Lpae.index(va, 2), Lpae.table(l3));
        f.model.memory().write64(l3 + 8L * Lpae.index(va, 3),
                Lpae.leaf(shared, Lpae.IOMMU_READ | Lpae.IOMMU_WRITE | Lpae.IOMMU_NOEXEC, 3));
        f.model.mmio().write64(MaliRegs.AS_TRANSTAB(0), l0);
        return l0;
    }

    @Test
    void mcuVmNamesTheFirmwaresAs0AndMapsKernelBosAroundTheFirmwaresPages() {
        assertNull(f.mmu.mcuVm(), "no MCU VM before the firmware set AS0 up");
        long pgd = bootFirmwareAs0();
        VmRef mcu = f.mmu.mcuVm();
        assertNotNull(mcu);
        assertSame(mcu, f.mmu.mcuVm());
        assertEquals(0, f.mmu.vmAs(mcu));
        assertEquals(mcu, f.mmu.addressSpaces().get(0).vm());
        assertEquals(0, f.mmu.vms().get(0).clientId());
        assertEquals(pgd, f.mmu.exportState().vms().get(0).pgd());

        KernelMapping suspendBuf = f.mmu.kernelBoCreate(mcu, 2 * SZ_4K, NOEXEC, Mmu.KERNEL_AUTO_VA);
        assertEquals(CsfLayout.CSF_MCU_SHARED_REGION_START + SZ_4K, suspendBuf.gpuVa(),
                "auto-VA skips the firmware's own page");
        List<WalkLine> walk = f.mmu.walk(mcu, suspendBuf.gpuVa());
        assertEquals("page 4K rw xn", walk.get(walk.size() - 1).meaning());

        f.mmu.vmIdle(mcu);
        f.mmu.vmPut(mcu);
        assertEquals(0, f.mmu.vmAs(mcu), "the MCU VM never leaves AS0");
        int vms[] = new int[8];
        for (int i = 1; i < 8; i++) {
            vms[i] = f.vmCreate();
            assertEquals(0, f.mmu.vmActive(ref(vms[i])));
        }
        int extra = f.vmCreate();
        assertEquals(-Errno.EBUSY, f.mmu.vmActive(ref(extra)), "AS0 is not evictable");
        assertEquals(pgd, ((hw.model.api.Mmio) f.model.mmio()).read64Raw(MaliRegs.AS_TRANSTAB(0)));
    }

    @Test
    void importDropsTheVmsOfFilesThatClosedWhileParked() throws Exception {
        GemObject bo = f.bo(SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        f.bind(vm, MmuFixture.map(h, 0, 0x1000, SZ_4K, 0));
        MmuState parked = f.mmu.exportState();
        f.mmu.releaseState();

        List<DrmClientInfo> open = new ArrayList<>();
        PanthorMmu next = new PanthorMmu(f.model.mmio(), f.model.memory(), f.model.clock(), f.pages,
                f.model.mmio().read32(MaliRegs.GPU_MMU_FEATURES), f.model.mmio().read32(MaliRegs.GPU_AS_PRESENT),
                drmWithClients(open));
        try {
            next.importState(parked);
            next.flushBindQueues();
            assertTrue(next.vms().isEmpty(), "client 7 is gone: its VM was destroyed");
            assertEquals(1, bo.refCount(), "and its mapping's BO reference dropped");
            assertEquals(1, f.pages.stats().usedPages(), "only the BO's own page is left");
        } finally {
            next.deactivate();
        }
    }

    @Test
    void importKeepsTheVmsOfOpenFiles() throws Exception {
        int vm = f.vmCreate();
        MmuState parked = f.mmu.exportState();
        f.mmu.releaseState();
        List<DrmClientInfo> open = new ArrayList<>();
        open.add(new DrmClientInfo(7, "renderD128", 100, "mmu-test", false, 0, 0, 0, 1, 0));
        PanthorMmu next = new PanthorMmu(f.model.mmio(), f.model.memory(), f.model.clock(), f.pages,
                f.model.mmio().read32(MaliRegs.GPU_MMU_FEATURES), f.model.mmio().read32(MaliRegs.GPU_AS_PRESENT),
                drmWithClients(open));
        try {
            next.importState(parked);
            next.flushBindQueues();
            assertEquals(1, next.vms().size());
            assertNotEquals(null, next.lookupVm(f.file, vm));
        } finally {
            next.deactivate();
        }
    }

    private DrmDevice drmWithClients(List<DrmClientInfo> clients) {
        return new DrmDevice() {
            @Override public UserProcess newProcess(String comm, Credentials credentials) {
                throw new UnsupportedOperationException();
            }
            @Override public int uabiVersionMajor() { return 1; }
            @Override public int uabiVersionMinor() { return 8; }
            @Override public List<DrmClientInfo> clients() { return List.copyOf(clients); }
            @Override public PageAllocator pageAllocator() { return f.pages; }
        };
    }
}
