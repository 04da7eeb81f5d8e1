package driver.core.internal.fw;

import hw.model.csf.CsfLayout;

import static driver.core.internal.fw.FwIfaceDefs.*;
import static hw.model.csf.CsfLayout.*;
import static hw.model.regs.MaliRegs.*;

import driver.core.internal.device.DrmLog;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.device.PanthorIrq;
import driver.core.internal.gpu.PanthorGpu;
import driver.core.kernel.DelayedWork;
import driver.core.kernel.KernelMapping;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import hw.model.api.IrqLine;
import hw.model.api.Mmio;
import hw.model.api.VirtualTime;

/**
 * DOC: Firmware layer ({@code panthor_fw.c}).
 *
 * Boots the MCU and gives the rest of the driver the firmware's interfaces.
 *
 * There is no firmware binary: the model's firmware is part of the hardware model and only
 * needs its shared section mapped. {@link #init()} therefore "loads" one section, the shared
 * interface region: {@value FwIfaceDefs#CSF_MCU_SHARED_REGION_START}-based, {@link #SHARED_SECTION_SIZE}
 * bytes, read/write, mapped in the MCU VM ({@link McuVm}), zeroed. Then, as
 * {@code panthor_fw_init()}: request the JOB IRQ (masked), power the L2 on, make the MCU VM
 * active (AS0), start the MCU ({@code panthor_fw_start()}: JOB IRQ unmasked, MCU_CONTROL AUTO,
 * wait up to 1 s for the JOB_INT GLOBAL_IF boot interrupt), discover the interfaces
 * ({@code panthor_fw_init_ifaces()}) and configure the global interface
 * ({@code panthor_fw_init_global_iface()}).
 *
 * Interface discovery reads the global control structure at the start of the shared section
 * (version must be non-zero, group_num within [3, 31]), then CSG n's control at
 * CSF_GROUP_CONTROL_OFFSET + n * group_stride and CS m's at CSF_STREAM_CONTROL_OFFSET +
 * m * stream_stride inside it, and follows each input_va/output_va (MCU addresses, which must
 * fall inside the shared section) to the input and output structures. CSG slots must be
 * identical, as must CS slots; stream_num within [8, 32].
 *
 * Global configuration: all shader cores enabled (core_en_mask = shader_present), poweroff
 * timer 10 ms and idle timer 800 µs on the 24 MHz system counter, progress timer
 * 5 * 500 * 2^20 cycles (in units of 1024), ack_irq_mask for CFG_ALLOC_EN, PING,
 * CFG_PROGRESS_TIMER, CFG_POWEROFF_TIMER, IDLE_EN and IDLE; IDLE_EN and COUNTER_EN set (as
 * UABI 1.6+ does), CFG_ALLOC_EN/CFG_POWEROFF_TIMER/CFG_PROGRESS_TIMER toggled; global doorbell;
 * the 12 s ping watchdog armed.
 *
 * The JOB IRQ handler marks the firmware booted on the first GLOBAL_IF and, once booted,
 * hands every status to the scheduler's {@link FwEventListener}. REQ/ACK: see {@link FwIface}
 * and {@link #glbWaitAcks}; waits are {@link VirtualTime#await} (the firmware acknowledges on
 * the virtual clock, so no explicit wake-up is needed).
 *
 * Reset: {@link #preReset(boolean)} halts the MCU when the reset is not caused by a hang (a
 * clean halt allows a fast reset that keeps the sections), {@link #postReset()} re-enables the
 * MCU VM, reloads the sections after a slow reset (zeroes the shared section) or clears the
 * HALT request after a fast one, restarts the MCU and reconfigures the global interface.
 * Suspend/resume are pre-reset(false)/post-reset, as in {@code panthor_fw.h}.
 */
public final class PanthorFw {

    /** Size of the shared section the model's firmware uses (its FW_SHARED_SECTION_SIZE). */
    public static final int SHARED_SECTION_SIZE = 0x2_0000;

    private final PanthorDeviceCore ptdev;
    private final Mmio mmio;
    private final VirtualTime time;
    private final DrmLog log;
    private final PanthorIrq irq;
    private final DelayedWork pingWork;
    private volatile FwEventListener listener = events -> { };
    private volatile boolean booted;
    private McuVm vm;
    private KernelMapping shared;
    private FwIface.Glb glb;
    private FwIface.Csg[] csgs = new FwIface.Csg[0];
    private FwIface.Cs[][] css = new FwIface.Cs[0][0];
    private long pings;

