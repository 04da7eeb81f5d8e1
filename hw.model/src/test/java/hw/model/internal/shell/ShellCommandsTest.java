package hw.model.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.IrqLine;
import hw.model.api.VirtualTime;
import hw.model.internal.FaultInjector;
import hw.model.internal.GpuModel;
import hw.model.internal.gpu.GpuControl;
import hw.model.regs.MaliRegs;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShellCommandsTest {

    private final GpuModel model = new GpuModel();
    private final TimeCommands time = new TimeCommands(model.clock(), model.irq(), model.gpuClock());
    private final InjectCommands inject = new InjectCommands(new FaultInjector(model));

    @AfterEach
    void tearDown() {
        model.shutdown();
    }

    @Test
    void durationsParseWithUnits() {
        assertEquals(250, Durations.parseNanos("250ns"));
        assertEquals(10_000, Durations.parseNanos("10us"));
        assertEquals(10_000, Durations.parseNanos("10\u00b5s"));
        assertEquals(5_000_000, Durations.parseNanos("5ms"));
        assertEquals(1_500_000_000L, Durations.parseNanos("1.5s"));
        assertEquals(2_000_000_000L, Durations.parseNanos(" 2 S "));
        for (String bad : new String[] {"5", "ms", "-1ms", "1.5ns", "5min", "", "99999999999s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(bad), bad);
            assertTrue(e.getMessage().contains("bad duration"), e.getMessage());
        }
    }

    @Test
    void durationsFormatWithTheLargestUnit() {
        assertEquals("999 ns", Durations.format(999));
        assertEquals("1.5 us", Durations.format(1_500));
        assertEquals("12.345678 ms", Durations.format(12_345_678));
        assertEquals("2 s", Durations.format(2_000_000_000L));
    }

    @Test
    void timeShowsClockModeEventsAndIrqs() {
        model.clock().schedule(1_000, () -> { });
        String out = time.time();
        assertTrue(out.contains("now        0 ns (0 ns)"), out);
        assertTrue(out.contains("mode       deterministic"), out);
        assertTrue(out.contains("pending    1 events"), out);
        assertTrue(out.contains("gpu clock  1000 MHz"), out);
        assertTrue(out.matches("(?s).*gpu\\s+0\\s+no\\s+enabled.*"), out);
    }

    @Test
    void timeAdvanceRunsEventsAndIrqs() {
        model.mmio().write32(MaliRegs.GPU_INT_MASK, MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED);
        try (var r = model.irq().request(IrqLine.GPU,
                line -> model.mmio().write32(MaliRegs.GPU_INT_CLEAR, 0xFFFF_FFFF))) {
            model.mmio().write32(MaliRegs.GPU_CMD, MaliRegs.GPU_FLUSH_CACHES(1, 1, 0));
            String out = time.time("advance", "10us");
            assertEquals("advanced 10 us; now 10 us, 0 events pending", out);
            assertEquals(1, model.irq().count(IrqLine.GPU));
            assertTrue(time.time().matches("(?s).*gpu\\s+1\\s+no\\s+enabled.*"), time.time());
        }
    }

    @Test
    void timeRunAndMode() {
        model.clock().schedule(3_000_000, () -> { });
        assertEquals("ran 3 ms of events; now 3 ms, 0 events pending", time.time("run"));
        model.clock().schedule(3_000_000, () -> { });
        assertEquals("ran 0 ns of events; now 3 ms, 1 events pending", time.time("run", "1ms"));
        assertEquals("time mode realtime", time.time("mode", "realtime"));
        assertEquals(VirtualTime.Mode.REALTIME, model.clock().mode());
        assertEquals("time mode deterministic", time.time("mode", "DETERMINISTIC"));
        assertEquals(VirtualTime.Mode.DETERMINISTIC, model.clock().mode());
    }

    @Test
    void timeRejectsBadInputWithAMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> time.time("mode", "fast"))
                .getMessage().contains("deterministic or realtime"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> time.time("rewind", "1ms"))
                .getMessage().contains("unknown hw:time action"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> time.time("advance", "soon"))
                .getMessage().contains("bad duration"));
        assertThrows(IllegalArgumentException.class, () -> time.time("advance"));
    }

    @Test
    void injectListShowsFaultsAndArmedState() {
        String out = inject.inject("list");
        for (String[] f : InjectCommands.FAULTS) {
            assertTrue(out.contains(f[0]), out);
        }
        assertTrue(out.endsWith("armed: none"), out);
        assertEquals("cache flushes stalled", inject.inject("stall-flush"));
        assertTrue(model.gpu().cacheFlushStalled());
        assertTrue(inject.inject("list").contains("gpu: cache flushes stalled"));
        assertEquals("cache flushes complete again", inject.inject("stall-flush", "off"));
        assertFalse(model.gpu().cacheFlushStalled());
        inject.inject("stall-flush", "on");
        assertEquals("all injected faults disarmed", inject.inject("clear"));
        assertFalse(model.gpu().cacheFlushStalled());
    }

    @Test
    void injectPageFaultAndStickAsActiveReachTheMmu() {
        model.mmio().write32(MaliRegs.MMU_INT_MASK, 0xFFFF);
        assertEquals("page fault raised in AS 2 at 0x1234000", inject.inject("page-fault", "2", "0x1234000"));
        assertEquals(1 << 2, model.mmio().read32(MaliRegs.MMU_INT_RAWSTAT) & 0xFFFF);
        assertEquals(0x1234000L, model.mmio().read64Raw(MaliRegs.AS_FAULTADDRESS(2)));
        assertEquals(MaliRegs.GPU_STATUS_PAGE_FAULT, model.mmio().read32(MaliRegs.GPU_STATUS) & MaliRegs.GPU_STATUS_PAGE_FAULT);
        assertEquals("AS 5 AS_ACTIVE stuck", inject.inject("stick-as-active", "5"));
        model.mmio().write32(MaliRegs.AS_COMMAND(5), MaliRegs.AS_COMMAND_UPDATE);
        time.time("advance", "1ms");
        assertEquals(MaliRegs.AS_STATUS_AS_ACTIVE, model.mmio().read32(MaliRegs.AS_STATUS(5)) & MaliRegs.AS_STATUS_AS_ACTIVE);
        assertTrue(inject.inject("list").contains("AS5"));
        inject.inject("clear");
        assertEquals(0, model.mmio().read32(MaliRegs.AS_STATUS(5)) & MaliRegs.AS_STATUS_AS_ACTIVE);
    }

    @Test
    void injectRejectsBadInputWithAMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("meltdown"))
                .getMessage().contains("unknown fault"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("page-fault", "1"))
                .getMessage().contains("hw:inject page-fault <as> <va>"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("page-fault", "9", "0x1000"))
                .getMessage().contains("address space 9 does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("page-fault", "1", "0x1000000000000"))
                .getMessage().contains("outside the 48-bit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("page-fault", "x", "0x1000"))
                .getMessage().contains("as must be a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("stall-flush", "maybe"))
                .getMessage().contains("on or off"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("cs-fatal", "8", "0", "0x41"))
                .getMessage().contains("CSG slot 8 does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inject.inject("cs-fatal", "0", "0", "0x141"))
                .getMessage().contains("exception type"));
    }

    @Test
    void everyCommandMethodAndParameterHasADescriptor() {
        for (Class<?> c : new Class<?>[] {TimeCommands.class, InjectCommands.class, GpuRegsCommands.class}) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                assertTrue(m.isAnnotationPresent(Descriptor.class), c.getSimpleName() + "." + m.getName());
                for (Parameter p : m.getParameters()) {
                    assertTrue(p.isAnnotationPresent(Descriptor.class), c.getSimpleName() + "." + m.getName() + " " + p);
                }
            }
        }
    }

    @Test
    void flushStallThroughTheShellBlocksTheFlush() {
        inject.inject("stall-flush");
        model.mmio().write32(MaliRegs.GPU_CMD, MaliRegs.GPU_FLUSH_CACHES(1, 0, 0));
        time.time("advance", "1s");
        assertEquals(0, model.mmio().read32(MaliRegs.GPU_INT_RAWSTAT) & MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED);
        inject.inject("clear");
        time.time("advance", GpuControl.FLUSH_NANOS + "ns");
        assertEquals(MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED,
                model.mmio().read32(MaliRegs.GPU_INT_RAWSTAT) & MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED);
    }

    @Test
    void gpuRegsDumpsABlockDecoded() {
        GpuRegsCommands regs = new GpuRegsCommands(model.mmio());
        model.mmio().write32(MaliRegs.L2_PWRON_LO, 1);
        time.time("advance", "1ms");
        String out = regs.regs("gpu_control");
        assertTrue(out.contains("L2_READY"), out);
        assertTrue(out.contains("GPU_COHERENCY_PROTOCOL"), out);
        assertTrue(regs.regs().contains("MCU_STATUS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> regs.regs("nonsense"))
                .getMessage().contains("unknown register block"));
    }
}
