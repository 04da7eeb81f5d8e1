package driver.core.internal.device;

import hw.model.api.Interrupts;
import hw.model.api.IrqHandler;
import hw.model.api.IrqLine;
import hw.model.api.Mmio;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DOC: IRQ dispatch ({@code PANTHOR_IRQ_HANDLER}).
 *
 * One instance per interrupt line (gpu, job, mmu), each with its {@code xxx_INT_*} register
 * quartet at {@code base} (RAWSTAT, CLEAR = base + 4, MASK = base + 8, STAT = base + 12), as
 * {@code struct panthor_irq} with the handlers the macro generates:
 *
 *  - hard part: if the IRQ is suspended or STAT is 0, not ours; otherwise write MASK = 0 (the
 *    wanted mask stays saved in {@link #mask()}) and wake the thread;
 *  - threaded part: loop { status = RAWSTAT &amp; mask; stop if 0; CLEAR status; call the
 *    handler with status }, then, unless suspended meanwhile, restore MASK = mask. Bits that
 *    arrive while the handler runs are picked up by the next iteration; the handler may change
 *    the saved mask ({@link #setMask}, {@link #disable}, e.g. the MMU masking a faulty address
 *    space), and so may others ({@link #enable}: the MMU unmasking it when the AS is enabled
 *    again). Not in Panthor: cleared bits stay "in flight" until the handler returns, so that
 *    {@link #undelivered} tells which events have not reached their handler yet;
 *  - {@link #suspend()}: mask = 0, MASK = 0, synchronize (wait for a running handler), then
 *    mark suspended; {@link #resume(int)}: unmark, mask = m, CLEAR m, MASK = m.
 *
 * In this model the threaded part runs on the model's IRQ thread right after the hard part
 * (the line stays masked while it runs, so that is what a threaded IRQ amounts to); in
 * deterministic time the clock waits for it after every event. Handlers must therefore never
 * wait for a work queue or take a lock a work item may hold while waiting on the hardware.
 *
 * The handler is a {@link Handler}; the subsystem that owns the line sets it
 * ({@link #setHandler}): the GPU block, the firmware layer (JOB) or the MMU subsystem.
 */
public final class PanthorIrq implements IrqHandler {

    /** The part of a subsystem that handles its line's events ({@code __handler(ptdev, status)}). */
    @FunctionalInterface
    public interface Handler {
        void handle(int status);
    }

    private static final Logger LOG = Logger.getLogger(PanthorIrq.class.getName());

    private final String name;
    private final Mmio mmio;
    private final Interrupts interrupts;
    private final IrqLine line;
    private final int rawstat;
    private final int clear;
    private final int maskReg;
    private final int stat;
    private final Object sync = new Object();
    private volatile Handler handler = status -> { };
    private volatile int mask;
    /** Bits cleared in RAWSTAT whose handler call has not returned yet. */
    private volatile int inFlight;
    private volatile boolean suspended = true;
    private boolean running;
    private Thread runner;
    private Interrupts.Registration registration;
    private long handled;

    /**
     * @param base offset of the line's INT_RAWSTAT (GPU_INT_RAWSTAT, JOB_INT_RAWSTAT, MMU_INT_RAWSTAT)
     */
    public PanthorIrq(String name, Mmio mmio, Interrupts interrupts, IrqLine line, int base) {
        this.name = name;
        this.mmio = mmio;
        this.interrupts = interrupts;
        this.line = line;
        this.rawstat = base;
        this.clear = base + 4;
        this.maskReg = base + 8;
        this.stat = base + 12;
    }

    public String name() {
        return name;
    }

    public IrqLine line() {
        return line;
    }

    /** Sets the subsystem handler (may be replaced while the line is suspended). */
    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    /** {@code panthor_request_xxx_irq()}: resume with {@code mask}, then request the line. */
    public void request(int mask) {
        resume(mask);
        synchronized (sync) {
            if (registration == null) {
                registration = interrupts.request(line, this);
            }
        }
    }

    /** {@code free_irq()} (devm release): suspends and frees the line. */
    public void free() {
        suspend();
        Interrupts.Registration r;
        synchronized (sync) {
            r = registration;
            registration = null;
        }
        if (r != null) {
            r.close();
        }
    }

    /** {@code panthor_xxx_irq_suspend()}. */
    public void suspend() {
        mask = 0;
        mmio.write32(maskReg, 0);
        synchronizeIrq();
        suspended = true;
    }

    /** {@code panthor_xxx_irq_resume()}. */
    public void resume(int newMask) {
        suspended = false;
        mask = newMask;
        mmio.write32(clear, newMask);
        mmio.write32(maskReg, newMask);
    }

    /** The saved mask the threaded part restores. */
    public int mask() {
        return mask;
    }

    /** Changes the saved mask from within the handler ({@code pirq->mask = ...}). */
    public void setMask(int newMask) {
        mask = newMask;
    }

    /** {@code pirq->mask &= ~bits}: the handler restores MASK without them. */
    public void disable(int bits) {
        synchronized (sync) {
            mask &= ~bits;
        }
    }

    /** {@code pirq->mask |= bits} and MASK, unless the line is suspended (resume sets the mask). */
    public void enable(int bits) {
        synchronized (sync) {
            if (suspended) {
                return;
            }
            mask |= bits;
            mmio.write32(maskReg, mask);
        }
    }

    /**
     * Bits raised and not yet handled: set in RAWSTAT, or cleared by the threaded handler whose
     * call of the subsystem handler has not returned. RAWSTAT is read first: the handler marks
     * a bit in flight before it clears it.
     */
    public int undelivered(int bits) {
        int raw = mmio.read32(rawstat);
        return (raw | inFlight) & bits;
    }

    public boolean isSuspended() {
        return suspended;
    }

    /** Handler invocations (threaded-part iterations that found work). */
    public long handledCount() {
        synchronized (sync) {
            return handled;
        }
    }

    /** {@code synchronize_irq()}: waits until a running handler returns. */
    public void synchronizeIrq() {
        synchronized (sync) {
            while (running && runner != Thread.currentThread()) {
                try {
                    sync.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void handle(IrqLine ignored) {
        if (!rawHandler()) {
            return;
        }
        synchronized (sync) {
            running = true;
            runner = Thread.currentThread();
        }
        try {
            threadedHandler();
        } finally {
            synchronized (sync) {
                running = false;
                runner = null;
                sync.notifyAll();
            }
        }
    }

    private boolean rawHandler() {
        if (suspended) {
            return false;
        }
        if (mmio.read32(stat) == 0) {
            return false;
        }
        mmio.write32(maskReg, 0);
        return true;
    }

    private void threadedHandler() {
        while (true) {
            int status = mmio.read32(rawstat) & mask;
            if (status == 0) {
                break;
            }
            inFlight = status;
            mmio.write32(clear, status);
            synchronized (sync) {
                handled++;
            }
            try {
                handler.handle(status);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, name + " IRQ handler threw", e);
            } finally {
                inFlight = 0;
            }
        }
        if (!suspended) {
            mmio.write32(maskReg, mask);
        }
    }
}