    public PanthorFw(PanthorDeviceCore ptdev) {
        this.ptdev = ptdev;
        this.mmio = ptdev.mmio();
        this.time = ptdev.time();
        this.log = ptdev.log();
        this.irq = new PanthorIrq("job", mmio, ptdev.interrupts(), IrqLine.JOB, JOB_INT_RAWSTAT);
        irq.setHandler(this::jobIrqHandler);
        this.pingWork = new DelayedWork(time, this::pingWork);
    }

    public PanthorIrq irq() {
        return irq;
    }

    /** Where the JOB IRQ sends firmware events once booted (the scheduler). */
    public void setEventListener(FwEventListener listener) {
        this.listener = listener == null ? events -> { } : listener;
    }

    // ------------------------------------------------------------------ init

    /**
     * {@code panthor_fw_init()}.
     *
     * @return 0, or a negative errno; on failure the firmware layer is unplugged again
     */
    public int init() {
        irq.request(0);
        PanthorGpu gpu = ptdev.gpu();
        int ret = gpu.l2PowerOn();
        if (ret != 0) {
            irq.free();
            return ret;
        }
        vm = ptdev.mmu().mcuVm();
        ret = load();
        if (ret == 0) {
            ret = vm.active();
        }
        if (ret == 0) {
            ret = start();
        }
        if (ret == 0) {
            ret = initIfaces();
        }
        if (ret != 0) {
            unplug();
            return ret;
        }
        initGlobalIface();
        return 0;
    }

    /** {@code panthor_fw_load()}: the one section there is, the shared interface region. */
    private int load() {
        try {
            shared = vm.mapShared(CSF_MCU_SHARED_REGION_START, SHARED_SECTION_SIZE);
            return 0;
        } catch (ErrnoException e) {
            log.err("Failed to map the firmware shared section: %s", e.getMessage());
            return -e.errno();
        }
    }

    /** {@code panthor_fw_start()}: unmask the JOB IRQ, MCU_CONTROL AUTO, wait for the boot IRQ. */
    private int start() {
        booted = false;
        irq.resume(~0);
        mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        boolean timedOut = false;
        if (!time.await(() -> booted, FW_BOOT_TIMEOUT_MS * VirtualTime.NANOS_PER_MS)) {
            if (!booted && (mmio.read32(JOB_INT_STAT) & JOB_INT_GLOBAL_IF) == 0) {
                timedOut = true;
            }
        }
        if (timedOut) {
            int status = mmio.read32(MCU_STATUS);
            String[] names = {"disabled", "enabled", "halt", "fatal"};
            log.err("Failed to boot MCU (status=%s)", status >= 0 && status < names.length ? names[status] : "unknown");
            return -Errno.ETIMEDOUT;
        }
        return 0;
    }

    /** {@code panthor_fw_stop()}: MCU_CONTROL DISABLE, poll MCU_STATUS DISABLED (100 ms). */
    private void stop() {
        mmio.write32(MCU_CONTROL, MCU_CONTROL_DISABLE);
        if (!time.await(() -> mmio.read32(MCU_STATUS) == MCU_STATUS_DISABLED,
                MCU_STATUS_TIMEOUT_MS * VirtualTime.NANOS_PER_MS)) {
            log.err("Failed to stop MCU");
        }
    }

    /** {@code iface_fw_to_cpu_addr()}: offset in the shared section of an MCU address, or -1. */
    private long ifaceFwToCpuOffset(long mcuVa) {
        long va = mcuVa & 0xFFFF_FFFFL;
        return shared.containsGpuVa(va) ? va - shared.gpuVa() : -1;
    }

    private FwIface.Area area(long offset) {
        return new FwIface.Area(shared, offset);
    }

