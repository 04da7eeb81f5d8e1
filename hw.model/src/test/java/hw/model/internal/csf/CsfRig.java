package hw.model.internal.csf;

import hw.model.csf.CsfLayout;

import static hw.model.csf.CsfLayout.*;
import static hw.model.regs.MaliRegs.*;

import hw.model.api.Mmio;
import hw.model.internal.GpuModel;
import hw.model.internal.SparseMemory;
import hw.model.internal.VirtualClock;

/**
 * A test's stand-in for panthor_fw.c: builds the MCU VM (AS0) with the shared section and the
 * queues' user I/O pages, enables the MCU, finds the interfaces the firmware wrote (through
 * input_va/output_va, as panthor_fw_init_ifaces() does) and drives the REQ/ACK protocol with
 * the same helpers as panthor_fw.h (toggle_reqs, update_reqs, wait_acks). Physical memory is
 * the driver's "kmap" of the buffers.
 */
final class CsfRig implements AutoCloseable {

    static final long PT_BASE = 0x1000_0000L;
    static final long SHARED_PA = 0x2000_0000L;
    /** User I/O pages of queue i: MCU VA IO_VA + i * 0x2000 (input), + 0x1000 (output). */
    static final long IO_VA = 0x0500_0000L;
    static final long IO_PA = 0x2100_0000L;
    /** Suspend buffer of group g: MCU VA SUSPEND_VA + g * FW_SUSPEND_SIZE. */
    static final long SUSPEND_VA = 0x0600_0000L;
    static final long SUSPEND_PA = 0x2200_0000L;

    final GpuModel model;
    final Mmio mmio;
    final SparseMemory mem;
    final VirtualClock clock;
    final LpaeTables.Allocator alloc = new LpaeTables.Allocator(PT_BASE);
    final LpaeTables mcuVm;

    long glbIn;
    long glbOut;
    final long[] csgIn = new long[8];
    final long[] csgOut = new long[8];
    final long[][] csIn = new long[8][8];
    final long[][] csOut = new long[8][8];

    CsfRig() {
        model = new GpuModel();
        mmio = model.mmio();
        mem = model.memory();
        clock = model.clock();
        mcuVm = new LpaeTables(mem, alloc);
        mcuVm.map(CSF_MCU_SHARED_REGION_START, SHARED_PA, FW_SHARED_SECTION_SIZE, true, false);
        mcuVm.map(IO_VA, IO_PA, 16 * 0x2000, true, false);
        mcuVm.map(SUSPEND_VA, SUSPEND_PA, 8L * FW_SUSPEND_SIZE, true, false);
    }

    @Override
    public void close() {
        model.shutdown();
    }

    /** panthor_gpu_l2_power_on(). */
    void powerL2() {
        mmio.write64(L2_PWRON_LO, 1);
        if (!clock.await(() -> mmio.read32(L2_READY_LO) == 1, 10_000_000L)) {
            throw new AssertionError("L2 did not power on");
        }
    }

    void enableMcuVm() {
        mcuVm.enable(mmio, clock, 0);
    }

    /** MCU VM active, MCU_CONTROL AUTO, wait for JOB_INT GLOBAL_IF (panthor_fw_start), then init ifaces. */
    void boot() {
        powerL2();
        enableMcuVm();
        mmio.write32(JOB_INT_MASK, ~0);
        mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        if (!clock.await(() -> (mmio.read32(JOB_INT_RAWSTAT) & JOB_INT_GLOBAL_IF) != 0, 1_000_000_000L)) {
            throw new AssertionError("MCU did not boot: MCU_STATUS " + mmio.read32(MCU_STATUS));
        }
        mmio.write32(JOB_INT_CLEAR, JOB_INT_GLOBAL_IF);
        initIfaces();
    }

