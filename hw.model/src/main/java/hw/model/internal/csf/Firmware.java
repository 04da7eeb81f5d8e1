package hw.model.internal.csf;

import hw.model.csf.CsfLayout;

import static hw.model.csf.CsfLayout.*;

import hw.model.api.VirtualTime;
import hw.model.internal.EventTrace;
import hw.model.internal.G610;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.GpuModel;
import hw.model.internal.VirtualClock;
import hw.model.internal.clock.ClockModel;
import hw.model.internal.cs.CommandStream;
import hw.model.internal.cs.CsHost;
import hw.model.internal.cs.CsState;
import hw.model.internal.gpu.GpuControl;
import hw.model.regs.MaliRegs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DOC: The CSF firmware model.
 *
 * A Java stand-in for the Cortex-M7 firmware (mali_csffw.bin) that talks to the host only the
 * way the real one does: through the shared section in the MCU address space (AS0, MCU VA
 * {@link CsfLayout#CSF_MCU_SHARED_REGION_START}), the JOB IRQ and the doorbells. Every firmware access
 * to the shared section and to the queues' user I/O pages goes through the MMU as AS0; ring
 * buffers and sync objects are accessed through the AS of the group's VM (CSG_INPUT.config).
 *
 * Boot ({@link #BOOT_NANOS} after MCU_CONTROL ENABLE/AUTO): the firmware writes the global
 * control interface at the start of the shared section (version 1.1.0, 8 CSG slots), the CSG
 * control interfaces at CSF_GROUP_CONTROL_OFFSET + n * group_stride and the CS control
 * interfaces at CSF_STREAM_CONTROL_OFFSET + m * stream_stride inside them, then zeroes its
 * output areas (it owns them; the input areas keep whatever the host wrote, which is what a
 * fast reset relies on) except that each ACK's event bits start equal to the host's REQ: a
 * freshly booted firmware has no event pending (after a fast reset the host's REQ still holds
 * the toggles it acknowledged before; zeroed, they would read as events nobody raised, e.g. a
 * CS_FATAL with exception type 0), and raises JOB_INT GLOBAL_IF: the "booted" signal panthor_fw_start()
 * waits for. If AS0 does not map the shared section writable the firmware takes an MMU fault
 * (latched in AS0's FAULTSTATUS, MMU IRQ bit 0), MCU_STATUS becomes FATAL and no boot IRQ
 * comes. With {@link #failBoot} armed the MCU stays ENABLED and nothing else happens.
 *
 * REQ/ACK. The host writes input areas and rings a doorbell; {@link #REQUEST_NANOS} later the
 * firmware processes every field whose REQ differs from its ACK and makes ACK equal REQ for
 * exactly those fields (toggle bits and level fields alike), then raises the JOB IRQ (bit 31
 * for the global interface, bit n for CSG n) if any acknowledged bit is set in that
 * interface's ack_irq_mask. Firmware events go the other way: the firmware toggles the event
 * bit in ACK only if REQ == ACK for it (no event pending), and the host acknowledges by
 * copying ACK into REQ. The work each doorbell triggers:
 *
 *  - Doorbell 0 (global): GLB requests (GLB_REQ_MASK except HALT): CFG_PROGRESS_TIMER latches
 *    progress_timer (units of 1024 GPU cycles), CFG_ALLOC_EN latches core_en_mask and powers
 *    those shader cores and the tiler on (the firmware owns core power under MCU_CONTROL
 *    AUTO), IDLE_EN follows the REQ level and enables GLB_IDLE events, CFG_POWEROFF_TIMER,
 *    COUNTER_EN, PING, FWCFG_UPDATE, PERFCNT_EN/SAMPLE and PROTM_ENTER are acknowledged without
 *    further effect. GLB_HALT is a level the firmware acts on at a 0 to 1 transition (the
 *    last level seen at boot counts): it writes halt_status = 0, stops every slot and sets
 *    MCU_STATUS HALT; it is never acknowledged in ACK (as panthor_fw_glb_wait_acks says).
 *    Then every CSG whose bit differs between doorbell_req and doorbell_ack is processed and
 *    doorbell_ack is made equal to doorbell_req.
 *  - A CSG: ENDPOINT_CONFIG reads endpoint_req (priority 31:28, max compute cores 7:0) and
 *    the allow masks and reports them in status_endpoint_req/current; the STATE field
 *    (TERMINATE 0, START 1, SUSPEND 2, RESUME 3; other values are ignored and left
 *    unacknowledged) changes the slot; then every CS whose bit differs between the CSG's
 *    doorbell_req and doorbell_ack is processed; STATUS_UPDATE refreshes the status outputs.
 *  - A CS: the CS_STATE field is applied as a level (START binds and runs the queue, STOP
 *    stops it), the CS_REQ_MASK bits are acknowledged, and a CS_FAULT the host acknowledged
 *    resumes the stream. Acknowledged CS bits in the CS ack_irq_mask toggle the CS's bit in
 *    CSG cs_irq_req (if not already pending) and raise the CSG's JOB IRQ bit.
 *  - Doorbell n >= 1 (user): every running CS whose CS_CONFIG_DOORBELL is n re-reads its
 *    insert pointer and runs.
 *
 * CSG states. START binds the group's AS (config) and starts every CS whose REQ state is
 * START at the extract offset the host left in the input page. SUSPEND refreshes the status
 * outputs (panthor reads blocked reasons right after), then keeps the CommandStream objects in
 * the model and writes a 16-byte record (magic, id) at suspend_buf through AS0; RESUME (in any
 * slot) reads that record back through AS0 and continues the saved streams where they were.
 * A suspend_buf of 0, or a record that does not match, resumes fresh streams. TERMINATE drops
 * the streams. Leaving RUNNING clears each queue's output "active" word.
 *
 * Execution. Running streams are interpreted by {@link CommandStream} in slices of
 * {@link #SLICE_CYCLES} GPU cycles; a slice's effects on memory happen when it starts, and the
 * next slice starts after the slice's cycles converted to virtual time at the current GPU
 * clock. Streams due at the same time run in order of CSG priority (endpoint_req, highest
 * first), then CSG slot, CS priority (CS_CONFIG), CS slot. A stream blocked in SYNC_WAIT
 * re-evaluates its wait after any SYNC_ADD/SET of any stream and on its doorbells; an empty
 * stream waits for a doorbell. The "cs" activity source of the clock model is active while
 * any stream has a run pending or hangs with work.
 *
 * Events. CSG_SYNC_UPDATE on the CSG whose stream executed a SYNC_ADD/SET. CSG_IDLE once per
 * idle period, when every started CS of a running group is empty, blocked on a sync wait or
 * dead (CS_IDLE_* configuration bits are acknowledged but not consulted). GLB_IDLE, while
 * IDLE_EN is set, once all running groups have stayed idle for idle_timer (GLB_TIMER_VAL *
 * 1024 ticks of the 24 MHz system counter, or of the GPU clock with
 * GLB_TIMER_SOURCE_GPU_COUNTER). CSG_PROGRESS_TIMER_EVENT when a CS with work makes no
 * progress (hung by fault injection, or blocked on a stalled cache flush) for progress_timer
 * * 1024 GPU cycles; once per stall. CS_FATAL / CS_FAULT with the exception type/data in
 * fatal/fault and the info in fatal_info/fault_info, as the interpreter reports them.
 *
 * Not modelled: protected mode, performance counters, tiler heap OOM, MCU sleep and
 * shader-core power-off on the poweroff timer, iterator tracing, endpoint contention between
 * groups (each stream gets its group's allowed cores).
 */
public final class Firmware {

    /** From MCU enable to the boot IRQ. */
    public static final long BOOT_NANOS = 100_000L;
    /** From a doorbell to the firmware acting on it. */
    public static final long REQUEST_NANOS = 2_000L;
    /** Cycle budget of one execution slice. */
    public static final long SLICE_CYCLES = 20_000L;
    /** Retry period of a stream blocked on a stalled cache flush. */
    public static final long FLUSH_RETRY_NANOS = 100_000L;
    /** First word of a suspend-buffer record ("CSFSUSP1"). */
    public static final long SUSPEND_MAGIC = 0x3150_5355_5346_5343L;

    private static final int SAVED_GROUPS_MAX = 256;
    private static final String ACTIVITY = "cs";

    private interface Work {
        void run() throws GpuFault;
    }

    private final GpuModel model;
    private final CsfBlock block;
    private final Object lock;
    private final VirtualClock clock;
    private final EventTrace trace;
    private final ClockModel gpuClock;
    private final int csgCount = G610.CSG_SLOT_COUNT;
    private final int csCount = G610.CS_SLOT_COUNT;
    private final CsgSlot[] csgs = new CsgSlot[csgCount];
    private final boolean[][] hung = new boolean[csgCount][csCount];
    private final Map<Long, CommandStream[]> saved = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CommandStream[]> e) {
            return size() > SAVED_GROUPS_MAX;
        }
    };
    private long nextSaveId = 1;

    private GpuBus mcu;
    private int generation;
    private boolean running;
    private boolean failBoot;

    private boolean haltSeen;
    private boolean idleEnabled;
    private long progressTimeoutCycles;
    private long coreEnMask = G610.SHADER_PRESENT;
    private int idleTimer;
    private boolean glbIdleReported;
    private VirtualTime.Timer glbIdleTimer;
    private VirtualTime.Timer dispatchTimer;
    private boolean busy;

    Firmware(GpuModel model, CsfBlock block) {
        this.model = model;
        this.block = block;
        this.lock = model.lock();
        this.clock = model.clock();
        this.trace = model.trace();
        this.gpuClock = model.gpuClock();
        for (int i = 0; i < csgCount; i++) {
            csgs[i] = new CsgSlot(this, i, csCount);
        }
    }

    // =========================================================================== life cycle

    /** Whether the firmware booted and is serving requests (not halted, faulted or stopped). */
    public boolean running() {
        synchronized (lock) {
            return running;
        }
    }

    GpuBus mcu() {
        return mcu;
    }

    /** MCU enabled: boot after {@link #BOOT_NANOS}. Caller holds the model lock. */
    void startBoot() {
        stop();
        trace.record("fw-boot-start");
        int gen = generation;
        clock.schedule(BOOT_NANOS, () -> {
            synchronized (lock) {
                if (gen == generation) {
                    guard(this::boot);
                }
            }
        });
    }

    /** MCU disabled or GPU reset: drop every slot and pending event. Caller holds the model lock. */
    void stop() {
        generation++;
        running = false;
        stopExecution();
        haltSeen = false;
        idleEnabled = false;
        progressTimeoutCycles = 0;
        coreEnMask = G610.SHADER_PRESENT;
        idleTimer = 0;
        glbIdleReported = false;
    }

    private void stopExecution() {
        for (CsgSlot g : csgs) {
            g.clear();
        }
        if (dispatchTimer != null) {
            dispatchTimer.cancel();
            dispatchTimer = null;
        }
        if (glbIdleTimer != null) {
            glbIdleTimer.cancel();
            glbIdleTimer = null;
        }
        setBusy(false);
    }

    private void boot() throws GpuFault {
        if (failBoot) {
            trace.record("fw-boot-hang");
            return;
        }
        mcu = model.mmu().bus(0);
        writeControlInterfaces();
        haltSeen = (r32(FW_GLB_INPUT_OFFSET + GLB_INPUT_REQ) & GLB_HALT) != 0;
        w32(GLB_CONTROL_VERSION, FW_VERSION);
        running = true;
        trace.record("fw-booted", FW_VERSION);
        block.raiseJobIrq(MaliRegs.JOB_INT_GLOBAL_IF);
    }

    private void writeControlInterfaces() throws GpuFault {
        int shared = (int) CSF_MCU_SHARED_REGION_START;
        w32(GLB_CONTROL_FEATURES, FW_GLB_FEATURES);
        w32(GLB_CONTROL_INPUT_VA, shared + FW_GLB_INPUT_OFFSET);
        w32(GLB_CONTROL_OUTPUT_VA, shared + FW_GLB_OUTPUT_OFFSET);
        w32(GLB_CONTROL_GROUP_NUM, csgCount);
        w32(GLB_CONTROL_GROUP_STRIDE, FW_GROUP_STRIDE);
        w32(GLB_CONTROL_PERFCNT_SIZE, 0);
        w32(GLB_CONTROL_INSTR_FEATURES, FW_INSTR_FEATURES);
        zero(FW_GLB_OUTPUT_OFFSET, GLB_OUTPUT_SIZE);
        w32(FW_GLB_OUTPUT_OFFSET + GLB_OUTPUT_ACK, r32(FW_GLB_INPUT_OFFSET + GLB_INPUT_REQ) & GLB_EVT_MASK);
        int csFeatures = csFeatures(G610.CS_REG_COUNT, G610.SCOREBOARD_SLOT_COUNT);
        for (int g = 0; g < csgCount; g++) {
            int c = csgControlOffset(g);
            w32(c + CSG_CONTROL_FEATURES, FW_CSG_FEATURES);
            w32(c + CSG_CONTROL_INPUT_VA, shared + csgInputOffset(g));
            w32(c + CSG_CONTROL_OUTPUT_VA, shared + csgOutputOffset(g));
            w32(c + CSG_CONTROL_SUSPEND_SIZE, FW_SUSPEND_SIZE);
            w32(c + CSG_CONTROL_PROTM_SUSPEND_SIZE, FW_PROTM_SUSPEND_SIZE);
            w32(c + CSG_CONTROL_STREAM_NUM, csCount);
            w32(c + CSG_CONTROL_STREAM_STRIDE, FW_STREAM_STRIDE);
            zero(csgOutputOffset(g), CSG_OUTPUT_SIZE);
            w32(csgOutputOffset(g) + CSG_OUTPUT_ACK, r32(csgInputOffset(g) + CSG_INPUT_REQ) & CSG_EVT_MASK);
            for (int s = 0; s < csCount; s++) {
                int sc = csControlOffset(g, s);
                w32(sc + CS_CONTROL_FEATURES, csFeatures);
                w32(sc + CS_CONTROL_INPUT_VA, shared + csInputOffset(g, s));
                w32(sc + CS_CONTROL_OUTPUT_VA, shared + csOutputOffset(g, s));
                zero(csOutputOffset(g, s), CS_OUTPUT_SIZE);
                w32(csOutputOffset(g, s) + CS_OUTPUT_ACK, r32(csInputOffset(g, s) + CS_INPUT_REQ) & CS_EVT_MASK);
            }
        }
    }

    /** The MCU took a fault on AS0: MCU_STATUS FATAL, everything stops. */
    private void mcuFault(GpuFault f) {
        trace.record("mcu-fault", f.as(), f.va(), f.exceptionType());
        generation++;
        running = false;
        stopExecution();
        block.setMcuStatus(MaliRegs.MCU_STATUS_FATAL);
    }

    /** Runs firmware work now (caller holds the lock); an MCU fault stops the firmware. */
    private void guard(Work work) {
        try {
            work.run();
        } catch (GpuFault f) {
            mcuFault(f);
        }
    }

    /** Schedules firmware work {@code delay} from now, dropped if the firmware stops meanwhile. */
    private VirtualTime.Timer later(long delay, Work work) {
        int gen = generation;
        return clock.schedule(delay, () -> {
            synchronized (lock) {
                if (gen != generation || !running) {
                    return;
                }
                guard(work);
                if (running) {
                    guard(this::evaluateIdle);
                }
            }
        });
    }

    // =========================================================================== doorbells

    /** A write to CSF_DOORBELL(id). Caller holds the model lock. */
    void doorbell(int id) {
        if (!running) {
            trace.record("csf-doorbell-dropped", id);
            return;
        }
        trace.record("csf-doorbell", id);
        if (id == MaliRegs.CSF_GLB_DOORBELL_ID) {
            later(REQUEST_NANOS, this::processGlobal);
        } else {
            later(REQUEST_NANOS, () -> userDoorbell(id));
        }
    }

    private void userDoorbell(int id) {
        for (CsgSlot g : csgs) {
            if (g.state != CsgSlot.State.RUNNING) {
                continue;
            }
            for (CsSlot q : g.streams) {
                if (q.active && q.doorbell() == id) {
                    kick(q);
                }
            }
        }
    }

    // =========================================================================== global interface

    private void processGlobal() throws GpuFault {
        int in = FW_GLB_INPUT_OFFSET;
        int out = FW_GLB_OUTPUT_OFFSET;
        int req = r32(in + GLB_INPUT_REQ);
        int ack = r32(out + GLB_OUTPUT_ACK);
        int changed = (req ^ ack) & GLB_REQ_MASK & ~GLB_HALT;
        if (changed != 0) {
            for (int bit = 1; bit != 0 && bit <= GLB_REQ_MASK; bit <<= 1) {
                if ((changed & bit) != 0) {
                    applyGlobal(bit, req);
                }
            }
            w32(out + GLB_OUTPUT_ACK, (r32(out + GLB_OUTPUT_ACK) & ~changed) | (req & changed));
            trace.record("fw-glb-ack", changed);
            if ((changed & r32(in + GLB_INPUT_ACK_IRQ_MASK)) != 0) {
                block.raiseJobIrq(MaliRegs.JOB_INT_GLOBAL_IF);
            }
        }
        boolean halt = (req & GLB_HALT) != 0;
        if (halt && !haltSeen) {
            haltSeen = true;
            halt();
            return;
        }
        haltSeen = halt;

        int dbReq = r32(in + GLB_INPUT_DOORBELL_REQ);
        int dbAck = r32(out + GLB_OUTPUT_DOORBELL_ACK);
        int pending = (dbReq ^ dbAck) & ((1 << csgCount) - 1);
        if (pending != 0) {
            w32(out + GLB_OUTPUT_DOORBELL_ACK, dbAck ^ pending);
            for (int n = 0; n < csgCount; n++) {
                if ((pending & (1 << n)) != 0) {
                    processCsg(csgs[n]);
                }
            }
        }
    }

    private void applyGlobal(int bit, int req) throws GpuFault {
        int in = FW_GLB_INPUT_OFFSET;
        switch (bit) {
            case GLB_CFG_PROGRESS_TIMER -> {
                progressTimeoutCycles = (r32(in + GLB_INPUT_PROGRESS_TIMER) & 0xFFFF_FFFFL) << 10;
                trace.record("fw-progress-timer", progressTimeoutCycles);
            }
            case GLB_CFG_ALLOC_EN -> {
                coreEnMask = r64(in + GLB_INPUT_CORE_EN_MASK) & G610.SHADER_PRESENT;
                trace.record("fw-core-en", coreEnMask);
                GpuControl gpu = model.gpu();
                gpu.powerOn(GpuControl.Domain.SHADER, coreEnMask);
                gpu.powerOn(GpuControl.Domain.TILER, G610.TILER_PRESENT);
            }
            case GLB_IDLE_EN -> {
                idleEnabled = (req & GLB_IDLE_EN) != 0;
                idleTimer = r32(in + GLB_INPUT_IDLE_TIMER);
                if (!idleEnabled) {
                    glbIdleReported = false;
                }
            }
            default -> trace.record("fw-glb-req", bit);
        }
    }

    private void halt() throws GpuFault {
        w32(FW_GLB_OUTPUT_OFFSET + GLB_OUTPUT_HALT_STATUS, HALT_OK);
        trace.record("fw-halt");
        generation++;
        running = false;
        stopExecution();
        block.setMcuStatus(MaliRegs.MCU_STATUS_HALT);
    }

    // =========================================================================== CSG interface

    private void processCsg(CsgSlot g) throws GpuFault {
        int in = csgInputOffset(g.id);
        int out = csgOutputOffset(g.id);
        int req = r32(in + CSG_INPUT_REQ);
        int ack = r32(out + CSG_OUTPUT_ACK);
        int acked = 0;
        if (((req ^ ack) & CSG_ENDPOINT_CONFIG) != 0) {
            applyEndpoint(g);
            acked |= CSG_ENDPOINT_CONFIG;
        }
        int want = req & CSG_STATE_MASK;
        if (want != (ack & CSG_STATE_MASK)) {
            if (want <= CSG_STATE_RESUME) {
                changeState(g, want);
                acked |= CSG_STATE_MASK;
            } else {
                trace.record("fw-csg-bad-state", g.id, want);
            }
        }
        int dbReq = r32(in + CSG_INPUT_DOORBELL_REQ);
        int dbAck = r32(out + CSG_OUTPUT_DOORBELL_ACK);
        int pending = (dbReq ^ dbAck) & ((1 << csCount) - 1);
        if (pending != 0) {
            w32(out + CSG_OUTPUT_DOORBELL_ACK, dbAck ^ pending);
            for (int s = 0; s < csCount; s++) {
                if ((pending & (1 << s)) != 0) {
                    processCs(g.streams[s]);
                }
            }
        }
        if (((req ^ ack) & CSG_STATUS_UPDATE) != 0) {
            publishStatus(g);
            acked |= CSG_STATUS_UPDATE;
        }
        if (acked != 0) {
            w32(out + CSG_OUTPUT_ACK, (r32(out + CSG_OUTPUT_ACK) & ~acked) | (req & acked));
            trace.record("fw-csg-ack", g.id, acked, req & acked);
            if ((acked & r32(in + CSG_INPUT_ACK_IRQ_MASK)) != 0) {
                block.raiseJobIrq(CsfBlock.jobIrqCsg(g.id));
            }
        }
    }

    private void applyEndpoint(CsgSlot g) throws GpuFault {
        int in = csgInputOffset(g.id);
        int out = csgOutputOffset(g.id);
        g.endpointReq = r32(in + CSG_INPUT_ENDPOINT_REQ);
        g.allowCompute = r64(in + CSG_INPUT_ALLOW_COMPUTE);
        g.allowFragment = r64(in + CSG_INPUT_ALLOW_FRAGMENT);
        g.allowOther = r32(in + CSG_INPUT_ALLOW_OTHER);
        int compute = Long.bitCount(computeCoreMask(g.id));
        int fragment = Math.min(epReqFragment(g.endpointReq),
                Long.bitCount(g.allowFragment & coreEnMask & G610.SHADER_PRESENT));
        int tiler = Math.min(epReqTiler(g.endpointReq), Long.bitCount(g.allowOther & G610.TILER_PRESENT));
        int current = (compute & 0xFF) | (fragment & 0xFF) << 8 | (tiler & 0xF) << 16
                | (g.endpointReq & (CSG_EP_REQ_EXCL_COMPUTE | CSG_EP_REQ_EXCL_FRAGMENT | CSG_EP_REQ_PRIORITY_MASK));
        w32(out + CSG_OUTPUT_STATUS_EP_REQ, g.endpointReq);
        w32(out + CSG_OUTPUT_STATUS_EP_CURRENT, current);
        trace.record("fw-csg-endpoint", g.id, g.endpointReq);
    }

    /** Shader cores the group's compute work may use: allowed, enabled, powered, capped by endpoint_req. */
    long computeCoreMask(int csg) {
        CsgSlot g = csgs[csg];
        long mask = g.allowCompute & coreEnMask & model.gpu().ready(GpuControl.Domain.SHADER);
        int max = epReqCompute(g.endpointReq);
        while (max > 0 && Long.bitCount(mask) > max) {
            mask &= ~Long.highestOneBit(mask);
        }
        return mask;
    }

    private void changeState(CsgSlot g, int want) throws GpuFault {
        trace.record("fw-csg-state", g.id, want);
        switch (want) {
            case CSG_STATE_START -> start(g, null);
            case CSG_STATE_RESUME -> start(g, loadSuspended(g));
            case CSG_STATE_SUSPEND -> suspend(g);
            default -> terminate(g);
        }
    }

    private void start(CsgSlot g, CommandStream[] restored) throws GpuFault {
        if (g.state == CsgSlot.State.RUNNING) {
            return;
        }
        int as = r32(csgInputOffset(g.id) + CSG_INPUT_CONFIG);
        g.as = as;
        g.bus = as >= 0 && as < Integer.bitCount(G610.AS_PRESENT) ? model.mmu().bus(as) : null;
        g.state = CsgSlot.State.RUNNING;
        g.idle = false;
        g.idleReported = false;
        for (CsSlot q : g.streams) {
            q.clear();
            if (restored != null && restored[q.id] != null) {
                q.stream = restored[q.id];
                q.restored = true;
            }
            syncCsState(q);
        }
    }

    private void suspend(CsgSlot g) throws GpuFault {
        if (g.state != CsgSlot.State.RUNNING) {
            return;
        }
        publishStatus(g);
        CommandStream[] streams = new CommandStream[csCount];
        for (CsSlot q : g.streams) {
            streams[q.id] = q.stream;
        }
        long buf = r64(csgInputOffset(g.id) + CSG_INPUT_SUSPEND_BUF);
        if (buf != 0) {
            long id = nextSaveId++;
            mcu.write64(buf, SUSPEND_MAGIC);
            mcu.write64(buf + 8, id);
            saved.put(id, streams);
            trace.record("fw-csg-suspended", g.id, buf, id);
        } else {
            trace.record("fw-csg-suspended-no-buffer", g.id);
        }
        leaveRunning(g, CsgSlot.State.SUSPENDED);
    }

    private CommandStream[] loadSuspended(CsgSlot g) throws GpuFault {
        long buf = r64(csgInputOffset(g.id) + CSG_INPUT_SUSPEND_BUF);
        if (buf == 0) {
            return null;
        }
        if (mcu.read64(buf) != SUSPEND_MAGIC) {
            trace.record("fw-csg-resume-no-state", g.id, buf);
            return null;
        }
        CommandStream[] streams = saved.remove(mcu.read64(buf + 8));
        mcu.write64(buf, 0);
        trace.record("fw-csg-resumed", g.id, buf, streams == null ? 0 : 1);
        return streams;
    }

    private void terminate(CsgSlot g) throws GpuFault {
        if (g.state == CsgSlot.State.RUNNING) {
            leaveRunning(g, CsgSlot.State.TERMINATED);
        } else {
            g.state = CsgSlot.State.TERMINATED;
        }
    }

    private void leaveRunning(CsgSlot g, CsgSlot.State next) throws GpuFault {
        for (CsSlot q : g.streams) {
            if (q.active) {
                mcu.write32(q.outputVa + RINGBUF_OUTPUT_ACTIVE, 0);
            }
            q.clear();
        }
        g.state = next;
        g.bus = null;
        g.idle = false;
        g.idleReported = false;
        updateBusy();
    }

    private void publishStatus(CsgSlot g) throws GpuFault {
        for (CsSlot q : g.streams) {
            int out = csOutputOffset(g.id, q.id);
            CommandStream s = q.stream;
            if (s == null) {
                continue;
            }
            w64(out + CS_OUTPUT_STATUS_CMD_PTR, s.cmdPtr());
            w32(out + CS_OUTPUT_STATUS_WAIT, s.statusWait());
            w32(out + CS_OUTPUT_STATUS_REQ_RESOURCE, 0);
            w64(out + CS_OUTPUT_STATUS_WAIT_SYNC_PTR, s.statusWaitSyncPointer());
            long value = s.statusWaitSyncValue();
            w32(out + CS_OUTPUT_STATUS_WAIT_SYNC_VALUE, (int) value);
            w32(out + CS_OUTPUT_STATUS_WAIT_SYNC_VALUE_HI, (int) (value >>> 32));
            w32(out + CS_OUTPUT_STATUS_SCOREBOARDS, s.statusScoreboards());
            w32(out + CS_OUTPUT_STATUS_BLOCKED_REASON, s.statusBlockedReason());
            if (q.active) {
                mcu.write64(q.outputVa + RINGBUF_OUTPUT_EXTRACT, s.extract());
            }
        }
        w32(csgOutputOffset(g.id) + CSG_OUTPUT_STATUS_STATE, g.idle ? CSG_STATUS_STATE_IS_IDLE : 0);
        trace.record("fw-csg-status", g.id, g.idle ? 1 : 0);
    }

    // =========================================================================== CS interface

    private void processCs(CsSlot q) throws GpuFault {
        syncCsState(q);
        int req = r32(csInputOffset(q.csg, q.id) + CS_INPUT_REQ);
        int ack = r32(csOutputOffset(q.csg, q.id) + CS_OUTPUT_ACK);
        if (q.faultPending && ((req ^ ack) & CS_FAULT) == 0) {
            q.faultPending = false;
            q.stream.acknowledgeFault();
            trace.record("fw-cs-fault-acked", q.csg, q.id);
        }
        if (q.active) {
            kick(q);
        }
    }

    /** Applies the CS_STATE level and acknowledges the CS request bits. */
    private void syncCsState(CsSlot q) throws GpuFault {
        CsgSlot g = csgs[q.csg];
        int in = csInputOffset(q.csg, q.id);
        int out = csOutputOffset(q.csg, q.id);
        int req = r32(in + CS_INPUT_REQ);
        int ack = r32(out + CS_OUTPUT_ACK);
        int changed = (req ^ ack) & CS_REQ_MASK;
        int want = req & CS_STATE_MASK;
        if (want == CS_STATE_START) {
            if (!q.active && g.state == CsgSlot.State.RUNNING) {
                activate(g, q);
            }
        } else if (want == CS_STATE_STOP) {
            if (q.active) {
                mcu.write32(q.outputVa + RINGBUF_OUTPUT_ACTIVE, 0);
                q.active = false;
                q.readyAt = -1;
                q.stuck = false;
                cancelProgressTimer(q);
                trace.record("fw-cs-stop", q.csg, q.id);
            }
        } else {
            trace.record("fw-cs-bad-state", q.csg, q.id, want);
            changed &= ~CS_STATE_MASK;
        }
        if (changed != 0) {
            w32(out + CS_OUTPUT_ACK, (r32(out + CS_OUTPUT_ACK) & ~changed) | (req & changed));
            if ((changed & r32(in + CS_INPUT_ACK_IRQ_MASK)) != 0) {
                csIrq(q);
            }
        }
    }

    private void activate(CsgSlot g, CsSlot q) throws GpuFault {
        int in = csInputOffset(q.csg, q.id);
        q.config = r32(in + CS_INPUT_CONFIG);
        q.ringBase = r64(in + CS_INPUT_RINGBUF_BASE);
        q.ringSize = r32(in + CS_INPUT_RINGBUF_SIZE) & 0xFFFF_FFFFL;
        q.inputVa = r64(in + CS_INPUT_RINGBUF_INPUT);
        q.outputVa = r64(in + CS_INPUT_RINGBUF_OUTPUT);
        q.faultPending = false;
        q.fatal = false;
        q.stuck = false;
        q.progressReported = false;
        if (q.stream == null || !q.restored) {
            long extract = mcu.read64(q.inputVa + RINGBUF_INPUT_EXTRACT);
            if (q.stream == null) {
                q.stream = new CommandStream();
            }
            q.stream.bind(q.ringBase, q.ringSize, extract);
        }
        q.restored = false;
        q.active = true;
        mcu.write32(q.outputVa + RINGBUF_OUTPUT_ACTIVE, 1);
        trace.record("fw-cs-start", q.csg, q.id, q.ringBase, q.ringSize);
        if (g.bus == null) {
            q.stream.injectFatal(MaliRegs.EXCEPTION_CS_CONFIG_FAULT, 0, g.as & 0xFFFF_FFFFL);
        }
        if (q.stream.state() == CsState.FATAL) {
            reportFatal(q);
        } else if (q.stream.state() == CsState.FAULTED) {
            q.faultPending = true;
        } else {
            kick(q);
        }
    }

    private void csIrq(CsSlot q) throws GpuFault {
        int in = csgInputOffset(q.csg);
        int out = csgOutputOffset(q.csg);
        int bit = 1 << q.id;
        int irqReq = r32(out + CSG_OUTPUT_CS_IRQ_REQ);
        int irqAck = r32(in + CSG_INPUT_CS_IRQ_ACK);
        if (((irqReq ^ irqAck) & bit) == 0) {
            w32(out + CSG_OUTPUT_CS_IRQ_REQ, irqReq ^ bit);
        }
        block.raiseJobIrq(CsfBlock.jobIrqCsg(q.csg));
    }

    // =========================================================================== events

    private void raiseCsEvent(CsSlot q, int bit) throws GpuFault {
        int in = csInputOffset(q.csg, q.id);
        int out = csOutputOffset(q.csg, q.id);
        int ack = r32(out + CS_OUTPUT_ACK);
        if (((r32(in + CS_INPUT_REQ) ^ ack) & bit) == 0) {
            w32(out + CS_OUTPUT_ACK, ack ^ bit);
        }
        trace.record("fw-cs-event", q.csg, q.id, bit);
        if ((r32(in + CS_INPUT_ACK_IRQ_MASK) & bit) != 0) {
            csIrq(q);
        }
    }

    private void raiseCsgEvent(CsgSlot g, int bit) throws GpuFault {
        int in = csgInputOffset(g.id);
        int out = csgOutputOffset(g.id);
        int ack = r32(out + CSG_OUTPUT_ACK);
        if (((r32(in + CSG_INPUT_REQ) ^ ack) & bit) != 0) {
            return;
        }
        w32(out + CSG_OUTPUT_ACK, ack ^ bit);
        trace.record("fw-csg-event", g.id, bit);
        if ((r32(in + CSG_INPUT_ACK_IRQ_MASK) & bit) != 0) {
            block.raiseJobIrq(CsfBlock.jobIrqCsg(g.id));
        }
    }

    private void raiseGlobalEvent(int bit) throws GpuFault {
        int in = FW_GLB_INPUT_OFFSET;
        int out = FW_GLB_OUTPUT_OFFSET;
        int ack = r32(out + GLB_OUTPUT_ACK);
        if (((r32(in + GLB_INPUT_REQ) ^ ack) & bit) != 0) {
            return;
        }
        w32(out + GLB_OUTPUT_ACK, ack ^ bit);
        trace.record("fw-glb-event", bit);
        if ((r32(in + GLB_INPUT_ACK_IRQ_MASK) & bit) != 0) {
            block.raiseJobIrq(MaliRegs.JOB_INT_GLOBAL_IF);
        }
    }

    private void reportFatal(CsSlot q) throws GpuFault {
        CommandStream s = q.stream;
        q.fatal = true;
        q.readyAt = -1;
        q.stuck = false;
        cancelProgressTimer(q);
        int out = csOutputOffset(q.csg, q.id);
        w32(out + CS_OUTPUT_FATAL, exception(s.fatalType(), s.fatalData()));
        w64(out + CS_OUTPUT_FATAL_INFO, s.fatalInfo());
        trace.record("fw-cs-fatal", q.csg, q.id, s.fatalType(), s.fatalInfo());
        raiseCsEvent(q, CS_FATAL);
    }

    private void reportFault(CsSlot q) throws GpuFault {
        CommandStream s = q.stream;
        q.faultPending = true;
        q.readyAt = -1;
        int out = csOutputOffset(q.csg, q.id);
        w32(out + CS_OUTPUT_FAULT, exception(s.faultType(), s.faultData()));
        w64(out + CS_OUTPUT_FAULT_INFO, s.faultInfo());
        trace.record("fw-cs-fault", q.csg, q.id, s.faultType(), s.faultInfo());
        raiseCsEvent(q, CS_FAULT);
    }

    /** Idle bookkeeping after every piece of firmware work: CSG_IDLE, GLB_IDLE, busy. */
    private void evaluateIdle() throws GpuFault {
        boolean allIdle = true;
        for (CsgSlot g : csgs) {
            if (g.state != CsgSlot.State.RUNNING) {
                continue;
            }
            boolean idle = true;
            for (CsSlot q : g.streams) {
                if (q.active && (q.readyAt >= 0 || q.stuck || q.faultPending)) {
                    idle = false;
                    break;
                }
            }
            g.idle = idle;
            if (idle && !g.idleReported) {
                g.idleReported = true;
                raiseCsgEvent(g, CSG_IDLE);
            } else if (!idle) {
                g.idleReported = false;
            }
            allIdle &= idle;
        }
        updateBusy();
        if (!allIdle || !idleEnabled) {
            if (glbIdleTimer != null) {
                glbIdleTimer.cancel();
                glbIdleTimer = null;
            }
            if (!allIdle) {
                glbIdleReported = false;
            }
            return;
        }
        if (glbIdleReported || glbIdleTimer != null) {
            return;
        }
        glbIdleTimer = later(timerNanos(idleTimer), () -> {
            glbIdleTimer = null;
            glbIdleReported = true;
            raiseGlobalEvent(GLB_IDLE);
        });
    }

    /** A GLB timer value (GLB_TIMER_VAL * 1024 ticks of its source) in virtual nanoseconds. */
    private long timerNanos(int value) {
        long ticks = (value & GLB_TIMER_VAL_MASK & 0xFFFF_FFFFL) << 10;
        if ((value & GLB_TIMER_SOURCE_GPU_COUNTER) != 0) {
            return gpuClock.cyclesToNanos(ticks);
        }
        long hz = gpuClock.timestampFrequencyHz();
        return ticks / hz * 1_000_000_000L + (ticks % hz) * 1_000_000_000L / hz;
    }

    // =========================================================================== execution

    /** Makes an active stream run now unless a run is already pending. */
    private void kick(CsSlot q) {
        if (!q.active || q.fatal || q.faultPending || q.readyAt >= 0) {
            return;
        }
        q.readyAt = clock.nowNanos();
        scheduleDispatch();
    }

    private void scheduleDispatch() {
        long next = Long.MAX_VALUE;
        for (CsgSlot g : csgs) {
            for (CsSlot q : g.streams) {
                if (q.active && q.readyAt >= 0) {
                    next = Math.min(next, q.readyAt);
                }
            }
        }
        if (dispatchTimer != null) {
            if (dispatchTimer.deadlineNanos() <= next) {
                return;
            }
            dispatchTimer.cancel();
            dispatchTimer = null;
        }
        if (next != Long.MAX_VALUE) {
            dispatchTimer = later(Math.max(0, next - clock.nowNanos()), this::dispatch);
        }
    }

    private void dispatch() throws GpuFault {
        dispatchTimer = null;
        long now = clock.nowNanos();
        List<CsSlot> due = new ArrayList<>();
        for (CsgSlot g : csgs) {
            if (g.state != CsgSlot.State.RUNNING) {
                continue;
            }
            for (CsSlot q : g.streams) {
                if (q.active && q.readyAt >= 0 && q.readyAt <= now) {
                    due.add(q);
                }
            }
        }
        due.sort(Comparator.<CsSlot>comparingInt(q -> -csgs[q.csg].priority())
                .thenComparingInt(q -> q.csg)
                .thenComparingInt(q -> -q.priority())
                .thenComparingInt(q -> q.id));
        for (CsSlot q : due) {
            if (!running) {
                return;
            }
            if (q.active && q.readyAt >= 0 && q.readyAt <= now) {
                runSlice(q, now);
            }
        }
        scheduleDispatch();
    }

    private void runSlice(CsSlot q, long now) throws GpuFault {
        CsgSlot g = csgs[q.csg];
        CommandStream s = q.stream;
        q.readyAt = -1;
        if (hung[q.csg][q.id]) {
            if (hasWork(q)) {
                if (!q.stuck) {
                    q.stuck = true;
                    trace.record("fw-cs-hung", q.csg, q.id);
                    armProgressTimer(q);
                }
            }
            checkIoFault(q);
            return;
        }
        long before = s.instructions();
        CsState st = s.run(g.bus, q, SLICE_CYCLES, q);
        checkIoFault(q);
        if (!running || !q.active) {
            return;
        }
        long used = s.lastRunCycles();
        long nanos = gpuClock.cyclesToNanos(used);
        boolean progressed = s.instructions() != before;
        if (progressed) {
            q.progressReported = false;
            if (st != CsState.WAITING_FLUSH) {
                cancelProgressTimer(q);
            }
        }
        switch (st) {
            case RUNNING -> q.readyAt = now + Math.max(1, nanos);
            case IDLE, WAITING_SYNC -> q.readyAt = used > 0 ? now + nanos : -1;
            case WAITING_FLUSH -> {
                q.readyAt = now + Math.max(nanos, FLUSH_RETRY_NANOS);
                armProgressTimer(q);
            }
            case FAULTED -> reportFault(q);
            case FATAL -> reportFatal(q);
        }
    }

    private void checkIoFault(CsSlot q) {
        if (q.ioFault != null) {
            GpuFault f = q.ioFault;
            q.ioFault = null;
            mcuFault(f);
        }
    }

    private boolean hasWork(CsSlot q) {
        CommandStream s = q.stream;
        return s.callDepth() > 0 || s.state() != CsState.IDLE || q.insert() > s.extract();
    }

    private void armProgressTimer(CsSlot q) {
        if (progressTimeoutCycles == 0 || q.progressTimer != null || q.progressReported) {
            return;
        }
        q.progressTimer = later(gpuClock.cyclesToNanos(progressTimeoutCycles), () -> {
            q.progressTimer = null;
            boolean stalled = q.stuck || (q.stream != null && q.stream.state() == CsState.WAITING_FLUSH);
            if (q.active && stalled && !q.progressReported) {
                q.progressReported = true;
                trace.record("fw-progress-timeout", q.csg, q.id);
                raiseCsgEvent(csgs[q.csg], CSG_PROGRESS_TIMER_EVENT);
            }
        });
    }

    private void cancelProgressTimer(CsSlot q) {
        if (q.progressTimer != null) {
            q.progressTimer.cancel();
            q.progressTimer = null;
        }
    }

    private void updateBusy() {
        boolean any = false;
        for (CsgSlot g : csgs) {
            for (CsSlot q : g.streams) {
                if (q.active && (q.readyAt >= 0 || q.stuck)) {
                    any = true;
                }
            }
        }
        setBusy(any);
    }

    private void setBusy(boolean on) {
        if (on != busy) {
            busy = on;
            gpuClock.setActive(ACTIVITY, on);
        }
    }

    // --- CsHost services -----------------------------------------------------------------------

    void syncUpdated(CsSlot q, long va, boolean is64) {
        trace.record("fw-sync-update", q.csg, q.id, va);
        guard(() -> raiseCsgEvent(csgs[q.csg], CSG_SYNC_UPDATE));
        long now = clock.nowNanos();
        for (CsgSlot g : csgs) {
            for (CsSlot w : g.streams) {
                if (w.active && w.readyAt < 0 && w.stream.state() == CsState.WAITING_SYNC) {
                    w.readyAt = now;
                }
            }
        }
    }

    long flushCaches(int l2, int lsc, int other) {
        GpuControl gpu = model.gpu();
        if (gpu.cacheFlushStalled()) {
            return CsHost.FLUSH_STALLED;
        }
        gpu.flushCaches(l2, lsc, other, null);
        return GpuControl.FLUSH_NANOS * gpuClock.frequencyHz() / 1_000_000_000L;
    }

    long timestamp() {
        return model.gpu().timestamp();
    }

    long cycleCount() {
        return gpuClock.cycles();
    }

    // =========================================================================== fault injection

    void failBoot(boolean fail) {
        failBoot = fail;
        trace.record("inject-fw-boot-fail", fail ? 1 : 0);
    }

    void hangQueue(int csg, int cs, boolean hang) {
        checkSlot(csg, cs);
        hung[csg][cs] = hang;
        trace.record("inject-hang-queue", csg, cs, hang ? 1 : 0);
        CsSlot q = csgs[csg].streams[cs];
        if (!hang && q.stuck) {
            q.stuck = false;
            cancelProgressTimer(q);
            q.progressReported = false;
            if (running) {
                kick(q);
            }
        }
    }

    void csFatal(int csg, int cs, int exceptionType) {
        checkSlot(csg, cs);
        CsSlot q = csgs[csg].streams[cs];
        trace.record("inject-cs-fatal", csg, cs, exceptionType);
        if (!running || !q.active || q.stream == null) {
            trace.record("inject-cs-fatal-ignored", csg, cs);
            return;
        }
        q.stream.injectFatal(exceptionType, 0, 0);
        guard(() -> {
            reportFatal(q);
            evaluateIdle();
        });
    }

    void clearInjections() {
        failBoot = false;
        for (int g = 0; g < csgCount; g++) {
            for (int s = 0; s < csCount; s++) {
                if (hung[g][s]) {
                    hangQueue(g, s, false);
                }
            }
        }
    }

    List<String> armedFaults() {
        List<String> out = new ArrayList<>();
        if (failBoot) {
            out.add("firmware boot failure");
        }
        for (int g = 0; g < csgCount; g++) {
            for (int s = 0; s < csCount; s++) {
                if (hung[g][s]) {
                    out.add("hung queue CSG" + g + " CS" + s);
                }
            }
        }
        return out;
    }

    private void checkSlot(int csg, int cs) {
        if (csg < 0 || csg >= csgCount || cs < 0 || cs >= csCount) {
            throw new IllegalArgumentException("no CS slot " + csg + "/" + cs);
        }
    }

    // =========================================================================== inspection

    /** State of CSG slot {@code csg}: "TERMINATED", "RUNNING" or "SUSPENDED". */
    public String csgState(int csg) {
        synchronized (lock) {
            return csgs[csg].state.name();
        }
    }

    /** The stream bound to a CS slot, or null. */
    public CommandStream stream(int csg, int cs) {
        synchronized (lock) {
            return csgs[csg].streams[cs].stream;
        }
    }

    /** Latched progress timeout in GPU cycles (0 until GLB_CFG_PROGRESS_TIMER). */
    public long progressTimeoutCycles() {
        synchronized (lock) {
            return progressTimeoutCycles;
        }
    }

    /** Latched core_en_mask. */
    public long coreEnMask() {
        synchronized (lock) {
            return coreEnMask;
        }
    }

    // =========================================================================== shared section

    private int r32(int offset) throws GpuFault {
        return mcu.read32(CSF_MCU_SHARED_REGION_START + offset);
    }

    private long r64(int offset) throws GpuFault {
        return mcu.read64(CSF_MCU_SHARED_REGION_START + offset);
    }

    private void w32(int offset, int value) throws GpuFault {
        mcu.write32(CSF_MCU_SHARED_REGION_START + offset, value);
    }

    private void w64(int offset, long value) throws GpuFault {
        mcu.write64(CSF_MCU_SHARED_REGION_START + offset, value);
    }

    private void zero(int offset, int size) throws GpuFault {
        for (int i = 0; i < size; i += 4) {
            w32(offset + i, 0);
        }
    }
}