    /** {@code panthor_fw_init_ifaces()}. */
    private int initIfaces() {
        FwIface.Area control = area(0);
        int version = control.read32(GLB_CONTROL_VERSION);
        if (version == 0) {
            log.err("Firmware version is 0. Firmware may have failed to boot");
            return -Errno.EINVAL;
        }
        long in = ifaceFwToCpuOffset(control.read32(GLB_CONTROL_INPUT_VA));
        long out = ifaceFwToCpuOffset(control.read32(GLB_CONTROL_OUTPUT_VA));
        if (in < 0 || out < 0) {
            log.err("Invalid global control interface input/output VA");
            return -Errno.EINVAL;
        }
        FwIface.Glb g = new FwIface.Glb(control, area(in), area(out));
        int groupNum = control.read32(GLB_CONTROL_GROUP_NUM);
        if (groupNum > MAX_CSGS || groupNum < MIN_CSGS) {
            log.err("Invalid number of control groups");
            return -Errno.EINVAL;
        }
        int groupStride = control.read32(GLB_CONTROL_GROUP_STRIDE);
        FwIface.Csg[] groups = new FwIface.Csg[groupNum];
        FwIface.Cs[][] streams = new FwIface.Cs[groupNum][];
        for (int i = 0; i < groupNum; i++) {
            int ret = initCsgIface(i, groupStride, groups, streams);
            if (ret != 0) {
                return ret;
            }
        }
        synchronized (this) {
            glb = g;
            csgs = groups;
            css = streams;
        }
        log.info("CSF FW using interface v%d.%d.%d, Features %#x Instrumentation features %#x",
                versionMajor(version), versionMinor(version), versionPatch(version),
                control.read32(GLB_CONTROL_FEATURES),
                version < csfIfaceVersion(1, 1, 0) ? 0 : control.read32(GLB_CONTROL_INSTR_FEATURES));
        return 0;
    }

    /** {@code panthor_init_csg_iface()}. */
    private int initCsgIface(int csgIdx, int groupStride, FwIface.Csg[] groups, FwIface.Cs[][] streams) {
        long ifaceOffset = CSF_GROUP_CONTROL_OFFSET + (long) csgIdx * groupStride;
        if (ifaceOffset + CSG_CONTROL_SIZE >= shared.size()) {
            return -Errno.EINVAL;
        }
        FwIface.Area control = area(ifaceOffset);
        long in = ifaceFwToCpuOffset(control.read32(CSG_CONTROL_INPUT_VA));
        long out = ifaceFwToCpuOffset(control.read32(CSG_CONTROL_OUTPUT_VA));
        int streamNum = control.read32(CSG_CONTROL_STREAM_NUM);
        if (streamNum < MIN_CS_PER_CSG || streamNum > MAX_CS_PER_CSG) {
            return -Errno.EINVAL;
        }
        if (in < 0 || out < 0) {
            log.err("Invalid group control interface input/output VA");
            return -Errno.EINVAL;
        }
        if (csgIdx > 0) {
            FwIface.Area first = groups[0].control();
            if (first.read32(CSG_CONTROL_FEATURES) != control.read32(CSG_CONTROL_FEATURES)
                    || first.read32(CSG_CONTROL_SUSPEND_SIZE) != control.read32(CSG_CONTROL_SUSPEND_SIZE)
                    || first.read32(CSG_CONTROL_PROTM_SUSPEND_SIZE) != control.read32(CSG_CONTROL_PROTM_SUSPEND_SIZE)
                    || first.read32(CSG_CONTROL_STREAM_NUM) != streamNum) {
                log.err("Expecting identical CSG slots");
                return -Errno.EINVAL;
            }
        }
        groups[csgIdx] = new FwIface.Csg(csgIdx, control, area(in), area(out));
        int streamStride = control.read32(CSG_CONTROL_STREAM_STRIDE);
        streams[csgIdx] = new FwIface.Cs[streamNum];
        for (int i = 0; i < streamNum; i++) {
            int ret = initCsIface(csgIdx, i, ifaceOffset, streamStride, streams);
            if (ret != 0) {
                return ret;
            }
        }
        return 0;
    }

