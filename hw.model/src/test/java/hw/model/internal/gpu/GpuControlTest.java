package hw.model.internal.gpu;

import static hw.model.internal.gpu.GpuControl.*;
import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.Interrupts;
import hw.model.api.IrqLine;
import hw.model.internal.GpuModel;
import hw.model.internal.MmioBus;
import hw.model.internal.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GpuControlTest {

    private GpuModel model;
    private MmioBus mmio;
    private VirtualClock clock;

    @BeforeEach
    void setUp() {
        model = new GpuModel();
        mmio = model.mmio();
        clock = model.clock();
    }

    @AfterEach
    void tearDown() {
        model.shutdown();
    }

    private int raw() {
        return mmio.read32(GPU_INT_RAWSTAT);
    }

    private long read64(int lo) {
        return mmio.read64Raw(lo);
    }

    private void powerOnL2() {
        mmio.write32(L2_PWRON_LO, 1);
        clock.advance(L2_POWER_NANOS);
        assertEquals(1, read64(L2_READY_LO));
    }

    // --- reset ---------------------------------------------------------------------------------

    @Test
    void softResetCompletesAfterDelayAndResetsEverything() {
        AtomicInteger hooks = new AtomicInteger();
        List<String> order = new ArrayList<>();
        model.onReset(() -> order.add("mmu"));
        model.onReset(() -> order.add("csf"));
        model.onReset(hooks::incrementAndGet);

        powerOnL2();
        mmio.write32(SHADER_PWRON_LO, 0x5_0005);
        clock.advance(CORE_POWER_NANOS);
        mmio.write32(GPU_COHERENCY_PROTOCOL, GPU_COHERENCY_NONE);
        mmio.write64(GPU_TIMESTAMP_OFFSET_LO, 0x1234_5678_9abcL);
        mmio.write32(GPU_PWR_KEY, GPU_PWR_KEY_UNLOCK);
        mmio.write32(GPU_PWR_OVERRIDE0, 0x55);
        synchronized (model.lock()) {
            model.gpu().reportFault(0x88, 0xdead_b000L);
        }
        mmio.write32(GPU_INT_MASK, 0xFFFF_FFFF);
        mmio.write32(GPU_INT_CLEAR, 0xFFFF_FFFF);

        mmio.write32(GPU_CMD, GPU_SOFT_RESET);
        assertTrue(model.gpu().resetInProgress());
        clock.advance(SOFT_RESET_NANOS - 1);
        assertEquals(0, raw() & GPU_IRQ_RESET_COMPLETED, "reset completed too early");
        assertEquals(0, hooks.get());
        assertEquals(0x5_0005L, read64(SHADER_READY_LO), "power state changed before the reset completed");

        clock.advance(1);
        assertEquals(GPU_IRQ_RESET_COMPLETED, raw(), "RAWSTAT after reset");
        assertEquals(1, hooks.get());
        assertEquals(List.of("mmu", "csf"), order);
        assertFalse(model.gpu().resetInProgress());
        assertEquals(0, read64(L2_READY_LO));
        assertEquals(0, read64(SHADER_READY_LO));
        assertEquals(0, read64(SHADER_PWRTRANS_LO));
        assertEquals(GPU_COHERENCY_ACE_LITE, mmio.read32(GPU_COHERENCY_PROTOCOL));
        assertEquals(0, read64(GPU_TIMESTAMP_OFFSET_LO));
        assertEquals(0, mmio.read32(GPU_PWR_OVERRIDE0));
        assertEquals(0, mmio.read32(GPU_FAULT_STATUS));
        assertEquals(0, read64(GPU_FAULT_ADDR_LO));
        assertEquals(0, mmio.read32(GPU_STATUS));
        assertEquals(0xFFFF_FFFF, mmio.read32(GPU_INT_MASK), "GPU_INT_MASK survives the reset");
    }

    @Test
    void hardResetTakesLongerAndCommandsDuringResetAreIgnored() {
        mmio.write32(GPU_CMD, GPU_HARD_RESET);
        mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN, CACHE_NONE, CACHE_NONE));
        mmio.write32(L2_PWRON_LO, 1);
        clock.advance(SOFT_RESET_NANOS);
        assertEquals(0, raw() & GPU_IRQ_RESET_COMPLETED);
        clock.advance(HARD_RESET_NANOS - SOFT_RESET_NANOS);
        assertEquals(GPU_IRQ_RESET_COMPLETED, raw());
        clock.advance(1_000_000);
        assertEquals(0, raw() & GPU_IRQ_CLEAN_CACHES_COMPLETED, "flush written during the reset ran");
        assertEquals(0, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        assertEquals(0, read64(L2_READY_LO), "power cleared by the reset");
        assertEquals(1, model.gpu().resetCount());
    }

    @Test
    void unknownResetPayloadAndCommandTypesAreIgnored() {
        mmio.write32(GPU_CMD, GPU_CMD_DEF(GPU_CMD_TYPE_RESET, 3));
        mmio.write32(GPU_CMD, 0x42);
        mmio.write32(GPU_CMD, GPU_CMD_TYPE_NOP);
        assertEquals(0, clock.pendingEvents());
        clock.advance(1_000_000);
        assertEquals(0, raw());
    }

    // --- power -----------------------------------------------------------------------------------

    @Test
    void l2PowerOnGoesThroughPwrtransThenReady() {
        mmio.write32(L2_PWRON_LO, 0xFF);
        assertEquals(1, read64(L2_PWRTRANS_LO), "only present L2 bits transition");
        assertEquals(0, read64(L2_READY_LO));
        assertEquals(GPU_STATUS_PWR_ACTIVE, mmio.read32(GPU_STATUS));
        clock.advance(L2_POWER_NANOS - 1);
        assertEquals(1, read64(L2_PWRTRANS_LO));
        assertEquals(0, raw());
        clock.advance(1);
        assertEquals(0, read64(L2_PWRTRANS_LO));
        assertEquals(1, read64(L2_READY_LO));
        assertEquals(GPU_IRQ_POWER_CHANGED | GPU_IRQ_POWER_CHANGED_ALL, raw());
        assertEquals(0, mmio.read32(GPU_STATUS));
    }

    @Test
    void shaderAndTilerPowerOnAndOffIgnoringAbsentCores() {
        powerOnL2();
        mmio.write32(GPU_INT_CLEAR, 0xFFFF_FFFF);
        mmio.write32(SHADER_PWRON_LO, 0xFFFF_FFFF);
        mmio.write32(SHADER_PWRON_HI, 0xFFFF_FFFF);
        mmio.write32(TILER_PWRON_LO, 0xF);
        assertEquals(0x5_0005L, read64(SHADER_PWRTRANS_LO));
        assertEquals(1, read64(TILER_PWRTRANS_LO));
        clock.advance(CORE_POWER_NANOS);
        assertEquals(0x5_0005L, read64(SHADER_READY_LO));
        assertEquals(1, read64(TILER_READY_LO));
        assertEquals(0, read64(SHADER_PWRTRANS_LO));
        assertEquals(GPU_IRQ_POWER_CHANGED | GPU_IRQ_POWER_CHANGED_ALL, raw());

        mmio.write32(GPU_INT_CLEAR, 0xFFFF_FFFF);
        mmio.write32(SHADER_PWROFF_LO, 0x1);
        assertEquals(1, read64(SHADER_PWRTRANS_LO));
        mmio.write32(SHADER_PWROFF_LO, 0x1);
        mmio.write32(SHADER_PWRON_LO, 0x1);
        assertEquals(1, read64(SHADER_PWRTRANS_LO), "commands for a core in transition are dropped");
        clock.advance(CORE_POWER_NANOS);
        assertEquals(0x5_0004L, read64(SHADER_READY_LO));
        assertEquals(0, read64(SHADER_PWRTRANS_LO));
    }

    @Test
    void coresWaitForTheL2AndTheL2WaitsForTheCores() {
        mmio.write32(SHADER_PWRON_LO, 0x5_0005);
        clock.advance(10 * CORE_POWER_NANOS);
        assertEquals(0x5_0005L, read64(SHADER_PWRTRANS_LO), "cores powered without the L2");
        assertEquals(0, read64(SHADER_READY_LO));
        assertEquals(0, raw());

        mmio.write32(L2_PWRON_LO, 1);
        clock.advance(L2_POWER_NANOS);
        assertEquals(1, read64(L2_READY_LO));
        assertEquals(GPU_IRQ_POWER_CHANGED, raw(), "POWER_CHANGED_ALL while cores still transition");
        assertEquals(0, read64(SHADER_READY_LO));
        clock.advance(CORE_POWER_NANOS);
        assertEquals(0x5_0005L, read64(SHADER_READY_LO));
        assertEquals(GPU_IRQ_POWER_CHANGED | GPU_IRQ_POWER_CHANGED_ALL, raw());

        mmio.write32(GPU_INT_CLEAR, 0xFFFF_FFFF);
        mmio.write32(L2_PWROFF_LO, 1);
        clock.advance(10 * L2_POWER_NANOS);
        assertEquals(1, read64(L2_READY_LO), "L2 powered off under powered cores");
        assertEquals(1, read64(L2_PWRTRANS_LO));
        mmio.write32(SHADER_PWRON_LO, 0x5_0005);
        mmio.write32(SHADER_PWROFF_LO, 0x5_0005);
        clock.advance(CORE_POWER_NANOS);
        assertEquals(0, read64(SHADER_READY_LO));
        assertEquals(1, read64(L2_READY_LO));
        clock.advance(L2_POWER_NANOS);
        assertEquals(0, read64(L2_READY_LO));
        assertEquals(0, read64(L2_PWRTRANS_LO));
    }

    @Test
    void coresDoNotStartWhileTheL2IsPoweringOff() {
        powerOnL2();
        mmio.write32(L2_PWROFF_LO, 1);
        mmio.write32(TILER_PWRON_LO, 1);
        clock.advance(L2_POWER_NANOS);
        assertEquals(0, read64(L2_READY_LO));
        assertEquals(0, read64(TILER_READY_LO));
        assertEquals(1, read64(TILER_PWRTRANS_LO));
    }

    @Test
    void powerTransitionsCountAsBusyAndPwractiveFollowsActivity() {
        mmio.write32(L2_PWRON_LO, 1);
        clock.advance(L2_POWER_NANOS);
        assertEquals(L2_POWER_NANOS, model.gpuClock().busyNanos());
        assertEquals(0, read64(L2_PWRACTIVE_LO));
        model.gpuClock().setActive("cs", true);
        assertEquals(GPU_STATUS_ACTIVE, mmio.read32(GPU_STATUS));
        assertEquals(1, read64(L2_PWRACTIVE_LO));
        model.gpuClock().setActive("cs", false);
        assertEquals(0, mmio.read32(GPU_STATUS));
    }

    // --- cache flush -----------------------------------------------------------------------------

    @Test
    void cacheFlushCompletesWithIrqAndBumpsTheFlushId() {
        int cmd = GPU_FLUSH_CACHES(CACHE_CLEAN_INV, CACHE_CLEAN_INV, CACHE_NONE);
        assertEquals(0, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        mmio.write32(GPU_CMD, cmd);
        clock.advance(FLUSH_NANOS - 1);
        assertEquals(0, raw());
        assertEquals(0, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        clock.advance(1);
        assertEquals(GPU_IRQ_CLEAN_CACHES_COMPLETED, raw());
        assertEquals(1, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        mmio.write32(GPU_CMD, cmd);
        mmio.write32(GPU_CMD, cmd);
        clock.advance(FLUSH_NANOS);
        assertEquals(3, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        mmio.write32(CSF_GPU_LATEST_FLUSH_ID, 0);
        assertEquals(3, mmio.read32(CSF_GPU_LATEST_FLUSH_ID), "LATEST_FLUSH_ID is read-only");
    }

    @Test
    void firmwareFlushCompletesWithoutGpuIrq() {
        AtomicInteger done = new AtomicInteger();
        synchronized (model.lock()) {
            model.gpu().flushCaches(CACHE_CLEAN, CACHE_CLEAN, 0, done::incrementAndGet);
        }
        clock.advance(FLUSH_NANOS);
        assertEquals(1, done.get());
        assertEquals(1, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        assertEquals(0, raw());
    }

    @Test
    void stalledFlushNeverCompletesUntilDisarmed() {
        synchronized (model.lock()) {
            model.gpu().stallCacheFlush(true);
        }
        mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN, CACHE_NONE, CACHE_NONE));
        clock.advance(1_000_000_000L);
        assertEquals(0, raw());
        assertEquals(0, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        assertEquals(1, model.gpu().pendingFlushes());
        synchronized (model.lock()) {
            model.gpu().stallCacheFlush(false);
        }
        clock.advance(FLUSH_NANOS);
        assertEquals(GPU_IRQ_CLEAN_CACHES_COMPLETED, raw());
        assertEquals(1, mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
    }

    @Test
    void resetDropsAStalledFlush() {
        synchronized (model.lock()) {
            model.gpu().stallCacheFlush(true);
        }
        mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN, CACHE_NONE, CACHE_NONE));
        mmio.write32(GPU_CMD, GPU_SOFT_RESET);
        clock.advance(SOFT_RESET_NANOS);
        synchronized (model.lock()) {
            model.gpu().stallCacheFlush(false);
        }
        clock.advance(1_000_000);
        assertEquals(GPU_IRQ_RESET_COMPLETED, raw());
        assertEquals(0, model.gpu().pendingFlushes());
    }

    // --- IRQ -------------------------------------------------------------------------------------

    @Test
    void irqRawMaskClearStatSemantics() {
        Interrupts irqs = model.irq();
        mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN, CACHE_NONE, CACHE_NONE));
        clock.advance(FLUSH_NANOS);
        assertEquals(GPU_IRQ_CLEAN_CACHES_COMPLETED, raw());
        assertEquals(0, mmio.read32(GPU_INT_STAT), "STAT with MASK 0");
        assertFalse(irqs.asserted(IrqLine.GPU));

        mmio.write32(GPU_INT_MASK, GPU_IRQ_RESET_COMPLETED);
        assertEquals(0, mmio.read32(GPU_INT_STAT));
        mmio.write32(GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED | GPU_IRQ_FAULT);
        assertEquals(GPU_IRQ_CLEAN_CACHES_COMPLETED, mmio.read32(GPU_INT_STAT));
        assertTrue(irqs.asserted(IrqLine.GPU));

        mmio.write32(GPU_INT_CLEAR, GPU_IRQ_FAULT);
        assertEquals(GPU_IRQ_CLEAN_CACHES_COMPLETED, raw(), "CLEAR only clears the bits written");
        mmio.write32(GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
        assertEquals(0, raw());
        assertEquals(0, mmio.read32(GPU_INT_STAT));
        assertEquals(0, mmio.read32(GPU_INT_CLEAR), "CLEAR reads as zero");
        assertFalse(irqs.asserted(IrqLine.GPU));
    }

    @Test
    void handlerRunsOnTheIrqThreadBeforeAdvanceReturns() {
        List<String> threads = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        mmio.write32(GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED | GPU_IRQ_RESET_COMPLETED);
        try (Interrupts.Registration r = model.irq().request(IrqLine.GPU, line -> {
            int stat = mmio.read32(GPU_INT_STAT);
            mmio.write32(GPU_INT_CLEAR, stat);
            threads.add(Thread.currentThread().getName());
            seen.add(stat);
        })) {
            mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN, CACHE_NONE, CACHE_NONE));
            clock.advance(FLUSH_NANOS);
            assertEquals(List.of(GPU_IRQ_CLEAN_CACHES_COMPLETED), seen);
            assertEquals(List.of("gpu-irq"), threads);
            assertEquals(0, raw());
            assertEquals(1, model.irq().count(IrqLine.GPU));

            mmio.write32(GPU_CMD, GPU_SOFT_RESET);
            clock.advance(SOFT_RESET_NANOS);
            assertEquals(List.of(GPU_IRQ_CLEAN_CACHES_COMPLETED, GPU_IRQ_RESET_COMPLETED), seen);
        }
    }

    @Test
    void handlerThatWaitsOnHardwareMayMoveTime() {
        List<Long> flushIds = new ArrayList<>();
        mmio.write32(GPU_INT_MASK, GPU_IRQ_RESET_COMPLETED | GPU_IRQ_CLEAN_CACHES_COMPLETED);
        try (Interrupts.Registration r = model.irq().request(IrqLine.GPU, line -> {
            int stat = mmio.read32(GPU_INT_STAT);
            mmio.write32(GPU_INT_CLEAR, stat);
            if ((stat & GPU_IRQ_RESET_COMPLETED) != 0) {
                // A bottom half that flushes and polls RAWSTAT, as a driver's reset work might.
                mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN, CACHE_NONE, CACHE_NONE));
                boolean ok = clock.await(() -> mmio.read32(CSF_GPU_LATEST_FLUSH_ID) == 1, 1_000_000);
                flushIds.add(ok ? (long) mmio.read32(CSF_GPU_LATEST_FLUSH_ID) : -1L);
            }
        })) {
            mmio.write32(GPU_CMD, GPU_SOFT_RESET);
            clock.advance(SOFT_RESET_NANOS);
            assertEquals(List.of(1L), flushIds);
            assertEquals(SOFT_RESET_NANOS + FLUSH_NANOS, clock.nowNanos());
        }
    }

    @Test
    void interruptStormDisablesTheLine() {
        AtomicInteger calls = new AtomicInteger();
        mmio.write32(GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED);
        try (Interrupts.Registration r = model.irq().request(IrqLine.GPU, line -> calls.incrementAndGet())) {
            mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN, CACHE_NONE, CACHE_NONE));
            clock.advance(FLUSH_NANOS);
            assertTrue(model.irq().disabled(IrqLine.GPU), "line not disabled after a storm");
            int after = calls.get();
            assertTrue(after > 100, "storm detected too early: " + after);
            clock.advance(1_000_000);
            assertEquals(after, calls.get(), "a disabled line was delivered");
            assertTrue(model.irq().asserted(IrqLine.GPU));
        }
        try (Interrupts.Registration r = model.irq().request(IrqLine.GPU,
                line -> mmio.write32(GPU_INT_CLEAR, 0xFFFF_FFFF))) {
            assertFalse(model.irq().disabled(IrqLine.GPU), "re-requesting re-enables the line");
        }
    }

    // --- counters, faults, keys -------------------------------------------------------------------

    @Test
    void timestampAndCycleCountFollowVirtualTimeAndFrequency() {
        clock.advance(1_000_000_000L);
        assertEquals(24_000_000L, read64(GPU_TIMESTAMP_LO));
        assertEquals(1_000_000_000L, read64(GPU_CYCLE_COUNT_LO));
        mmio.write32(GPU_TIMESTAMP_OFFSET_LO, 5);
        mmio.write32(GPU_TIMESTAMP_OFFSET_HI, 1);
        assertEquals((1L << 32) + 5, read64(GPU_TIMESTAMP_OFFSET_LO));
        assertEquals(24_000_000L + (1L << 32) + 5, read64(GPU_TIMESTAMP_LO));
        model.gpuClock().setFrequencyHz(300_000_000L);
        clock.advance(10_000_000L);
        assertEquals(1_003_000_000L, read64(GPU_CYCLE_COUNT_LO));
        assertEquals(24_240_000L + (1L << 32) + 5, read64(GPU_TIMESTAMP_LO));
    }

    @Test
    void cycleCountHiCarriesPast32Bits() {
        clock.advance(5_000_000_000L);
        assertEquals(5_000_000_000L, read64(GPU_CYCLE_COUNT_LO));
        assertEquals(1, mmio.read32(GPU_CYCLE_COUNT_HI));
    }

    @Test
    void faultLatchAndClearFault() {
        mmio.write32(GPU_INT_MASK, 0);
        synchronized (model.lock()) {
            model.gpu().reportFault(0x0000_0588, 0x1_2345_6000L);
        }
        assertEquals(0x588, mmio.read32(GPU_FAULT_STATUS));
        assertEquals(0x1_2345_6000L, read64(GPU_FAULT_ADDR_LO));
        assertEquals(GPU_IRQ_FAULT, raw());
        mmio.write32(GPU_FAULT_STATUS, 0);
        assertEquals(0x588, mmio.read32(GPU_FAULT_STATUS), "GPU_FAULT_STATUS is read-only");
        mmio.write32(GPU_CMD, GPU_CMD_TYPE_CLEAR_FAULT);
        assertEquals(0, mmio.read32(GPU_FAULT_STATUS));
        assertEquals(0, read64(GPU_FAULT_ADDR_LO));
        assertEquals(GPU_IRQ_FAULT, raw(), "CLEAR_FAULT leaves the IRQ to GPU_INT_CLEAR");
    }

    @Test
    void pageFaultStatusBitFollowsTheMmuRawstat() {
        model.mmu().injectPageFault(3, 0x4000_0000L);
        assertEquals(GPU_STATUS_PAGE_FAULT, mmio.read32(GPU_STATUS));
        mmio.write32(MMU_INT_CLEAR, 1 << 3);
        assertEquals(0, mmio.read32(GPU_STATUS));
    }

    @Test
    void pwrOverrideNeedsTheKeyForEachWrite() {
        mmio.write32(GPU_PWR_OVERRIDE0, 0x11);
        assertEquals(0, mmio.read32(GPU_PWR_OVERRIDE0), "locked write took effect");
        mmio.write32(GPU_PWR_KEY, GPU_PWR_KEY_UNLOCK);
        mmio.write32(GPU_PWR_OVERRIDE1, 0x22);
        assertEquals(0x22, mmio.read32(GPU_PWR_OVERRIDE1));
        mmio.write32(GPU_PWR_OVERRIDE1, 0x33);
        assertEquals(0x22, mmio.read32(GPU_PWR_OVERRIDE1), "the key unlocks one write only");
        mmio.write32(GPU_PWR_KEY, GPU_PWR_KEY_UNLOCK);
        mmio.write32(GPU_PWR_KEY, 0x1234);
        mmio.write32(GPU_PWR_OVERRIDE0, 0x44);
        assertEquals(0, mmio.read32(GPU_PWR_OVERRIDE0), "a wrong key relocks");
        assertEquals(0, mmio.read32(GPU_PWR_KEY), "the key reads as zero");
    }

    @Test
    void coherencyProtocolIsReadWrite() {
        assertEquals(GPU_COHERENCY_ACE_LITE, mmio.read32(GPU_COHERENCY_PROTOCOL));
        mmio.write32(GPU_COHERENCY_PROTOCOL, GPU_COHERENCY_NONE);
        assertEquals(GPU_COHERENCY_NONE, mmio.read32(GPU_COHERENCY_PROTOCOL));
    }

    @Test
    void registersHaveTheirPanthorNames() {
        assertEquals("GPU_CMD", mmio.nameAt(GPU_CMD));
        assertEquals("L2_PWRON_LO", mmio.nameAt(L2_PWRON_LO));
        assertEquals("SHADER_PWRTRANS_HI", mmio.nameAt(SHADER_PWRTRANS_HI));
        assertEquals("CSF_GPU_LATEST_FLUSH_ID", mmio.nameAt(CSF_GPU_LATEST_FLUSH_ID));
        assertEquals("GPU_INT_RAWSTAT", mmio.nameAt(GPU_INT_RAWSTAT));
    }
}