    /** panthor_fw_init_ifaces(): global control at the start of the shared section, then groups and streams. */
    void initIfaces() {
        long ctl = SHARED_PA;
        if (mem.read32(ctl + GLB_CONTROL_VERSION) == 0) {
            throw new AssertionError("Firmware version is 0");
        }
        glbIn = pa(mem.read32(ctl + GLB_CONTROL_INPUT_VA));
        glbOut = pa(mem.read32(ctl + GLB_CONTROL_OUTPUT_VA));
        int groups = mem.read32(ctl + GLB_CONTROL_GROUP_NUM);
        int groupStride = mem.read32(ctl + GLB_CONTROL_GROUP_STRIDE);
        for (int g = 0; g < groups; g++) {
            long gc = SHARED_PA + CSF_GROUP_CONTROL_OFFSET + (long) g * groupStride;
            csgIn[g] = pa(mem.read32(gc + CSG_CONTROL_INPUT_VA));
            csgOut[g] = pa(mem.read32(gc + CSG_CONTROL_OUTPUT_VA));
            int streams = mem.read32(gc + CSG_CONTROL_STREAM_NUM);
            int streamStride = mem.read32(gc + CSG_CONTROL_STREAM_STRIDE);
            for (int s = 0; s < streams; s++) {
                long sc = gc + CSF_STREAM_CONTROL_OFFSET + (long) s * streamStride;
                csIn[g][s] = pa(mem.read32(sc + CS_CONTROL_INPUT_VA));
                csOut[g][s] = pa(mem.read32(sc + CS_CONTROL_OUTPUT_VA));
            }
        }
    }

    /** iface_fw_to_cpu_addr(): an MCU VA inside the shared section to its physical address. */
    static long pa(int mcuVa) {
        long va = mcuVa & 0xFFFF_FFFFL;
        if (va < CSF_MCU_SHARED_REGION_START || va >= CSF_MCU_SHARED_REGION_START + FW_SHARED_SECTION_SIZE) {
            throw new AssertionError(String.format("MCU VA 0x%x outside the shared section", va));
        }
        return SHARED_PA + (va - CSF_MCU_SHARED_REGION_START);
    }

    // --- panthor_fw.h helpers on physical memory ---

    int r32(long pa) {
        return mem.read32(pa);
    }

    void w32(long pa, int v) {
        mem.write32(pa, v);
    }

    /** panthor_fw_toggle_reqs(). */
    void toggleReqs(long reqPa, long ackPa, int mask) {
        int cur = mem.read32(reqPa);
        int out = mem.read32(ackPa);
        mem.write32(reqPa, ((out ^ mask) & mask) | (cur & ~mask));
    }

    /** panthor_fw_update_reqs(). */
    void updateReqs(long reqPa, int value, int mask) {
        int cur = mem.read32(reqPa);
        mem.write32(reqPa, (cur & ~mask) | (value & mask));
    }

    /** panthor_fw_wait_acks(): true when (ack & mask) == (req & mask) within the timeout. */
    boolean waitAcks(long reqPa, long ackPa, int mask, long timeoutNanos) {
        int req = mem.read32(reqPa) & mask;
        return clock.await(() -> (mem.read32(ackPa) & mask) == req, timeoutNanos);
    }