    /** {@code panthor_init_cs_iface()}. */
    private int initCsIface(int csgIdx, int csIdx, long csgOffset, int streamStride, FwIface.Cs[][] streams) {
        long ifaceOffset = csgOffset + CSF_STREAM_CONTROL_OFFSET + (long) csIdx * streamStride;
        if (ifaceOffset + CS_CONTROL_SIZE >= shared.size()) {
            return -Errno.EINVAL;
        }
        FwIface.Area control = area(ifaceOffset);
        long in = ifaceFwToCpuOffset(control.read32(CS_CONTROL_INPUT_VA));
        long out = ifaceFwToCpuOffset(control.read32(CS_CONTROL_OUTPUT_VA));
        if (in < 0 || out < 0) {
            log.err("Invalid stream control interface input/output VA");
            return -Errno.EINVAL;
        }
        if (csgIdx != 0 || csIdx != 0) {
            FwIface.Cs first = streams[0][0];
            if (first.control().read32(CS_CONTROL_FEATURES) != control.read32(CS_CONTROL_FEATURES)) {
                log.err("Expecting identical CS slots");
                return -Errno.EINVAL;
            }
        }
        streams[csgIdx][csIdx] = new FwIface.Cs(csgIdx, csIdx, control, area(in), area(out));
        return 0;
    }

    /**
     * {@code panthor_fw_conv_timeout()}: a timeout in µs as a GLB timer value on the 24 MHz
     * system counter (the arch timer), in units of 1024 ticks, rounded up.
     */
    int convTimeout(long timeoutUs) {
        long rate = ptdev.clock().timestampFrequencyHz();
        boolean useCycleCounter = false;
        if (rate == 0) {
            useCycleCounter = true;
            rate = ptdev.clock().frequencyHz();
        }
        long div = 1_000_000L << 10;
        long modCycles = (timeoutUs * rate + div - 1) / div;
        if (modCycles > glbTimerVal(~0L)) {
            modCycles = glbTimerVal(~0L);
        }
        return glbTimerVal(modCycles) | (useCycleCounter ? GLB_TIMER_SOURCE_GPU_COUNTER : 0);
    }

    /** {@code panthor_fw_init_global_iface()}. */
    private void initGlobalIface() {
        FwIface.Glb g = glbIface();
        g.input().write64(GLB_INPUT_CORE_EN_MASK, ptdev.gpuInfo().shaderPresent());
        g.input().write32(GLB_INPUT_POWEROFF_TIMER, convTimeout(PWROFF_HYSTERESIS_US));
        g.input().write32(GLB_INPUT_PROGRESS_TIMER, (int) (PROGRESS_TIMEOUT_CYCLES >>> PROGRESS_TIMEOUT_SCALE_SHIFT));
        g.input().write32(GLB_INPUT_IDLE_TIMER, convTimeout(IDLE_HYSTERESIS_US));
        g.input().write32(GLB_INPUT_ACK_IRQ_MASK, GLB_CFG_ALLOC_EN | GLB_PING | GLB_CFG_PROGRESS_TIMER
                | GLB_CFG_POWEROFF_TIMER | GLB_IDLE_EN | GLB_IDLE);
        g.updateReqs(GLB_INPUT_REQ, GLB_IDLE_EN | GLB_COUNTER_EN, GLB_IDLE_EN | GLB_COUNTER_EN);
        g.toggleReqs(GLB_INPUT_REQ, GLB_OUTPUT_ACK, GLB_CFG_ALLOC_EN | GLB_CFG_POWEROFF_TIMER | GLB_CFG_PROGRESS_TIMER);
        ringDoorbell(CSF_GLB_DOORBELL_ID);
        pingWork.modDelayedWork(ptdev.resetWq(), PING_INTERVAL_MS * VirtualTime.NANOS_PER_MS);
    }

    // ------------------------------------------------------------------ IRQ

    /** {@code panthor_job_irq_handler()}. */
    private void jobIrqHandler(int status) {
        if (!booted && (status & JOB_INT_GLOBAL_IF) != 0) {
            booted = true;
        }
        if (!booted) {
            return;
        }
        listener.reportFwEvents(status);
    }

    public boolean booted() {
        return booted;
    }

    // ------------------------------------------------------------------ interfaces

    /** {@code panthor_fw_get_glb_iface()}. */
    public synchronized FwIface.Glb glbIface() {
        return glb;
    }

    /** {@code panthor_fw_get_csg_iface()}. */
    public synchronized FwIface.Csg csgIface(int csgSlot) {
        if (csgSlot < 0 || csgSlot >= csgs.length) {
            throw new IllegalArgumentException("no CSG slot " + csgSlot);
        }
        return csgs[csgSlot];
    }

