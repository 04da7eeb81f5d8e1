package hw.model.internal.mmu;

import static hw.model.internal.mmu.MmuBlock.AS_COMMAND_FLUSH_MEM;
import static hw.model.internal.mmu.MmuBlock.AS_COMMAND_FLUSH_PT;
import static hw.model.internal.mmu.MmuBlock.AS_COMMAND_LOCK;
import static hw.model.internal.mmu.MmuBlock.AS_COMMAND_UNLOCK;
import static hw.model.internal.mmu.MmuBlock.AS_COMMAND_UPDATE;
import static hw.model.regs.MaliRegs.AS_COMMAND;
import static hw.model.regs.MaliRegs.AS_FAULTADDRESS;
import static hw.model.regs.MaliRegs.AS_FAULTSTATUS;
import static hw.model.regs.MaliRegs.AS_LOCKADDR;
import static hw.model.regs.MaliRegs.AS_MEMATTR;
import static hw.model.regs.MaliRegs.AS_STATUS;
import static hw.model.regs.MaliRegs.AS_TRANSCFG;
import static hw.model.regs.MaliRegs.AS_TRANSTAB;
import static hw.model.regs.MaliRegs.MMU_INT_CLEAR;
import static hw.model.regs.MaliRegs.MMU_INT_MASK;
import static hw.model.regs.MaliRegs.MMU_INT_RAWSTAT;
import static hw.model.regs.MaliRegs.MMU_INT_STAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.IrqLine;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.GpuModel;
import hw.model.internal.MmioBus;
import hw.model.internal.SparseMemory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MMU driven through its registers exactly as Panthor drives it. */
class MmuBlockTest {

    private static final int AS = 3;
    private static final long TABLES = 0x10_0000L;
    private static final long PA_A = 0x1_0000_0000L;
    private static final long PA_B = 0x1_0000_1000L;
    private static final long VA = 0x0000_0012_3456_7000L;
    private static final long TIMEOUT = 100_000_000L;

    private GpuModel model;
    private MmioBus mmio;
    private SparseMemory mem;
    private MmuBlock mmu;
    private PageTableBuilder pt;

    @BeforeEach
    void setUp() {
        model = new GpuModel();
        mmio = model.mmio();
        mem = model.memory();
        mmu = model.mmu();
        pt = new PageTableBuilder(mem, TABLES, 1 << 20);
        mem.write64(PA_A, 0xAAAA_AAAA_0000_0001L);
        mem.write64(PA_B, 0xBBBB_BBBB_0000_0002L);
    }

    @AfterEach
    void tearDown() {
        model.shutdown();
    }

    // ------------------------------------------------------------ panthor-style helpers

    /** wait_ready(): poll AS_STATUS until AS_ACTIVE clears, on the virtual clock. */
    private boolean waitReady(int as) {
        return model.clock().await(() -> (mmio.read32(AS_STATUS(as)) & 1) == 0, TIMEOUT);
    }

    /** write_cmd(): wait_ready, then write AS_COMMAND. */
    private void writeCmd(int as, int cmd) {
        assertTrue(waitReady(as), "AS_ACTIVE stuck before command " + cmd);
        mmio.write32(AS_COMMAND(as), cmd);
    }

    /** lock_region() + the command + wait, as mmu_hw_do_operation_locked (older flavour). */
    private void operation(int as, long start, long size, int op) {
        if (op != AS_COMMAND_UNLOCK) {
            mmio.write64(AS_LOCKADDR(as), MmuBlock.lockAddr(start, size));
            writeCmd(as, AS_COMMAND_LOCK);
        }
        writeCmd(as, op);
        assertTrue(waitReady(as));
    }

    /** panthor_mmu_as_enable(). */
    private void enable(int as, long transtab, long transcfg, long memattr) {
        operation(as, 0, ~0L, AS_COMMAND_FLUSH_MEM);
        mmio.write64(AS_TRANSTAB(as), transtab);
        mmio.write64(AS_MEMATTR(as), memattr);
        mmio.write64(AS_TRANSCFG(as), transcfg);
        writeCmd(as, AS_COMMAND_UPDATE);
        assertTrue(waitReady(as));
    }