    void ringGlobal() {
        mmio.write32(CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
    }

    /** panthor_fw_ring_csg_doorbells(). */
    void ringCsgDoorbells(int csgMask) {
        toggleReqs(glbIn + GLB_INPUT_DOORBELL_REQ, glbOut + GLB_OUTPUT_DOORBELL_ACK, csgMask);
        ringGlobal();
    }

    /** panthor_fw_init_global_iface(). */
    void initGlobalIface() {
        mem.write64(glbIn + GLB_INPUT_CORE_EN_MASK, 0x50005L);
        w32(glbIn + GLB_INPUT_POWEROFF_TIMER, 0x8000_00F5);
        w32(glbIn + GLB_INPUT_PROGRESS_TIMER, (int) ((5L * 500 * 1024 * 1024) >> 10));
        w32(glbIn + GLB_INPUT_IDLE_TIMER, 19);
        w32(glbIn + GLB_INPUT_ACK_IRQ_MASK, GLB_CFG_ALLOC_EN | GLB_PING | GLB_CFG_PROGRESS_TIMER
                | GLB_CFG_POWEROFF_TIMER | GLB_IDLE_EN | GLB_IDLE);
        updateReqs(glbIn + GLB_INPUT_REQ, GLB_IDLE_EN, GLB_IDLE_EN);
        toggleReqs(glbIn + GLB_INPUT_REQ, glbOut + GLB_OUTPUT_ACK,
                GLB_CFG_ALLOC_EN | GLB_CFG_POWEROFF_TIMER | GLB_CFG_PROGRESS_TIMER);
        ringGlobal();
    }

    int rawstat() {
        return mmio.read32(JOB_INT_RAWSTAT);
    }

    void clearIrq(int bits) {
        mmio.write32(JOB_INT_CLEAR, bits);
    }

    // --- the user VM: rings, a data buffer and sync objects ---

    /** Ring of queue q: GPU VA RING_VA + q * RING_SIZE (mapped no-execute, as Panthor maps rings). */
    static final long RING_VA = 0x0010_0000L;
    static final long RING_PA = 0x3000_0000L;
    static final int RING_SIZE = 0x1000;
    static final long DATA_VA = 0x0020_0000L;
    static final long DATA_PA = 0x3100_0000L;
    static final long SYNC_VA = 0x0030_0000L;
    static final long SYNC_PA = 0x3200_0000L;

    LpaeTables userVm;
    final long[] inserts = new long[16];

    /** A user VM with 16 rings, 64 KiB of data and a page of sync objects, enabled in {@code as}. */
    void setupUserVm(int as) {
        userVm = new LpaeTables(mem, alloc)
                .map(RING_VA, RING_PA, 16L * RING_SIZE, true, false)
                .map(DATA_VA, DATA_PA, 0x1_0000, true, false)
                .map(SYNC_VA, SYNC_PA, 0x1000, true, false);
        userVm.enable(mmio, clock, as);
    }

    static long ringVa(int q) {
        return RING_VA + (long) q * RING_SIZE;
    }

    /** Copies {@code code} into ring q at its insert offset and publishes the new insert. */
    void submit(int q, hw.model.internal.cs.CsAssembler code) {
        long[] ins = code.toArray();
        for (long i : ins) {
            mem.write64(RING_PA + (long) q * RING_SIZE + (inserts[q] & (RING_SIZE - 1)), i);
            inserts[q] += 8;
        }
        setInsert(q, inserts[q]);
    }

    void ringDoorbell(int id) {
        mmio.write32(CSF_DOORBELL(id), 1);
    }

    /** Runs the virtual clock until {@code condition} holds (at most {@code nanos}). */
    boolean await(java.util.function.BooleanSupplier condition, long nanos) {
        return clock.await(condition, nanos);
    }

    // --- queues and groups ---

    long ioInputVa(int q) {
        return IO_VA + 0x2000L * q;
    }

    long ioInputPa(int q) {
        return IO_PA + 0x2000L * q;
    }

    long ioOutputPa(int q) {
        return ioInputPa(q) + 0x1000;
    }

    /** cs_slot_prog_locked() for queue {@code q} (user I/O pages q) in CSG csg, CS cs. */
    void progCs(int csg, int cs, int q, long ringVa, int ringSize, int priority, int doorbell) {
        long in = csIn[csg][cs];
        mem.write64(ioInputPa(q) + RINGBUF_INPUT_EXTRACT, mem.read64(ioOutputPa(q) + RINGBUF_OUTPUT_EXTRACT));
        mem.write64(in + CS_INPUT_RINGBUF_BASE, ringVa);
        w32(in + CS_INPUT_RINGBUF_SIZE, ringSize);
        mem.write64(in + CS_INPUT_RINGBUF_INPUT, ioInputVa(q));
        mem.write64(in + CS_INPUT_RINGBUF_OUTPUT, ioInputVa(q) + 0x1000);
        w32(in + CS_INPUT_CONFIG, (priority & 0xF) | ((doorbell & 0xFF) << 8));
        w32(in + CS_INPUT_ACK_IRQ_MASK, ~0);
        updateReqs(in + CS_INPUT_REQ, CS_IDLE_SYNC_WAIT | CS_IDLE_EMPTY | CS_STATE_START,
                CS_IDLE_SYNC_WAIT | CS_IDLE_EMPTY | CS_STATE_MASK);
    }

    /** csg_slot_prog_locked(): allow masks, endpoint_req, AS, suspend buffer, CS doorbells. */
    void progCsg(int csg, int as, int priority, int queueMask) {
        long in = csgIn[csg];
        mem.write64(in + CSG_INPUT_ALLOW_COMPUTE, 0x50005L);
        mem.write64(in + CSG_INPUT_ALLOW_FRAGMENT, 0x50005L);
        w32(in + CSG_INPUT_ALLOW_OTHER, 1);
        w32(in + CSG_INPUT_ENDPOINT_REQ, 4 | (4 << 8) | (1 << 16) | (priority << 28));
        w32(in + CSG_INPUT_CONFIG, as);
        mem.write64(in + CSG_INPUT_SUSPEND_BUF, SUSPEND_VA + (long) csg * FW_SUSPEND_SIZE);
        mem.write64(in + CSG_INPUT_PROTM_SUSPEND_BUF, 0);
        w32(in + CSG_INPUT_ACK_IRQ_MASK, ~0);
        toggleReqs(in + CSG_INPUT_DOORBELL_REQ, csgOut[csg] + CSG_OUTPUT_DOORBELL_ACK, queueMask);
    }

    /** csgs_upd_ctx: update the CSG req field, ring, wait for the ack. */
    boolean csgRequest(int csg, int value, int mask) {
        updateReqs(csgIn[csg] + CSG_INPUT_REQ, value, mask);
        ringCsgDoorbells(1 << csg);
        return waitAcks(csgIn[csg] + CSG_INPUT_REQ, csgOut[csg] + CSG_OUTPUT_ACK, mask, 100_000_000L);
    }

    /** Toggles a CSG req bit (ENDPOINT_CONFIG, STATUS_UPDATE) relative to its ack. */
    boolean csgToggle(int csg, int bit) {
        return csgRequest(csg, r32(csgOut[csg] + CSG_OUTPUT_ACK) ^ bit, bit);
    }

    void setInsert(int q, long insert) {
        mem.write64(ioInputPa(q) + RINGBUF_INPUT_INSERT, insert);
    }

    long extract(int q) {
        return mem.read64(ioOutputPa(q) + RINGBUF_OUTPUT_EXTRACT);
    }

    int csgEvents(int csg) {
        return (r32(csgIn[csg] + CSG_INPUT_REQ) ^ r32(csgOut[csg] + CSG_OUTPUT_ACK)) & CSG_EVT_MASK;
    }

    int csEvents(int csg, int cs) {
        return (r32(csIn[csg][cs] + CS_INPUT_REQ) ^ r32(csOut[csg][cs] + CS_OUTPUT_ACK)) & CS_EVT_MASK;
    }

    /** sched_process_csg_irq_locked()'s acknowledgement of CSG events. */
    void ackCsgEvents(int csg) {
        updateReqs(csgIn[csg] + CSG_INPUT_REQ, r32(csgOut[csg] + CSG_OUTPUT_ACK), CSG_EVT_MASK);
        w32(csgIn[csg] + CSG_INPUT_CS_IRQ_ACK, r32(csgOut[csg] + CSG_OUTPUT_CS_IRQ_REQ));
    }
}
