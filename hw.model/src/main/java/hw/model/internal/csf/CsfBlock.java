package hw.model.internal.csf;

import static hw.model.regs.MaliRegs.*;

import hw.model.api.IrqLine;
import hw.model.internal.EventTrace;
import hw.model.internal.GpuModel;
import hw.model.internal.IrqRegs;
import hw.model.internal.MmioBus;

/**
 * DOC: JOB_CONTROL and the MCU.
 *
 * The registers through which the host talks to the CSF firmware (offsets from
 * {@code panthor_regs.h}):
 *
 * <pre>
 *   0x0700 MCU_CONTROL   DISABLE 0, ENABLE 1, AUTO 2
 *   0x0704 MCU_STATUS    DISABLED 0, ENABLED 1, HALT 2, FATAL 3 (read-only)
 *   0x1000 JOB_INT_RAWSTAT / 0x1004 CLEAR / 0x1008 MASK / 0x100C STAT
 *          bit 31 GLOBAL_IF, bit n CSG slot n
 *   0x80000 + i * 0x10000 CSF_DOORBELL(i), i &lt; 24   doorbell 0 = global/kernel doorbell,
 *          doorbell n + 1 = the user doorbell panthor gives the group in CSG slot n
 * </pre>
 *
 * Offsets and values come from the generated binding {@code hw.model.regs.MaliRegs}.
 *
 * MCU_CONTROL ENABLE and AUTO behave the same (the model has no MCU sleep): from DISABLED or
 * HALT, MCU_STATUS becomes ENABLED at once and the firmware ({@link Firmware}) boots after
 * {@link Firmware#BOOT_NANOS} of virtual time; writing it while the MCU is ENABLED or FATAL
 * changes nothing. DISABLE stops the firmware at once (MCU_STATUS DISABLED, every CSG slot
 * dropped). Each MCU_STATUS change raises GPU_IRQ MCU_STATUS_CHANGED (bit 19; panthor keeps
 * it masked). A doorbell is a write of any value; reads return 0; doorbells written while the
 * firmware is not running are dropped (recorded as "csf-doorbell-dropped").
 *
 * A GPU soft/hard reset ({@link #reset}) disables the MCU, drops every slot and pending
 * firmware event and resets JOB_INT_RAWSTAT/MASK; memory, including the shared section and
 * suspend buffers, is untouched.
 */
public final class CsfBlock {

    /** Doorbells decoded: CSF_DOORBELL(0) .. CSF_DOORBELL(CSF_DOORBELL_COUNT - 1). */
    public static final int DOORBELL_COUNT = CSF_DOORBELL_COUNT;

    public static int jobIrqCsg(int csg) {
        return JOB_INT_CSG_IF(csg);
    }

    private final GpuModel model;
    private final EventTrace trace;
    private final IrqRegs jobIrq;
    private final Firmware firmware;
    private int mcuControl;
    private int mcuStatus = MCU_STATUS_DISABLED;

    public CsfBlock(GpuModel model) {
        this.model = model;
        this.trace = model.trace();
        this.jobIrq = new IrqRegs(IrqLine.JOB, model.irq(), trace);
        this.firmware = new Firmware(model, this);
        MmioBus mmio = model.mmio();
        jobIrq.mapAt(mmio, JOB_INT_RAWSTAT, "JOB_INT");
        model.irq().connect(IrqLine.JOB, jobIrq::stat);
        mmio.map(MCU_CONTROL, "MCU_CONTROL", () -> mcuControl, this::writeMcuControl);
        mmio.mapReadOnly(MCU_STATUS, "MCU_STATUS", () -> mcuStatus);
        for (int i = 0; i < DOORBELL_COUNT; i++) {
            int id = i;
            mmio.map(CSF_DOORBELL(i), "CSF_DOORBELL" + i, () -> 0, v -> firmware.doorbell(id));
        }
    }

    private void writeMcuControl(int value) {
        mcuControl = value;
        trace.record("mcu-control", value);
        switch (value) {
            case MCU_CONTROL_ENABLE, MCU_CONTROL_AUTO -> {
                if (mcuStatus == MCU_STATUS_DISABLED || mcuStatus == MCU_STATUS_HALT) {
                    setMcuStatus(MCU_STATUS_ENABLED);
                    firmware.startBoot();
                }
            }
            case MCU_CONTROL_DISABLE -> {
                firmware.stop();
                setMcuStatus(MCU_STATUS_DISABLED);
            }
            default -> trace.record("mcu-control-ignored", value);
        }
    }

    void setMcuStatus(int status) {
        if (status == mcuStatus) {
            return;
        }
        mcuStatus = status;
        trace.record("mcu-status", status);
        model.gpu().irq().raise(GPU_IRQ_MCU_STATUS_CHANGED);
    }

    void raiseJobIrq(int bits) {
        jobIrq.raise(bits);
    }

    /** GPU soft/hard reset: MCU disabled, firmware state dropped, JOB IRQ registers reset. */
    public void reset() {
        firmware.stop();
        mcuStatus = MCU_STATUS_DISABLED;
        mcuControl = MCU_CONTROL_DISABLE;
        jobIrq.reset();
        model.irq().levelChanged(IrqLine.JOB);
        trace.record("csf-reset");
    }

    public int mcuStatus() {
        return mcuStatus;
    }

    public int mcuControl() {
        return mcuControl;
    }

    public IrqRegs irq() {
        return jobIrq;
    }

    /** The firmware model (inspection and the fault-injection hooks below). */
    public Firmware firmware() {
        return firmware;
    }

    // --- fault injection ------------------------------------------------------------------------

    /** While set, enabling the MCU leaves MCU_STATUS ENABLED but the firmware never comes up. */
    public void failFirmwareBoot(boolean fail) {
        synchronized (model.lock()) {
            firmware.failBoot(fail);
        }
    }

    /** While set, queue {@code cs} of CSG slot {@code csg} makes no progress. */
    public void hangQueue(int csg, int cs, boolean hang) {
        synchronized (model.lock()) {
            firmware.hangQueue(csg, cs, hang);
        }
    }

    /** Raises CS_FATAL with {@code exceptionType} on queue {@code cs} of CSG slot {@code csg}. */
    public void csFatal(int csg, int cs, int exceptionType) {
        synchronized (model.lock()) {
            firmware.csFatal(csg, cs, exceptionType);
        }
    }

    /** Disarms the firmware fault injections. */
    public void clearInjections() {
        synchronized (model.lock()) {
            firmware.clearInjections();
        }
    }

    /** The firmware fault injections armed now, human-readable. */
    public java.util.List<String> armedFaults() {
        synchronized (model.lock()) {
            return firmware.armedFaults();
        }
    }
}
