package hw.model.internal;

import hw.model.api.IrqLine;

/**
 * DOC: Interrupt registers.
 *
 * The RAWSTAT / CLEAR / MASK / STAT quartet every Mali block has (GPU_INT_*, JOB_INT_*,
 * MMU_INT_*): hardware sets bits in RAWSTAT, the driver acknowledges by writing 1s to CLEAR,
 * MASK gates which raw bits assert the line, and STAT = RAWSTAT &amp; MASK. The line follows
 * STAT level-triggered. Callers hold the model lock.
 */
public final class IrqRegs {

    private final IrqLine line;
    private final IrqController controller;
    private final EventTrace trace;
    private int raw;
    private int mask;

    public IrqRegs(IrqLine line, IrqController controller, EventTrace trace) {
        this.line = line;
        this.controller = controller;
        this.trace = trace;
    }

    /** Installs the four registers at {@code base} (RAWSTAT +0, CLEAR +4, MASK +8, STAT +0xC). */
    public void mapAt(MmioBus bus, int base, String prefix) {
        bus.mapReadOnly(base, prefix + "_RAWSTAT", () -> raw);
        bus.map(base + 4, prefix + "_CLEAR", () -> 0, this::clear);
        bus.map(base + 8, prefix + "_MASK", () -> mask, this::setMask);
        bus.mapReadOnly(base + 0xC, prefix + "_STAT", this::stat);
    }

    public void raise(int bits) {
        int before = stat();
        raw |= bits;
        trace.record("irq-raise-" + line, bits);
        if (stat() != before) {
            controller.levelChanged(line);
        }
    }

    public void clear(int bits) {
        raw &= ~bits;
    }

    public void setMask(int newMask) {
        mask = newMask;
        controller.levelChanged(line);
    }

    public int raw() {
        return raw;
    }

    public int mask() {
        return mask;
    }

    public int stat() {
        return raw & mask;
    }

    /** Reset state: nothing pending, everything masked. */
    public void reset() {
        raw = 0;
        mask = 0;
    }
}
