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
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.mmu.rewritten.hw.AsRegisters;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.regs.typed.AsCommand;
import hw.model.regs.typed.AsLockaddr;
import hw.model.regs.typed.GpuCommand;
import java.util.List;
import org.junit.jupiter.api.Test;
import panthor.testkit.mmu.MmuVmContract;

/**
 * The rewritten MMU against the model: testkit's VM contract ({@link MmuVmContract}), and what
 * is its own (Tyr's eviction order, the LOCK / update / FLUSH_PT sequence, typed TRANSCFG,
 * kernel BOs, sparse mappings, suspend and reset).
 */
class RewrittenMmuTest extends MmuVmContract<ModelFixture> {

    @Override
    protected ModelFixture newFixture() {
        return new ModelFixture("rewritten");
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

    /**
     * A dummy page with no sparse mapping left to name it is adopted unknown and looked for at
     * the first sparse map after the swap: still the unreachable owned page, even after the new
     * owner linked new tables.
     */
    @Test
    void anAdoptedDummyPageIsFoundAtTheFirstSparseMapAfterTheSwap() throws Exception {
        int vm = f.vmCreate();
        int sparse = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
        f.bind(vm, map(0, 0, 0x200000L, SZ_4K, sparse));
        long dummy = Lpae.address(last(f.mmu.walk(ref(vm), 0x200000L)).entry());
        f.bind(vm, unmap(0x200000L, SZ_4K));
        f.swapTo("rewritten");
        int h = f.file.addGem(f.bo(SZ_4K, 1));
        f.bind(vm, map(h, 0, 0x40000000L, SZ_4K, 0));
        long used = f.pages.stats().usedPages();
        f.bind(vm, map(0, 0, 0x201000L, SZ_4K, sparse));
        assertEquals(dummy, Lpae.address(last(f.mmu.walk(ref(vm), 0x201000L)).entry()), "the adopted dummy page");
        assertEquals(used, f.pages.stats().usedPages(), "no second dummy page");
    }

    /** The range translation used to adopt kernel mappings gives what a walk per page gives. */
    @Test
    void physicalPagesOfARangeMatchTheTranslationOfEachPage() {
        driver.mmu.rewritten.vm.PageTable table = driver.mmu.rewritten.vm.PageTable.create(f.model.memory(), f.pages, 48);
        long[] backing = f.bo(8 * SZ_4K, 3).pages();
        long va = 0x1ff000L;
        for (int i = 0; i < backing.length; i += 2) {
            table.map(va + i * SZ_4K, Lpae.IOMMU_READ, new long[] {backing[i]}, 0, SZ_4K);
        }
        long[] pages = table.physicalPages(va, 10 * SZ_4K);
        for (int i = 0; i < pages.length; i++) {
            long expected = table.translate(va + i * SZ_4K).map(driver.mmu.rewritten.vm.PageTable.Translation::physicalAddress)
                    .orElse(0L);
            assertEquals(expected, pages[i], "page " + i);
        }
        assertEquals(backing[0], pages[0]);
        assertEquals(0L, pages[1], "a hole reads 0");
        table.release();
    }
}
