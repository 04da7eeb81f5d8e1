package driver.core.internal.device;

import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.IrqLine;
import hw.model.internal.GpuModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PANTHOR_IRQ_HANDLER on the model's GPU line, bits raised by the hardware at clock events. */
class PanthorIrqTest {

    private final GpuModel model = new GpuModel();
    private final PanthorIrq irq = new PanthorIrq("gpu", model.mmio(), model.irq(), IrqLine.GPU, GPU_INT_RAWSTAT);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        irq.free();
        model.shutdown();
    }

    private void raiseAtNextEvent(int bits) {
        model.clock().schedule(1000, () -> {
            synchronized (model.lock()) {
                model.gpu().irq().raise(bits);
            }
        });
        model.clock().advance(2000);
    }

    @Test
    void handlerSeesClearedStatusWithLineMaskedAndMaskIsRestored() {
        irq.setHandler(status -> log.add(String.format("status=%x mask=%x raw=%x", status,
                model.mmio().read32(GPU_INT_MASK), model.mmio().read32(GPU_INT_RAWSTAT))));
        irq.request(GPU_IRQ_RESET_COMPLETED | GPU_IRQ_CLEAN_CACHES_COMPLETED);
        raiseAtNextEvent(GPU_IRQ_RESET_COMPLETED | GPU_IRQ_POWER_CHANGED);
        assertEquals(List.of("status=100 mask=0 raw=200"), log, "masked while handling, only unmasked bits, cleared first");
        assertEquals(GPU_IRQ_RESET_COMPLETED | GPU_IRQ_CLEAN_CACHES_COMPLETED, model.mmio().read32(GPU_INT_MASK));
        assertEquals(GPU_IRQ_POWER_CHANGED, model.mmio().read32(GPU_INT_RAWSTAT), "masked bits stay raw");
        assertEquals(1, irq.handledCount());
    }

    @Test
    void bitsArrivingDuringTheHandlerAreHandledInTheSameInvocation() {
        irq.setHandler(status -> {
            log.add("status=" + Integer.toHexString(status));
            if (status == GPU_IRQ_RESET_COMPLETED) {
                synchronized (model.lock()) {
                    model.gpu().irq().raise(GPU_IRQ_CLEAN_CACHES_COMPLETED);
                }
            }
        });
        irq.request(GPU_IRQ_RESET_COMPLETED | GPU_IRQ_CLEAN_CACHES_COMPLETED);
        long deliveriesBefore = model.irq().count(IrqLine.GPU);
        raiseAtNextEvent(GPU_IRQ_RESET_COMPLETED);
        assertEquals(List.of("status=100", "status=20000"), log);
        assertEquals(1, model.irq().count(IrqLine.GPU) - deliveriesBefore, "one delivery, two loop iterations");
        assertEquals(0, model.mmio().read32(GPU_INT_RAWSTAT));
    }

    @Test
    void suspendMasksAndIgnoresThenResumeClearsStaleBits() {
        irq.setHandler(status -> log.add("status=" + Integer.toHexString(status)));
        irq.request(GPU_IRQ_FAULT);
        irq.suspend();
        assertTrue(irq.isSuspended());
        assertEquals(0, model.mmio().read32(GPU_INT_MASK));
        assertEquals(0, irq.mask());
        raiseAtNextEvent(GPU_IRQ_FAULT);
        assertEquals(List.of(), log);
        irq.resume(GPU_IRQ_FAULT);
        assertEquals(GPU_IRQ_FAULT, model.mmio().read32(GPU_INT_MASK));
        assertEquals(0, model.mmio().read32(GPU_INT_RAWSTAT), "resume clears what arrived while suspended");
        raiseAtNextEvent(GPU_IRQ_FAULT);
        assertEquals(List.of("status=1"), log);
    }

    @Test
    void handlerCanChangeTheMaskItRestores() {
        irq.setHandler(status -> {
            log.add("status=" + Integer.toHexString(status));
            irq.setMask(irq.mask() & ~status);
        });
        irq.request(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT);
        raiseAtNextEvent(GPU_IRQ_FAULT);
        assertEquals(GPU_IRQ_PROTM_FAULT, model.mmio().read32(GPU_INT_MASK));
        raiseAtNextEvent(GPU_IRQ_FAULT);
        assertEquals(List.of("status=1"), log, "the masked source no longer reaches the handler");
    }

    @Test
    void aBitIsUndeliveredUntilItsHandlerReturns() {
        List<Integer> seenInHandler = new ArrayList<>();
        irq.setHandler(status -> seenInHandler.add(irq.undelivered(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT)));
        irq.request(GPU_IRQ_FAULT);
        irq.suspend();
        raiseAtNextEvent(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT);
        assertEquals(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT, irq.undelivered(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT),
                "pending in RAWSTAT");
        irq.resume(GPU_IRQ_FAULT);
        raiseAtNextEvent(GPU_IRQ_FAULT);
        assertEquals(List.of(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT), seenInHandler,
                "FAULT cleared in RAWSTAT but in flight in the handler; the masked PROTM_FAULT pending");
        assertEquals(GPU_IRQ_PROTM_FAULT, irq.undelivered(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT),
                "FAULT delivered once the handler returned");
    }

    @Test
    void enableAndDisableChangeTheSavedMaskTheHandlerRestores() {
        irq.setHandler(status -> log.add("status=" + Integer.toHexString(status)));
        irq.request(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT);
        irq.disable(GPU_IRQ_FAULT);
        raiseAtNextEvent(GPU_IRQ_PROTM_FAULT);
        assertEquals(GPU_IRQ_PROTM_FAULT, model.mmio().read32(GPU_INT_MASK), "restored without the disabled bit");
        raiseAtNextEvent(GPU_IRQ_FAULT);
        assertEquals(List.of("status=2"), log);
        irq.enable(GPU_IRQ_FAULT);
        model.irq().quiesce();
        assertEquals(List.of("status=2", "status=1"), log, "the pending fault arrives once enabled");
        assertEquals(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT, model.mmio().read32(GPU_INT_MASK));
        irq.suspend();
        irq.enable(GPU_IRQ_FAULT);
        assertEquals(0, model.mmio().read32(GPU_INT_MASK), "a suspended line stays masked");
    }

    @Test
    void freeReleasesTheLine() {
        irq.request(GPU_IRQ_FAULT);
        irq.free();
        var r = model.irq().request(IrqLine.GPU, line -> { });
        r.close();
    }
}