    /** panthor_mmu_as_disable(). */
    private void disable(int as) {
        operation(as, 0, ~0L, AS_COMMAND_FLUSH_MEM);
        mmio.write64(AS_TRANSTAB(as), 0);
        mmio.write64(AS_MEMATTR(as), 0);
        mmio.write64(AS_TRANSCFG(as), PageTableWalker.ADRMODE_UNMAPPED);
        writeCmd(as, AS_COMMAND_UPDATE);
        assertTrue(waitReady(as));
    }

    private void enable() {
        enable(AS, pt.root(), PageTableBuilder.transcfg(48), PageTableBuilder.MEMATTR);
    }

    private GpuFault fault(Executable e) {
        return assertThrows(GpuFault.class, e::run);
    }

    interface Executable {
        void run() throws GpuFault;
    }

    // ------------------------------------------------------------ registers and commands

    @Test
    void registersAreMappedPerAddressSpace() {
        assertEquals(8, mmu.addressSpaces());
        assertEquals("AS3_TRANSTAB_LO", mmio.nameAt(0x2400 + (3 << 6)));
        assertEquals("AS7_FAULTEXTRA_HI", mmio.nameAt(0x2400 + (7 << 6) + 0x3C));
        assertEquals("MMU_INT_MASK", mmio.nameAt(0x2008));
        mmio.write64(AS_TRANSTAB(AS), 0x1234_5678_9ABC_D000L);
        assertEquals(0x1234_5678_9ABC_D000L, mmio.read64Raw(AS_TRANSTAB(AS)));
        assertEquals(0, mmio.read64Raw(AS_TRANSTAB(AS - 1)));
        mmio.write32(AS_FAULTSTATUS(AS), 0xFFFF);
        assertEquals(0, mmio.read32(AS_FAULTSTATUS(AS)), "FAULTSTATUS is read-only");
        assertEquals(0, mmio.read32(AS_COMMAND(AS)), "COMMAND reads 0");
    }