    /** {@code panthor_fw_get_cs_iface()}. */
    public synchronized FwIface.Cs csIface(int csgSlot, int csSlot) {
        if (csgSlot < 0 || csgSlot >= css.length || csSlot < 0 || csSlot >= css[csgSlot].length) {
            throw new IllegalArgumentException("no CS slot " + csgSlot + "/" + csSlot);
        }
        return css[csgSlot][csSlot];
    }

    /** CSG slots the firmware offers (glb control group_num). */
    public synchronized int csgSlotCount() {
        return csgs.length;
    }

    /** CS slots per CSG (CSG 0's stream_num). */
    public synchronized int csSlotCount() {
        return css.length == 0 ? 0 : css[0].length;
    }

    /** The firmware's interface version (glb control version). */
    public int version() {
        FwIface.Glb g = glbIface();
        return g == null ? 0 : g.control().read32(GLB_CONTROL_VERSION);
    }

    /**
     * CSIF_INFO as the firmware interfaces give it: CSG slots ({@code min(group_num,
     * MAX_CSG_PRIO + 1)}, as {@code panthor_sched_init()} caps it), CS slots, CS work registers
     * and scoreboards (CS 0's features), and the 4 unpreserved registers.
     */
    public DrmPanthorCsifInfo csifInfo() {
        FwIface.Cs cs0 = csIface(0, 0);
        int features = cs0.control().read32(CS_CONTROL_FEATURES);
        return new DrmPanthorCsifInfo(Math.min(csgSlotCount(), MAX_CSG_PRIO + 1), csSlotCount(),
                csFeaturesWorkRegs(features), csFeaturesScoreboards(features), CSF_UNPRESERVED_REG_COUNT, 0);
    }

    /** The shared section as the kernel sees it. */
    public KernelMapping sharedSection() {
        return shared;
    }

    // ------------------------------------------------------------------ REQ/ACK and doorbells

    /** Outcome of a REQ/ACK wait: 0 or -ETIMEDOUT, and the requests that were acknowledged. */
    public record AckWait(int ret, int acked) {
        public boolean ok() {
            return ret == 0;
        }
    }

    /** {@code panthor_fw_wait_acks()}. */
    private AckWait waitAcks(FwIface iface, int reqReg, int ackReg, int reqMask, long timeoutMs) {
        int req = iface.input().read32(reqReg) & reqMask;
        if (time.await(() -> (iface.output().read32(ackReg) & reqMask) == req,
                timeoutMs * VirtualTime.NANOS_PER_MS)) {
            return new AckWait(0, reqMask);
        }
        int ack = iface.output().read32(ackReg);
        if ((ack & reqMask) == req) {
            return new AckWait(0, reqMask);
        }
        return new AckWait(-Errno.ETIMEDOUT, ~(req ^ ack) & reqMask);
    }

    /**
     * {@code panthor_fw_glb_wait_acks()}: waits for the global requests in {@code reqMask}.
     * GLB_HALT is never acknowledged through the interface: asking for it is -EINVAL.
     */
    public AckWait glbWaitAcks(int reqMask, long timeoutMs) {
        if ((reqMask & (~GLB_REQ_MASK | GLB_HALT)) != 0) {
            log.warn("WARN_ON(req_mask & (~GLB_REQ_MASK | GLB_HALT))");
            return new AckWait(-Errno.EINVAL, 0);
        }
        return waitAcks(glbIface(), GLB_INPUT_REQ, GLB_OUTPUT_ACK, reqMask, timeoutMs);
    }

    /**
     * {@code panthor_fw_csg_wait_acks()}: waits for CSG requests; a partially acknowledged
     * STATE field counts as not acknowledged.
     */
    public AckWait csgWaitAcks(int csgSlot, int reqMask, long timeoutMs) {
        if ((reqMask & ~CSG_REQ_MASK) != 0) {
            log.warn("WARN_ON(req_mask & ~CSG_REQ_MASK)");
            return new AckWait(-Errno.EINVAL, 0);
        }
        AckWait w = waitAcks(csgIface(csgSlot), CSG_INPUT_REQ, CSG_OUTPUT_ACK, reqMask, timeoutMs);
        int acked = w.acked();
        if ((acked & CSG_STATE_MASK) != CSG_STATE_MASK) {
            acked &= ~CSG_STATE_MASK;
        }
        return new AckWait(w.ret(), acked);
    }

    /** Rings doorbell {@code id} (0: the global/kernel doorbell, n + 1: CSG slot n's user doorbell). */
    public void ringDoorbell(int id) {
        mmio.write32(CSF_DOORBELL(id), 1);
    }

