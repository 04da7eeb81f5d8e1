package driver.mmu.rewritten;

import static driver.mmu.rewritten.ModelFixture.map;
import static driver.mmu.rewritten.ModelFixture.pattern;
import static driver.mmu.rewritten.ModelFixture.unmap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.GemObject;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmBindException;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import driver.mmu.rewritten.hw.AsRegisters;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.regs.typed.AsCommand;
import hw.model.regs.typed.AsLockaddr;
import hw.model.regs.typed.GpuCommand;
import hw.model.regs.typed.MmuIntClear;
import hw.model.regs.typed.MmuIntRawstat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rewritten MMU against the model: the C-style MMU's behaviour cases, and what is its own
 * (Tyr's eviction order, the LOCK / update / FLUSH_PT sequence, typed TRANSCFG).
 */
class RewrittenMmuTest {

    private static final long SZ_2M = Lpae.SZ_2M;
    private static final long SZ_4K = Lpae.SZ_4K;
    private final ModelFixture f = new ModelFixture("rewritten");

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
        assertEquals(1L << 47, out.userVaRange(), "user_va_range is the kernel range's start");
        assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, f.mmu.vmGetState(f.call, 1));
        assertEquals(1L << 47, f.mmu.vmCreate(f.call, DrmPanthorVmCreate.ZERO.withUserVaRange(1L << 32)).userVaRange());
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmCreate(f.call,
                DrmPanthorVmCreate.ZERO.withUserVaRange((1L << 48) - (128L << 20)))));
        for (int i = 3; i <= 32; i++) {
            assertEquals(i, f.vmCreate());
        }
        long used = f.pages.stats().usedPages();
        assertEquals(Errno.EBUSY, errnoOf(f::vmCreate));
        assertEquals(used, f.pages.stats().usedPages(), "a refused VM_CREATE leaks nothing");

        f.mmu.vmDestroy(f.call, 5);
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmDestroy(f.call, 5)));
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmGetState(f.call, 5)));
        assertNull(f.mmu.lookupVm(f.file, 5));
        assertEquals(5, f.vmCreate(), "lowest free id is reused");
        f.mmu.fileClosed(f.file);
        assertEquals(0, f.mmu.vms().size());
        assertEquals(0, f.pages.stats().usedPages(), "every page-table page is freed");
    }

    @Test
    void mapReadsTheBoAndUnmapLeavesNoStaleTranslation() throws GpuFault {
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

        f.bind(vm, unmap(va + SZ_4K, SZ_4K));
        assertEquals(va + SZ_4K, assertThrows(GpuFault.class, () -> bus.read64(va + SZ_4K)).va());
        assertEquals(pattern(3, 3, 0), bus.read64(va + 2 * SZ_4K), "the piece after stays mapped");
        assertEquals(2, f.mmu.vms().get(0).mappings(), "the mapping was split in two");
        assertEquals(3, bo.refCount(), "each piece holds a BO reference");
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
        assertEquals(pattern(9, 700, 0), bus.read64(va + 700 * SZ_4K));

        f.bind(vm, unmap(va + 5 * SZ_4K, 2 * SZ_4K));
        walk = f.mmu.walk(ref(vm), va + 4 * SZ_4K);
        assertEquals("page 4K rw", walk.get(walk.size() - 1).meaning(), "the block was split into pages");
        assertThrows(GpuFault.class, () -> bus.read64(va + 5 * SZ_4K));
        assertThrows(GpuFault.class, () -> bus.read64(va + 6 * SZ_4K + 8));
        assertEquals(pattern(9, 4, 0), bus.read64(va + 4 * SZ_4K));
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
        assertEquals(GpuFault.ACCESS_WRITE, assertThrows(GpuFault.class, () -> bus.write64(0x200000L, 1)).accessType());
        bus.write64(0x300000L, 5);
        assertEquals(GpuFault.ACCESS_EXECUTE, assertThrows(GpuFault.class, () -> bus.fetch64(0x300000L)).accessType());
    }

    @Test
    void bindValidationStopsAtTheFailingOpAndLeaksNothing() {
        GemObject bo = f.bo(4 * SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        long kernelStart = 1L << 47;
        VmBindException e = assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0), map(h, 0, kernelStart, SZ_4K, 0)));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(1, e.failedOp());
        assertEquals(1, f.mmu.vms().get(0).mappings(), "op 0 stays done");
        assertEquals(1, assertThrows(VmBindException.class,
                () -> f.bind(vm, unmap(0x1000, SZ_4K), map(h, 0, -SZ_4K, 2 * SZ_4K, 0))).failedOp(), "overflow");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class, () -> f.bind(vm, new DrmPanthorVmBindOp(
                PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, h, 0, 0x1000, SZ_4K, DrmPanthorObjArray.EMPTY))).errno());
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1800, SZ_4K, 0))).errno(), "misaligned");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 2 * SZ_4K, 0x1000, 3 * SZ_4K, 0))).errno(), "beyond the BO");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(99, 0, 0x1000, SZ_4K, 0))).errno(), "unknown BO");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 1 << 5))).errno(), "unknown flag");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE
                        | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC))).errno(), "sparse with a BO");
        f.bind(vm, map(h, 0, 0x1000, 0, 1 << 5));
        assertEquals(1, bo.refCount(), "refused binds leak no BO reference; an empty op does nothing");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.bind(77, unmap(0x1000, SZ_4K))), "unknown VM");
    }

    @Test
    void evictionTakesTheIdleVmActivatedLongestAgo() {
        int[] vm = new int[9];
        for (int i = 1; i <= 8; i++) {
            vm[i] = f.vmCreate();
        }
        for (int i = 1; i <= 7; i++) {
            assertEquals(0, f.mmu.vmActive(ref(vm[i])));
            assertEquals(i, f.mmu.vmAs(ref(vm[i])), "lowest free slot, AS0 reserved");
        }
        assertEquals(-Errno.EBUSY, f.mmu.vmActive(ref(vm[8])), "all AS active");
        f.mmu.vmIdle(ref(vm[3]));
        f.mmu.vmIdle(ref(vm[1]));
        f.mmu.vmIdle(ref(vm[5]));
        /* C-style would evict vm3 (idle the longest); Tyr evicts vm1 (activated first). */
        assertEquals(0, f.mmu.vmActive(ref(vm[8])));
        assertEquals(1, f.mmu.vmAs(ref(vm[8])));
        assertEquals(-1, f.mmu.vmAs(ref(vm[1])));
        assertEquals(0, f.mmu.vmActive(ref(vm[3])), "re-activation keeps the slot");
        assertEquals(3, f.mmu.vmAs(ref(vm[3])));
        assertEquals(0, f.mmu.vmActive(ref(vm[1])));
        assertEquals(5, f.mmu.vmAs(ref(vm[1])), "the only idle one left");
        assertEquals(-Errno.EBUSY, f.mmu.vmActive(ref(vm[5])));
        assertNull(f.mmu.addressSpaces().get(0).vm(), "AS0 stays the MCU's");
    }

    @Test
    void evictionReprogramsTheAsAndDestroyDisablesIt() throws GpuFault {
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
        assertEquals(pattern(12, 0, 0), as2.read64(0x10000L), "AS2 translates the new VM, no stale entry");
        f.mmu.vmIdle(ref(vm[8]));
        f.mmu.vmDestroy(f.call, vm[8]);
        assertEquals(1, b.refCount(), "destroy dropped the mapping's BO reference");
        assertThrows(GpuFault.class, () -> as2.read64(0x10000L), "the AS is disabled");
        assertEquals(0, f.mmu.vmActive(ref(vm[2])));
        assertEquals(2, f.mmu.vmAs(ref(vm[2])), "the freed slot is taken again");
        assertEquals(pattern(11, 0, 0), as2.read64(0x10000L));
    }

    /**
     * Tyr's sequence: LOCK the region, update, FLUSH_PT; no GPU_CMD cache flush, no UNLOCK (on
     * this MMU FLUSH_PT unlocks). A remap is seen at once although the TLB held the old page.
     */
    @Test
    void bindUsesLockThenFlushPtAndNoStaleTranslationSurvives() throws GpuFault {
        GemObject a = f.bo(SZ_4K, 1);
        GemObject b = f.bo(SZ_4K, 2);
        int ha = f.file.addGem(a);
        int hb = f.file.addGem(b);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int as = f.mmu.vmAs(ref(vm));
        f.bind(vm, map(ha, 0, 0x400000L, SZ_4K, 0));
        assertEquals(pattern(1, 0, 0), bus.read64(0x400000L));
        assertTrue(f.model.mmu().tlb(as).lookup(0x400000L >>> 12) != null, "the TLB holds the old page");

        f.mmio.recording = true;
        f.bind(vm, map(hb, 0, 0x400000L, SZ_4K, 0));
        f.mmio.recording = false;
        List<Integer> commands = f.mmio.writes.stream().filter(w -> w[0] == AsCommand.offset(as))
                .map(w -> (int) w[1]).toList();
        assertEquals(List.of(AsCommand.Command.LOCK.value(), AsCommand.Command.FLUSH_PT.value()), commands);
        assertTrue(f.mmio.writes.stream().noneMatch(w -> w[0] == GpuCommand.OFFSET), "no GPU_CMD cache flush");
        assertEquals(Lpae.lockRegion(0x400000L, SZ_4K), AsLockaddr.read(f.model.mmio(), as).raw());
        assertFalse(f.model.mmu().snapshot(as).locked(), "FLUSH_PT unlocked the region");
        assertEquals(pattern(2, 0, 0), bus.read64(0x400000L), "the TLB does not serve the old page");
        assertEquals(1, a.refCount(), "the replaced mapping dropped its BO reference");
    }

    /** The TLB check can fail: a page-table change without the flush leaves the old translation in use. */
    @Test
    void withoutTheFlushTheModelTlbServesTheOldPage() throws GpuFault {
        GemObject a = f.bo(SZ_4K, 1);
        GemObject b = f.bo(SZ_4K, 2);
        int ha = f.file.addGem(a);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        f.bind(vm, map(ha, 0, 0x400000L, SZ_4K, 0));
        assertEquals(pattern(1, 0, 0), bus.read64(0x400000L));
        WalkLine leaf = last(f.mmu.walk(ref(vm), 0x400000L));
        long remapped = (leaf.entry() & ~Lpae.PTE_ADDR_MASK) | b.pages()[0];
        f.model.memory().write64(leaf.tableAddress() + 8L * leaf.index(), remapped);
        assertEquals(pattern(1, 0, 0), bus.read64(0x400000L), "stale: no flush after the table write");
        new AsRegisters(f.model.mmio(), f.model.clock()).lock(f.mmu.vmAs(ref(vm)), 0x400000L, SZ_4K);
        new AsRegisters(f.model.mmio(), f.model.clock()).command(f.mmu.vmAs(ref(vm)), AsCommand.Command.FLUSH_PT);
        assertEquals(pattern(2, 0, 0), bus.read64(0x400000L), "LOCK + FLUSH_PT dropped it");
    }

    private static WalkLine last(List<WalkLine> walk) {
        return walk.get(walk.size() - 1);
    }

    @Test
    void typedTranscfgMatchesTheSharedEncoder() {
        assertEquals(Lpae.transcfg(48, false), AsRegisters.transcfg(48, false).raw());
        assertEquals(Lpae.transcfg(48, true), AsRegisters.transcfg(48, true).raw());
        assertEquals(Lpae.transcfg(39, false), AsRegisters.transcfg(39, false).raw());
    }

    @Test
    void kernelBosAutoVaFirstFitAndDestroy() throws GpuFault {
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        long kernelStart = 1L << 47;
        KernelMapping k1 = f.mmu.kernelBoCreate(ref(vm), 2 * SZ_4K, 0, Mmu.KERNEL_AUTO_VA);
        KernelMapping k2 = f.mmu.kernelBoCreate(ref(vm), SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
                Mmu.KERNEL_AUTO_VA);
        assertEquals(kernelStart, k1.gpuVa());
        assertEquals(kernelStart + 2 * SZ_4K, k2.gpuVa());
        k1.write64(SZ_4K + 8, 0x55L);
        assertEquals(0x55L, bus.read64(kernelStart + SZ_4K + 8));
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.kernelBoCreate(ref(vm), SZ_4K, 0, kernelStart)), "busy");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.kernelBoDestroy(ref(vm), kernelStart + SZ_4K)), "not a start");
        long used = f.pages.stats().usedPages();
        f.mmu.kernelBoDestroy(ref(vm), kernelStart);
        assertEquals(used - 2, f.pages.stats().usedPages(), "the kernel BO's pages are freed");
        assertThrows(GpuFault.class, () -> bus.read64(kernelStart));
        assertEquals(kernelStart, f.mmu.kernelBoCreate(ref(vm), SZ_4K, 0, Mmu.KERNEL_AUTO_VA).gpuVa(), "first fit");
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
        int raw = MmuIntRawstat.read(f.model.mmio()).raw();
        assertTrue(MmuIntRawstat.of(raw).pageFault(as));
        MmuIntClear.of(raw).write(f.model.mmio());
        f.mmu.irq(raw);
        assertTrue(f.mmu.vmHasUnhandledFaults(ref(vm)));
        assertEquals(0, f.mmu.irqMask() & (1 << as), "the faulty AS is masked");
        assertTrue(f.mmu.addressSpaces().get(as).faulted());
        assertEquals("faulted", f.mmu.vms().get(0).state());
        assertThrows(GpuFault.class, () -> bus.read64(0x20000L), "the AS is disabled");
        assertEquals(0, f.mmu.vmActive(ref(vm)), "still active: nothing changes");
        assertTrue(f.mmu.vmHasUnhandledFaults(ref(vm)));
        f.mmu.vmIdle(ref(vm));
        f.mmu.vmIdle(ref(vm));
        assertEquals(0, f.mmu.vmActive(ref(vm)));
        assertEquals(as, f.mmu.vmAs(ref(vm)), "the VM kept its slot");
        assertFalse(f.mmu.vmHasUnhandledFaults(ref(vm)), "re-activation clears the fault");
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
        AsCommand.zero().withCommand(AsCommand.Command.UPDATE).write(f.model.mmio(), as);
        VmBindException e = assertThrows(VmBindException.class, () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0)));
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertEquals(0, e.failedOp());
        assertEquals(0, f.mmu.vms().get(0).mappings());
        assertEquals(1, bo.refCount());
        f.model.mmu().stickAsActive(as, false);
    }

    @Test
    void suspendAndResetForgetTheAddressSpaces() throws GpuFault {
        GemObject bo = f.bo(SZ_4K, 5);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0));
        f.mmu.vmIdle(ref(vm));
        f.mmu.suspend();
        assertEquals(-1, f.mmu.vmAs(ref(vm)));
        assertThrows(GpuFault.class, () -> bus.read64(0x1000), "suspend disabled the AS");
        f.mmu.resume();
        assertEquals(0, f.mmu.vmActive(ref(vm)));
        assertEquals(pattern(5, 0, 0), f.model.mmu().bus(f.mmu.vmAs(ref(vm))).read64(0x1000));
        f.mmu.postReset();
        assertEquals(-1, f.mmu.vmAs(ref(vm)));
    }

    /** A kernel BO at a user VA cut by a user UNMAP: each piece frees only its own pages. */
    @Test
    void kernelBoPiecesOwnTheirPages() {
        int vm = f.vmCreate();
        long used = f.pages.stats().usedPages();
        f.mmu.kernelBoCreate(ref(vm), 4 * SZ_4K, 0, 0x100000L);
        f.bind(vm, unmap(0x101000L, SZ_4K));
        assertEquals(used + 4 + 3 - 1, f.pages.stats().usedPages(), "3 new table levels; the cut page is freed");
        f.bind(vm, unmap(0x100000L, 4 * SZ_4K));
        assertEquals(used + 3, f.pages.stats().usedPages(), "every page freed once, tables stay");
        assertEquals(0, f.mmu.vms().get(0).mappings());
    }

    /** Sparse: every page reads the VM's zeroed dummy page; partial unmaps keep the rest. */
    @Test
    void sparseMappingsShareTheDummyPage() throws GpuFault {
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int sparse = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
        int tables = f.mmu.vms().get(0).pageTablePages();
        f.bind(vm, map(0, 0, 0x200000L, 8 * SZ_4K, sparse));
        assertEquals(tables + 3 + 1, f.mmu.vms().get(0).pageTablePages(), "3 table levels and the dummy page");
        assertEquals(0L, bus.read64(0x203000L));
        bus.write64(0x201000L, 7);
        assertEquals(7L, bus.read64(0x205000L), "one dummy page behind every sparse page");
        assertEquals(GpuFault.ACCESS_EXECUTE, assertThrows(GpuFault.class, () -> bus.fetch64(0x200000L)).accessType());
        f.bind(vm, unmap(0x202000L, SZ_4K));
        assertThrows(GpuFault.class, () -> bus.read64(0x202000L));
        assertEquals(2, f.mmu.vms().get(0).mappings());
        assertEquals(null, f.mmu.exportState().vms().get(0).mappings().get(0).bo(), "a sparse mapping has no BO");
    }
}