    @Test
    void registerWritesTakeEffectOnlyAtUpdate() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        GpuBus bus = mmu.bus(AS);
        mmio.write64(AS_TRANSTAB(AS), pt.root());
        mmio.write64(AS_MEMATTR(AS), PageTableBuilder.MEMATTR);
        mmio.write64(AS_TRANSCFG(AS), PageTableBuilder.transcfg(48));
        assertEquals(0xC0, fault(() -> bus.read64(VA)).exceptionType(), "not latched yet: translation off");
        mmio.write32(MMU_INT_CLEAR, 0xFFFF_FFFF);
        writeCmd(AS, AS_COMMAND_UPDATE);
        assertEquals(0, mmu.snapshot(AS).activeTranstab(), "UPDATE completes later");
        assertTrue(waitReady(AS));
        AsState s = mmu.snapshot(AS);
        assertEquals(pt.root(), s.activeTranstab());
        assertEquals(PageTableBuilder.MEMATTR, s.activeMemattr());
        assertEquals(PageTableBuilder.transcfg(48), s.activeTranscfg());
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA));

        // Re-pointing TRANSTAB without UPDATE changes nothing.
        mmio.write64(AS_TRANSTAB(AS), 0);
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA));
    }

    @Test
    void asActiveIsSetWhileACommandRunsOnTheVirtualClock() {
        long t0 = model.clock().nowNanos();
        mmio.write32(AS_COMMAND(AS), AS_COMMAND_FLUSH_PT);
        assertEquals(1, mmio.read32(AS_STATUS(AS)));
        model.clock().advance(MmuBlock.COMMAND_NANOS[AS_COMMAND_FLUSH_PT] - 1);
        assertEquals(1, mmio.read32(AS_STATUS(AS)));
        model.clock().advance(1);
        assertEquals(0, mmio.read32(AS_STATUS(AS)));
        assertEquals(t0 + 2_000, model.clock().nowNanos());

        mmio.write32(AS_COMMAND(AS), AS_COMMAND_UPDATE);
        assertTrue(waitReady(AS));
        assertEquals(t0 + 3_000, model.clock().nowNanos(), "wait_ready returns when the command completes");
        assertEquals(2, mmu.snapshot(AS).commands());
    }

    @Test
    void nopAndUnknownCommandsDoNothing() {
        mmio.write32(AS_COMMAND(AS), MmuBlock.AS_COMMAND_NOP);
        assertEquals(0, mmio.read32(AS_STATUS(AS)));
        mmio.write32(AS_COMMAND(AS), 0x42);
        assertEquals(0, mmio.read32(AS_STATUS(AS)));
        assertTrue(model.trace().recent(1).get(0).contains("mmu-as-command-invalid"));
    }

    @Test
    void commandWrittenWhileActiveIsDropped() {
        mmio.write64(AS_LOCKADDR(AS), MmuBlock.lockAddr(0x10_0000L, 0x8000));
        mmio.write32(AS_COMMAND(AS), AS_COMMAND_LOCK);
        mmio.write32(AS_COMMAND(AS), AS_COMMAND_UNLOCK); // no wait_ready: lost
        assertTrue(model.trace().recent(1).get(0).contains("mmu-as-command-busy"));
        assertTrue(waitReady(AS));
        assertTrue(mmu.snapshot(AS).locked(), "the UNLOCK was dropped");
        assertEquals(1, mmu.snapshot(AS).commands());
    }

    @Test
    void commandCompletionRaisesNoInterrupt() {
        writeCmd(AS, AS_COMMAND_UPDATE);
        assertTrue(waitReady(AS));
        assertEquals(0, mmio.read32(MMU_INT_RAWSTAT));
        assertEquals(0, mmio.read32(MMU_INT_STAT));
        assertFalse(model.irq().asserted(IrqLine.MMU));
    }

    @Test
    void lockAddrEncodingAndMinimumRegion() {
        assertEquals(14, MmuBlock.lockAddr(0x1000, 0x1000), "32 KiB minimum: log2(32K) - 1");
        assertEquals(0x20_0000L | 20, MmuBlock.lockAddr(0x20_0000L, 0x20_0000L));
        assertEquals(0x40_0000L | 21, MmuBlock.lockAddr(0x5F_F000L, 0x2000), "straddles 6 MiB: a 4 MiB region");
        assertEquals(63, MmuBlock.lockAddr(0, ~0L));

        assertArrayEquals(new long[] {0, 0x7FFF}, MmuBlock.decodeLockAddr(14));
        assertArrayEquals(new long[] {0x1_2340_0000L, 0x1_2340_7FFFL}, MmuBlock.decodeLockAddr(0x1_2340_0000L | 3),
                "a size under 32 KiB is raised to 32 KiB");
        assertArrayEquals(new long[] {0x40_0000L, 0x7F_FFFFL}, MmuBlock.decodeLockAddr(0x5F_F000L | 21),
                "base bits below the size are ignored");
        assertArrayEquals(new long[] {0, -1L}, MmuBlock.decodeLockAddr(63));

        mmio.write64(AS_LOCKADDR(AS), 0x1_2345_6000L | 16);
        writeCmd(AS, AS_COMMAND_LOCK);
        assertTrue(waitReady(AS));
        AsState s = mmu.snapshot(AS);
        assertTrue(s.locked());
        assertEquals(0x1_2344_0000L, s.lockFirst());
        assertEquals(0x1_2345_FFFFL, s.lockLast());
        writeCmd(AS, AS_COMMAND_UNLOCK);
        assertTrue(waitReady(AS));
        assertFalse(mmu.snapshot(AS).locked());
    }

    // ------------------------------------------------------------ TLB

    @Test
    void tlbServesStaleTranslationUntilFlushPtOfCoveringRegion() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA));

        pt.map4k(VA, PA_B, 0); // driver rewrites the PTE and forgets the flush
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA), "TLB still holds the old PA");
        assertEquals(0xAAAA_AAAA_0000_0001L, mmu.bus(AS).read64(VA), "a fresh bus sees the same TLB");

        operation(AS, VA + 0x10_0000L, 0x1000, AS_COMMAND_FLUSH_PT); // flushes the wrong region
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA), "non-covering flush does not help");

        operation(AS, VA, 0x1000, AS_COMMAND_FLUSH_PT);
        assertEquals(0xBBBB_BBBB_0000_0002L, bus.read64(VA));
        assertFalse(mmu.snapshot(AS).locked(), "FLUSH_PT unlocks");
    }

    @Test
    void lockThenUnlockOfCoveringRegionDropsStaleEntries() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA));
        pt.map4k(VA, PA_B, 0);
        // newer panthor: LOCK, update, GPU_CMD cache flush, UNLOCK
        mmio.write64(AS_LOCKADDR(AS), MmuBlock.lockAddr(VA - 0x4000, 0x10000));
        writeCmd(AS, AS_COMMAND_LOCK);
        writeCmd(AS, AS_COMMAND_UNLOCK);
        assertTrue(waitReady(AS));
        assertEquals(0xBBBB_BBBB_0000_0002L, bus.read64(VA));
    }

    @Test
    void flushMemOfCoveringRegionDropsStaleEntries() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        bus.read64(VA);
        pt.unmap(VA, 3);
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA), "unmapped but still in the TLB");
        // FLUSH_MEM without a LOCK flushes the region LOCKADDR describes
        mmio.write64(AS_LOCKADDR(AS), MmuBlock.lockAddr(0, ~0L));
        writeCmd(AS, AS_COMMAND_FLUSH_MEM);
        assertTrue(waitReady(AS));
        GpuFault f = fault(() -> bus.read64(VA));
        assertEquals(0xC3, f.exceptionType());
    }

    @Test
    void updateDropsTheWholeTlb() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        bus.read64(VA);
        assertEquals(1, mmu.snapshot(AS).tlbEntries());
        pt.map4k(VA, PA_B, 0);
        writeCmd(AS, AS_COMMAND_UPDATE);
        assertTrue(waitReady(AS));
        assertEquals(0, mmu.snapshot(AS).tlbEntries());
        assertEquals(0xBBBB_BBBB_0000_0002L, bus.read64(VA));
    }

    @Test
    void flushOfAnyPartOfABlockDropsTheBlockEntries() throws GpuFault {
        long va = 0x2_0000_0000L;
        pt.map2m(va, 0x2_0000_0000L, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        mem.write64(0x2_0000_0000L + 0x10_0000L, 7);
        assertEquals(7, bus.read64(va + 0x10_0000L));
        pt.map2m(va, 0x2_0020_0000L, 0);
        assertEquals(7, bus.read64(va + 0x10_0000L), "stale block translation");
        operation(AS, va + 0x1F_0000L, 0x8000, AS_COMMAND_FLUSH_PT); // inside the block, away from the page
        assertEquals(0, bus.read64(va + 0x10_0000L), "block entry dropped: new PA (zero page)");
    }

    @Test
    void accessesInALockedRegionAreNeverCached() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        mmio.write64(AS_LOCKADDR(AS), MmuBlock.lockAddr(VA, 0x1000));
        writeCmd(AS, AS_COMMAND_LOCK);
        assertTrue(waitReady(AS));
        GpuBus bus = mmu.bus(AS);
        long walks = mmu.snapshot(AS).tlbWalks();
        bus.read64(VA);
        pt.map4k(VA, PA_B, 0); // update under LOCK
        assertEquals(0xBBBB_BBBB_0000_0002L, bus.read64(VA));
        assertEquals(walks + 2, mmu.snapshot(AS).tlbWalks());
        assertEquals(0, mmu.snapshot(AS).tlbEntries());
        writeCmd(AS, AS_COMMAND_UNLOCK);
        assertTrue(waitReady(AS));
        bus.read64(VA);
        assertEquals(1, mmu.snapshot(AS).tlbEntries());
    }

    @Test
    void tlbCountsHitsMissesAndWalks() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        pt.map4k(VA + 0x1000, PA_B, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        bus.read64(VA);
        bus.read64(VA + 8);
        bus.read64(VA + 0x1000);
        bus.read64(VA);
        AsState s = mmu.snapshot(AS);
        assertEquals(2, s.tlbMisses());
        assertEquals(2, s.tlbWalks());
        assertEquals(2, s.tlbHits());
        assertEquals(2, s.tlbEntries());
    }

    @Test
    void writesAndFetchesGoThroughTheTranslation() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        pt.map4k(VA + 0x1000, PA_B + 0x1000, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        bus.write64(VA + 16, 0x1122_3344_5566_7788L);
        bus.write32(VA + 24, 0xCAFE_F00D);
        assertEquals(0x1122_3344_5566_7788L, mem.read64(PA_A + 16));
        assertEquals(0xCAFE_F00D, mem.read32(PA_A + 24));
        assertEquals(0x5566_7788, bus.read32(VA + 16));
        assertEquals(0x1122_3344_5566_7788L, bus.fetch64(VA + 16));
        // a straddling access is split over two (non-contiguous) pages
        bus.write64(VA + 0xFFC, 0x0102_0304_0506_0708L);
        assertEquals(0x0506_0708, mem.read32(PA_A + 0xFFC));
        assertEquals(0x0102_0304, mem.read32(PA_B + 0x1000));
        assertEquals(2, mem.read32(PA_B), "not contiguous in PA");
        assertEquals(0x0102_0304_0506_0708L, bus.read64(VA + 0xFFC));
    }

    // ------------------------------------------------------------ faults and IRQ

    @Test
    void translationFaultLatchesStatusAndRaisesTheIrq() {
        pt.map4k(VA, PA_A, 0);
        enable();
        mmio.write32(MMU_INT_CLEAR, 0xFFFF_FFFF);
        GpuBus bus = mmu.bus(AS);
        long bad = VA + 0x5008;
        GpuFault f = fault(() -> bus.read64(bad));
        assertEquals(AS, f.as());
        assertEquals(bad, f.va());
        assertEquals(0xC3, f.exceptionType());
        assertEquals(GpuFault.ACCESS_READ, f.accessType());
        int status = mmio.read32(AS_FAULTSTATUS(AS));
        assertEquals(0xC3 | (2 << 8) | (MmuBlock.SOURCE_ID_CSF << 16), status);
        assertEquals(bad, mmio.read64Raw(AS_FAULTADDRESS(AS)));
        assertEquals(1 << AS, mmio.read32(MMU_INT_RAWSTAT));
        assertEquals(0, mmio.read32(MMU_INT_STAT), "masked after reset");
        assertFalse(model.irq().asserted(IrqLine.MMU));

        mmio.write32(MMU_INT_MASK, 0xFFFF);
        assertEquals(1 << AS, mmio.read32(MMU_INT_STAT));
        assertTrue(model.irq().asserted(IrqLine.MMU));
        mmio.write32(MMU_INT_CLEAR, 1 << AS);
        assertEquals(0, mmio.read32(MMU_INT_RAWSTAT));
        assertFalse(model.irq().asserted(IrqLine.MMU));
        assertTrue(model.trace().recent(20).stream().anyMatch(l -> l.contains("mmu-fault")));
    }

    @Test
    void laterFaultsDoNotOverwriteAPendingOne() {
        enable();
        GpuBus bus = mmu.bus(AS);
        fault(() -> bus.read64(0x1000));
        GpuFault second = fault(() -> bus.write64(0x2000, 1));
        assertEquals(GpuFault.ACCESS_WRITE, second.accessType());
        assertEquals(0x1000, mmio.read64Raw(AS_FAULTADDRESS(AS)));
        assertEquals(2, (mmio.read32(AS_FAULTSTATUS(AS)) >>> 8) & 3);
        mmio.write32(MMU_INT_CLEAR, 1 << AS);
        fault(() -> bus.write64(0x3000, 1));
        assertEquals(0x3000, mmio.read64Raw(AS_FAULTADDRESS(AS)));
        assertEquals(3, (mmio.read32(AS_FAULTSTATUS(AS)) >>> 8) & 3);
    }

    @Test
    void permissionFaults() throws GpuFault {
        pt.map4k(VA, PA_A, PageTableBuilder.PROT_READONLY);
        pt.map4k(VA + 0x1000, PA_B, PageTableBuilder.PROT_NOEXEC);
        pt.map2m(0x4000_0000L, 0x4000_0000L, PageTableBuilder.PROT_READONLY);
        enable();
        GpuBus bus = mmu.bus(AS);
        assertEquals(0xAAAA_AAAA_0000_0001L, bus.read64(VA), "read of a read-only page is fine");
        GpuFault w = fault(() -> bus.write32(VA, 1));
        assertEquals(0xCB, w.exceptionType());
        assertEquals(GpuFault.ACCESS_WRITE, w.accessType());
        assertEquals(0xAAAA_AAAA_0000_0001L, mem.read64(PA_A), "nothing written");
        assertEquals(0xCB | (3 << 8) | (MmuBlock.SOURCE_ID_CSF << 16), mmio.read32(AS_FAULTSTATUS(AS)));

        mmio.write32(MMU_INT_CLEAR, 0xFFFF);
        bus.write64(VA + 0x1000, 5);
        GpuFault x = fault(() -> bus.fetch64(VA + 0x1000));
        assertEquals(0xCB, x.exceptionType());
        assertEquals(GpuFault.ACCESS_EXECUTE, x.accessType());
        assertEquals((1 << 8) | 0xCB, mmio.read32(AS_FAULTSTATUS(AS)) & 0x3FF);

        mmio.write32(MMU_INT_CLEAR, 0xFFFF);
        GpuFault b = fault(() -> bus.write64(0x4000_8000L, 1));
        assertEquals(0xCA, b.exceptionType(), "permission fault at the block's level");
    }

    @Test
    void unmappedAddressSpaceFaultsEverything() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        bus.read64(VA);
        disable(AS);
        assertEquals(0xC0, fault(() -> bus.read64(VA)).exceptionType());
        assertEquals(0, mmu.snapshot(AS).tlbEntries());
    }

    @Test
    void vaBeyondInaBitsFaultsWithAddressSizeFault() {
        enable(AS, pt.root(), PageTableBuilder.transcfg(48), PageTableBuilder.MEMATTR);
        GpuBus bus = mmu.bus(AS);
        assertEquals(PageTableWalker.ADDR_SIZE_FAULT_IN, fault(() -> bus.read64(1L << 48)).exceptionType());
    }

    @Test
    void walkShowsTheLevelsWithTheLatchedConfiguration() {
        pt.map4k(VA, PA_A, 0);
        enable();
        PageTableWalker.Walk w = mmu.walk(AS, VA + 0x10);
        assertTrue(w.ok());
        assertEquals(PA_A + 0x10, w.pa());
        assertEquals(4, w.steps().size());
        assertEquals(0, mmu.snapshot(AS).tlbEntries(), "a debug walk does not fill the TLB");
        assertEquals(0xC3, mmu.walk(AS, VA + 0x1000).fault());
    }

    // ------------------------------------------------------------ injection and reset

    @Test
    void injectedPageFault() {
        pt.map4k(VA, PA_A, 0);
        enable();
        mmio.write32(MMU_INT_CLEAR, 0xFFFF_FFFF);
        mmio.write32(MMU_INT_MASK, 0xFFFF);
        mmu.injectPageFault(AS, VA + 0x2000);
        assertEquals(0xC3 | (2 << 8) | (MmuBlock.SOURCE_ID_CSF << 16), mmio.read32(AS_FAULTSTATUS(AS)));
        assertEquals(VA + 0x2000, mmio.read64Raw(AS_FAULTADDRESS(AS)));
        assertEquals(1 << AS, mmio.read32(MMU_INT_STAT));
        assertTrue(model.irq().asserted(IrqLine.MMU));
        mmio.write32(MMU_INT_CLEAR, 1 << AS);
        mmu.injectPageFault(AS, 0x7F_0000_0000L);
        assertEquals(0xC1, mmio.read32(AS_FAULTSTATUS(AS)) & 0xFF, "level of the walk that would fail");
    }

    @Test
    void stuckAsActive() {
        mmu.stickAsActive(AS, true);
        assertEquals(List.of("mmu: AS3 AS_ACTIVE stuck"), mmu.armedFaults());
        mmio.write32(AS_COMMAND(AS), AS_COMMAND_UPDATE);
        assertFalse(waitReady(AS), "panthor's wait_ready times out: AS_ACTIVE bit stuck");
        mmu.stickAsActive(AS, false);
        assertEquals(0, mmio.read32(AS_STATUS(AS)));
        assertTrue(mmu.armedFaults().isEmpty());
    }

    @Test
    void resetClearsRegistersTlbAndIrq() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        bus.read64(VA);
        mmio.write32(MMU_INT_MASK, 0xFFFF);
        fault(() -> bus.read64(0x1000));
        mmio.write32(AS_COMMAND(AS), AS_COMMAND_FLUSH_MEM);
        mmu.reset();
        AsState s = mmu.snapshot(AS);
        assertEquals(0, s.transtab());
        assertEquals(0, s.activeTranscfg());
        assertEquals(0, s.faultStatus());
        assertEquals(0, s.status());
        assertEquals(0, s.tlbEntries());
        assertEquals(0, mmio.read32(MMU_INT_RAWSTAT));
        assertEquals(0, mmio.read32(MMU_INT_MASK));
        model.clock().runUntilIdle(TIMEOUT);
        assertEquals(0, mmio.read32(MMU_INT_RAWSTAT), "the cancelled command does not complete");
        assertEquals(0xC0, fault(() -> bus.read64(VA)).exceptionType(), "translation off after reset");
    }

    @Test
    void resetWinsOverACommandCompletionAlreadyUnderWay() throws InterruptedException {
        mmio.write64(AS_TRANSTAB(AS), pt.root());
        mmio.write32(AS_COMMAND(AS), AS_COMMAND_UPDATE);
        Thread mover;
        synchronized (model.lock()) {
            mover = new Thread(() -> model.clock().advance(10_000));
            mover.start();
            while (mover.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait(); // the completion event is running and waits for the model lock
            }
            mmu.reset();
        }
        mover.join();
        assertEquals(0, mmu.snapshot(AS).activeTranstab(), "the completion of a reset command is void");
        assertEquals(0, mmio.read32(MMU_INT_RAWSTAT));
    }

    @Test
    void sameScenarioGivesTheSameTrace() throws GpuFault {
        long first = scenarioHash();
        tearDown();
        setUp();
        assertEquals(first, scenarioHash());
    }

    private long scenarioHash() throws GpuFault {
        pt.map4k(VA, PA_A, 0);
        enable();
        GpuBus bus = mmu.bus(AS);
        bus.read64(VA);
        pt.map4k(VA, PA_B, 0);
        operation(AS, VA, 0x1000, AS_COMMAND_FLUSH_PT);
        bus.read64(VA);
        fault(() -> bus.write64(0x1000, 1));
        return model.trace().hash();
    }
}
