package hw.model.internal;

import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.FaultInjection;
import hw.model.internal.gpu.GpuControl;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    private final GpuModel model = new GpuModel();
    private final FaultInjection faults = new FaultInjector(model);
    private final MmioBus mmio = model.mmio();

    @AfterEach
    void tearDown() {
        model.shutdown();
    }

    @Test
    void nothingArmedAtFirst() {
        assertEquals(List.of(), faults.armed());
    }

    @Test
    void stallCacheFlushHoldsGpuCmdFlushesUntilCleared() {
        faults.stallCacheFlush(true);
        assertEquals(List.of("gpu: cache flushes stalled"), faults.armed());
        mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN_INV, CACHE_CLEAN_INV, CACHE_NONE));
        model.clock().advance(200_000_000L);
        assertEquals(0, mmio.read32(GPU_INT_RAWSTAT) & GPU_IRQ_CLEAN_CACHES_COMPLETED, "stalled flush completed");
        faults.clearAll();
        assertEquals(List.of(), faults.armed());
        model.clock().advance(GpuControl.FLUSH_NANOS);
        assertEquals(GPU_IRQ_CLEAN_CACHES_COMPLETED, mmio.read32(GPU_INT_RAWSTAT) & GPU_IRQ_CLEAN_CACHES_COMPLETED);
    }

    @Test
    void pageFaultLatchesInTheMmuAndRaisesItsIrq() {
        faults.pageFault(4, 0x7_0000_1000L);
        assertEquals(1 << 4, mmio.read32(MMU_INT_RAWSTAT) & 0xFFFF);
        assertEquals(0x7_0000_1000L, mmio.read64Raw(AS_FAULTADDRESS(4)));
        assertTrue(mmio.read32(AS_FAULTSTATUS(4)) != 0, "FAULTSTATUS not latched");
    }

    @Test
    void stickAsActiveKeepsTheBitAfterACommand() {
        faults.stickAsActive(1, true);
        mmio.write32(AS_COMMAND(1), AS_COMMAND_UPDATE);
        model.clock().advance(1_000_000L);
        assertEquals(AS_STATUS_AS_ACTIVE, mmio.read32(AS_STATUS(1)) & AS_STATUS_AS_ACTIVE);
        assertEquals(1, faults.armed().size(), faults.armed().toString());
        faults.stickAsActive(1, false);
        assertEquals(0, mmio.read32(AS_STATUS(1)) & AS_STATUS_AS_ACTIVE);
    }

    @Test
    void failedFirmwareBootLeavesTheMcuSilent() {
        faults.failFirmwareBoot(true);
        assertEquals(List.of("csf: firmware boot failure"), faults.armed());
        mmio.write32(JOB_INT_MASK, 0xFFFF_FFFF);
        mmio.write32(MCU_CONTROL, MCU_CONTROL_ENABLE);
        model.clock().advance(500_000_000L);
        assertEquals(0, mmio.read32(JOB_INT_RAWSTAT), "the firmware signalled a boot");
        assertEquals(MCU_STATUS_ENABLED, mmio.read32(MCU_STATUS));
        faults.clearAll();
        assertEquals(List.of(), faults.armed());
    }

    @Test
    void hangQueueIsArmedPerQueueAndCleared() {
        faults.hangQueue(1, 2, true);
        faults.hangQueue(7, 7, true);
        assertEquals(List.of("csf: hung queue CSG1 CS2", "csf: hung queue CSG7 CS7"), faults.armed());
        faults.hangQueue(7, 7, false);
        assertEquals(List.of("csf: hung queue CSG1 CS2"), faults.armed());
        faults.clearAll();
        assertEquals(List.of(), faults.armed());
    }

    @Test
    void csFatalOnAnIdleSlotIsRecordedAndHarmless() {
        faults.csFatal(0, 0, EXCEPTION_CS_UNRECOVERABLE);
        assertTrue(model.trace().recent(4).stream().anyMatch(s -> s.contains("inject-cs-fatal")));
        assertEquals(0, mmio.read32(JOB_INT_RAWSTAT));
    }

    @Test
    void argumentsAreCheckedAgainstTheG610() {
        assertThrows(IllegalArgumentException.class, () -> faults.pageFault(8, 0));
        assertThrows(IllegalArgumentException.class, () -> faults.pageFault(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> faults.pageFault(0, 1L << 48));
        assertThrows(IllegalArgumentException.class, () -> faults.pageFault(0, -4096));
        assertThrows(IllegalArgumentException.class, () -> faults.stickAsActive(8, true));
        assertThrows(IllegalArgumentException.class, () -> faults.hangQueue(8, 0, true));
        assertThrows(IllegalArgumentException.class, () -> faults.hangQueue(0, 8, true));
        assertThrows(IllegalArgumentException.class, () -> faults.csFatal(0, 0, 0x100));
        assertEquals(List.of(), faults.armed());
    }
}