    /** {@code panthor_fw_ring_csg_doorbells()}: toggle doorbell_req bits, ring the global doorbell. */
    public void ringCsgDoorbells(int csgMask) {
        glbIface().toggleReqs(GLB_INPUT_DOORBELL_REQ, GLB_OUTPUT_DOORBELL_ACK, csgMask);
        ringDoorbell(CSF_GLB_DOORBELL_ID);
    }

    /** {@code panthor_fw_ping_work()}: GLB_PING every 12 s; no answer in 100 ms schedules a reset. */
    private void pingWork() {
        if (ptdev.resetPending()) {
            return;
        }
        FwIface.Glb g = glbIface();
        g.toggleReqs(GLB_INPUT_REQ, GLB_OUTPUT_ACK, GLB_PING);
        ringDoorbell(CSF_GLB_DOORBELL_ID);
        synchronized (this) {
            pings++;
        }
        if (!glbWaitAcks(GLB_PING, 100).ok()) {
            ptdev.scheduleReset();
            log.err("FW ping timeout, scheduling a reset");
        } else {
            pingWork.modDelayedWork(ptdev.resetWq(), PING_INTERVAL_MS * VirtualTime.NANOS_PER_MS);
        }
    }

    /** Watchdog pings sent. */
    public synchronized long pingCount() {
        return pings;
    }

    /** The watchdog's delayed work (tests read its deadline). */
    public DelayedWork pingWorkItem() {
        return pingWork;
    }

    // ------------------------------------------------------------------ reset, PM, unplug

    /**
     * {@code panthor_fw_pre_reset()}: stop the watchdog; unless the GPU hung, ask the MCU to
     * halt (GLB_HALT, poll MCU_STATUS HALT 100 ms), which allows a fast reset; suspend the JOB IRQ.
     */
    public void preReset(boolean onHang) {
        pingWork.cancelSync();
        ptdev.setResetFast(false);
        if (!onHang) {
            FwIface.Glb g = glbIface();
            g.updateReqs(GLB_INPUT_REQ, GLB_HALT, GLB_HALT);
            ringDoorbell(CSF_GLB_DOORBELL_ID);
            if (time.await(() -> mmio.read32(MCU_STATUS) == MCU_STATUS_HALT,
                    MCU_STATUS_TIMEOUT_MS * VirtualTime.NANOS_PER_MS)) {
                ptdev.setResetFast(true);
            } else {
                log.warn("Failed to cleanly suspend MCU");
            }
        }
        irq.suspend();
    }

    /**
     * {@code panthor_fw_post_reset()}: MCU VM active; after a slow reset reload the sections
     * (zero the shared section), after a fast one clear GLB_HALT (the firmware acts on its 0 to 1
     * transition); start the MCU; reconfigure the global interface.
     *
     * @return 0, or a negative errno if the MCU does not boot
     */
    public int postReset() {
        int ret = vm.active();
        if (ret != 0) {
            return ret;
        }
        if (!ptdev.resetFast()) {
            shared.clear();
        } else {
            glbIface().updateReqs(GLB_INPUT_REQ, 0, GLB_HALT);
        }
        ret = start();
        if (ret != 0) {
            log.err("FW %s reset failed", ptdev.resetFast() ? "fast" : "slow");
            return ret;
        }
        initGlobalIface();
        return 0;
    }

    /** {@code panthor_fw_suspend()}. */
    public void suspend() {
        preReset(false);
    }

    /** {@code panthor_fw_resume()}. */
    public int resume() {
        return postReset();
    }

    /**
     * {@code panthor_fw_unplug()}: stop the watchdog; if powered, silence the JOB IRQ and stop
     * the MCU; release the sections and the MCU VM; if powered, power the GPU down.
     */
    public void unplug() {
        pingWork.cancelSync();
        boolean active = ptdev.pmActive();
        if (active) {
            irq.suspend();
            stop();
        }
        irq.free();
        if (vm != null) {
            vm.destroy();
        }
        shared = null;
        synchronized (this) {
            glb = null;
            csgs = new FwIface.Csg[0];
            css = new FwIface.Cs[0][0];
        }
        if (active) {
            ptdev.gpu().powerOffAll();
        }
    }
}
