package hw.model.internal.gpu;

import static hw.model.internal.gpu.GpuControl.*;
import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.Interrupts;
import hw.model.api.IrqLine;
import hw.model.api.VirtualTime.Mode;
import hw.model.internal.GpuModel;
import hw.model.internal.MmioBus;
import hw.model.internal.VirtualClock;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The same scenario on two fresh models in deterministic time gives the same event trace,
 * IRQ handlers, timers and the clock model included; a different scenario does not.
 */
class DeterminismTest {

    private static final long US = 1_000L;

    record Run(long hash, long count, List<String> tail) {}

    private static Run run(Consumer<GpuModel> scenario) {
        GpuModel model = new GpuModel();
        try {
            assertEquals(Mode.DETERMINISTIC, model.clock().mode());
            scenario.accept(model);
            return new Run(model.trace().hash(), model.trace().count(), model.trace().recent(256));
        } finally {
            model.shutdown();
        }
    }

    /** Boot-like sequence: reset, L2 and cores on, flushes, timers, an IRQ handler that acks. */
    private static void scenario(GpuModel model, int flushes, long timerSpacing) {
        MmioBus mmio = model.mmio();
        VirtualClock clock = model.clock();
        mmio.write32(GPU_INT_MASK, 0xFFFF_FFFF);
        Interrupts.Registration irq = model.irq().request(IrqLine.GPU, line -> {
            int stat = mmio.read32(GPU_INT_STAT);
            mmio.write32(GPU_INT_CLEAR, stat);
            if ((stat & GPU_IRQ_POWER_CHANGED_ALL) != 0 && mmio.read64Raw(L2_READY_LO) == 1
                    && mmio.read64Raw(SHADER_READY_LO) == 0) {
                mmio.write32(SHADER_PWRON_LO, (int) Domain.SHADER.present());
            }
        });
        try {
            mmio.write32(GPU_CMD, GPU_SOFT_RESET);
            clock.runUntilIdle(1_000_000_000L);
            mmio.write32(L2_PWRON_LO, 1);
            mmio.write32(TILER_PWRON_LO, 1);
            for (int i = 0; i < 5; i++) {
                int n = i;
                clock.schedule(timerSpacing * (i + 1), () -> {
                    synchronized (model.lock()) {
                        model.trace().record("test-timer", n);
                        model.gpuClock().setActive("cs", n % 2 == 0);
                    }
                });
            }
            clock.advance(300 * US);
            for (int i = 0; i < flushes; i++) {
                mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(CACHE_CLEAN_INV, CACHE_CLEAN_INV, CACHE_NONE));
                clock.advance(3 * US);
            }
            model.gpuClock().setFrequencyHz(600_000_000L);
            mmio.write32(GPU_CMD, GPU_HARD_RESET);
            clock.runUntilIdle(1_000_000_000L);
            model.trace().record("test-end", mmio.read64Raw(GPU_CYCLE_COUNT_LO), mmio.read64Raw(GPU_TIMESTAMP_LO),
                    model.gpuClock().busyNanos(), mmio.read32(CSF_GPU_LATEST_FLUSH_ID));
        } finally {
            irq.close();
        }
    }

    @Test
    void sameScenarioSameTrace() {
        Run a = run(m -> scenario(m, 4, 70 * US));
        Run b = run(m -> scenario(m, 4, 70 * US));
        assertTrue(a.count() > 30, "scenario recorded too little: " + a.count());
        assertTrue(a.tail().stream().anyMatch(s -> s.contains("irq-deliver-GPU")), "no IRQ delivered");
        assertTrue(a.tail().stream().anyMatch(s -> s.contains("gpu-power-SHADER")), "handler never powered cores");
        assertEquals(a.tail(), b.tail());
        assertEquals(a.count(), b.count());
        assertEquals(a.hash(), b.hash());
    }

    @Test
    void differentScenarioDifferentTrace() {
        Run a = run(m -> scenario(m, 4, 70 * US));
        assertNotEquals(a.hash(), run(m -> scenario(m, 5, 70 * US)).hash());
        assertNotEquals(a.hash(), run(m -> scenario(m, 4, 71 * US)).hash());
    }
}
