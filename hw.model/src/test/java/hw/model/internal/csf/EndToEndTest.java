package hw.model.internal.csf;

import hw.model.csf.CsfLayout;

import static hw.model.csf.CsfLayout.*;
import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.*;

import hw.model.api.IrqLine;
import hw.model.api.Interrupts;
import hw.model.internal.cs.CsAssembler;
import hw.model.internal.cs.CsInstr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The acceptance scenario: hand-written page tables and ring buffers in physical
 * memory, AS0/AS1 and two CSGs programmed through MMIO exactly as Panthor does, a doorbell,
 * and in deterministic virtual time a STORE_MULTIPLE landing in memory and a SYNC_ADD64
 * waking a queue of another group blocked in SYNC_WAIT64.
 */
class EndToEndTest {

    private static final long MS = 1_000_000L;

    /** What one run observed, for the determinism check. */
    record Outcome(long traceHash, long traceCount, long storeLandedAt, long waiterWokeAt, int irqBits) {}

    @Test
    void storeLandsAndSyncAddWakesWaiter() {
        Outcome first = scenario();
        Outcome second = scenario();
        assertEquals(first, second, "deterministic mode: same inputs, same trace");
    }

    private Outcome scenario() {
        try (CsfRig rig = new CsfRig()) {
            // --- the JOB IRQ handler (panthor_job_irq_handler) ---
            AtomicBoolean booted = new AtomicBoolean();
            AtomicInteger seen = new AtomicInteger();
            Interrupts.Registration irq = rig.model.irq().request(IrqLine.JOB, line -> {
                int status = rig.mmio.read32(JOB_INT_STAT);
                rig.mmio.write32(JOB_INT_CLEAR, status);
                if ((status & JOB_INT_GLOBAL_IF) != 0) {
                    booted.set(true);
                }
                seen.getAndAccumulate(status, (a, b) -> a | b);
            });
            try {
                return run(rig, booted, seen);
            } finally {
                irq.close();
            }
        }
    }

    private Outcome run(CsfRig rig, AtomicBoolean booted, AtomicInteger seen) {
        // --- AS0: the MCU VM (shared section + user I/O pages), built by CsfRig; AS1: the user VM ---
        rig.powerL2();
        rig.enableMcuVm();
        rig.setupUserVm(1);
        assertEquals(LpaeTables.TRANSCFG, rig.mmio.read64Raw(AS_TRANSCFG(1)));
        assertEquals(0, rig.mmio.read32(AS_STATUS(1)) & AS_STATUS_AS_ACTIVE);

        // --- panthor_fw_start(): JOB IRQs on, MCU_CONTROL AUTO, wait for the boot IRQ ---
        rig.mmio.write32(JOB_INT_MASK, ~0);
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        assertTrue(rig.await(booted::get, 1000 * MS), "MCU booted");
        assertEquals(MCU_STATUS_ENABLED, rig.mmio.read32(MCU_STATUS));

        // --- panthor_fw_init_ifaces() ---
        rig.initIfaces();
        long ctl = CsfRig.SHARED_PA;
        int version = rig.r32(ctl + GLB_CONTROL_VERSION);
        assertEquals(1, version >>> 24, "interface major version");
        int groups = rig.r32(ctl + GLB_CONTROL_GROUP_NUM);
        assertTrue(groups >= MIN_CSGS && groups <= MAX_CSGS);
        assertTrue(rig.r32(ctl + CSF_GROUP_CONTROL_OFFSET + CSG_CONTROL_STREAM_NUM) >= MIN_CS_PER_CSG);

        // --- panthor_fw_init_global_iface() ---
        rig.initGlobalIface();
        assertTrue(rig.waitAcks(rig.glbIn + GLB_INPUT_REQ, rig.glbOut + GLB_OUTPUT_ACK,
                GLB_CFG_ALLOC_EN | GLB_CFG_POWEROFF_TIMER | GLB_CFG_PROGRESS_TIMER | GLB_IDLE_EN, 100 * MS));

        // --- two groups on the user VM (AS1): CSG 0 the producer, CSG 1 the waiter ---
        // Queue 0 (CSG 0 / CS 0, doorbell 1) and queue 1 (CSG 1 / CS 0, doorbell 2).
        rig.progCs(0, 0, 0, CsfRig.ringVa(0), CsfRig.RING_SIZE, 0, 1);
        rig.progCsg(0, 1, 15, 1);
        rig.progCs(1, 0, 1, CsfRig.ringVa(1), CsfRig.RING_SIZE, 0, 2);
        rig.progCsg(1, 1, 14, 1);
        for (int g = 0; g < 2; g++) {
            int ack = rig.r32(rig.csgOut[g] + CSG_OUTPUT_ACK);
            rig.updateReqs(rig.csgIn[g] + CSG_INPUT_REQ, CSG_STATE_START | (ack ^ CSG_ENDPOINT_CONFIG),
                    CSG_STATE_MASK | CSG_ENDPOINT_CONFIG);
        }
        rig.ringCsgDoorbells(0b11);
        for (int g = 0; g < 2; g++) {
            assertTrue(rig.waitAcks(rig.csgIn[g] + CSG_INPUT_REQ, rig.csgOut[g] + CSG_OUTPUT_ACK,
                    CSG_STATE_MASK | CSG_ENDPOINT_CONFIG, 100 * MS));
            assertEquals(CSG_STATE_START, rig.r32(rig.csgOut[g] + CSG_OUTPUT_ACK) & CSG_STATE_MASK);
            assertEquals(CS_STATE_START, rig.r32(rig.csOut[g][0] + CS_OUTPUT_ACK) & CS_STATE_MASK);
        }
        assertEquals(15, epReqPriority(rig.r32(rig.csgOut[0] + CSG_OUTPUT_STATUS_EP_CURRENT)));

        // --- the waiter: SYNC_WAIT64 (value > 0) on the sync object, then a marker store ---
        long sync = CsfRig.SYNC_VA;
        rig.submit(1, new CsAssembler()
                .move48(0, sync)
                .move48(2, 0)
                .syncWait64(CsInstr.COND_GT, 0, 2)
                .move48(4, CsfRig.DATA_VA + 0x100)
                .move32(6, 0x5717_0001)
                .storeMultiple(6, 0x1, 4, 0));
        rig.ringDoorbell(2);
        assertTrue(rig.await(() -> rig.extract(1) == 16, 10 * MS), "waiter reached its SYNC_WAIT64");
        rig.clock.advance(MS);
        assertEquals(16, rig.extract(1), "and stays blocked");
        assertTrue(rig.csgToggle(1, CSG_STATUS_UPDATE));
        assertEquals(CS_STATUS_BLOCKED_REASON_SYNC_WAIT, rig.r32(rig.csOut[1][0] + CS_OUTPUT_STATUS_BLOCKED_REASON));
        assertEquals(sync, rig.mem.read64(rig.csOut[1][0] + CS_OUTPUT_STATUS_WAIT_SYNC_PTR));
        // sched_process_csg_irq_locked(): both groups reported CSG_IDLE (empty, blocked); ack.
        assertEquals(CSG_IDLE, rig.csgEvents(0));
        assertEquals(CSG_IDLE, rig.csgEvents(1));
        rig.ackCsgEvents(0);
        rig.ackCsgEvents(1);

        // --- the producer: MOVE48/MOVE32 + STORE_MULTIPLE + SYNC_ADD64 ---
        CsAssembler producer = new CsAssembler()
                .move48(0, CsfRig.DATA_VA)
                .move32(2, 0x1111_1111)
                .move32(3, 0x2222_2222)
                .move32(4, 0x3333_3333)
                .move32(5, 0x4444_4444)
                .storeMultiple(2, 0xF, 0, 0)
                .move48(6, sync)
                .move48(8, 1)
                .syncAdd64(6, 8);
        long end = 8L * producer.size();
        rig.submit(0, producer);
        seen.set(0);
        long rung = rig.clock.nowNanos();
        rig.ringDoorbell(1);
        assertEquals(0, rig.mem.read32(CsfRig.DATA_PA), "nothing happens before the firmware sees the doorbell");

        assertTrue(rig.await(() -> rig.mem.read32(CsfRig.DATA_PA + 12) == 0x4444_4444, 10 * MS));
        long storeLanded = rig.clock.nowNanos() - rung;
        assertEquals(0x1111_1111, rig.mem.read32(CsfRig.DATA_PA));
        assertEquals(0x2222_2222, rig.mem.read32(CsfRig.DATA_PA + 4));
        assertEquals(0x3333_3333, rig.mem.read32(CsfRig.DATA_PA + 8));
        assertTrue(storeLanded >= Firmware.REQUEST_NANOS, "the doorbell takes firmware time");

        assertTrue(rig.await(() -> rig.mem.read32(CsfRig.DATA_PA + 0x100) == 0x5717_0001, 10 * MS),
                "the SYNC_ADD64 woke the waiter of the other group");
        long woke = rig.clock.nowNanos() - rung;
        assertEquals(1, rig.mem.read64(CsfRig.SYNC_PA));
        assertEquals(0, rig.mem.read32(CsfRig.SYNC_PA + 8), "sync status: no error");
        assertTrue(rig.await(() -> rig.extract(0) == end && rig.extract(1) == 48, 10 * MS));
        assertEquals(end, rig.extract(0));

        // CSG 0 reported SYNC_UPDATE; both groups went idle; the handler saw both CSG bits.
        assertTrue(rig.await(() -> (rig.csgEvents(0) & CSG_IDLE) != 0 && (rig.csgEvents(1) & CSG_IDLE) != 0, 10 * MS));
        assertEquals(CSG_SYNC_UPDATE, rig.csgEvents(0) & CSG_SYNC_UPDATE);
        assertEquals(0, rig.csgEvents(1) & CSG_SYNC_UPDATE, "the waiter signalled nothing");
        assertEquals(0b11, seen.get() & 0b11);
        assertEquals(0, rig.mmio.read32(JOB_INT_RAWSTAT) & 0b11, "the handler cleared them");
        assertEquals(0, rig.mmio.read32(0x2000), "no MMU fault");

        List<String> events = new ArrayList<>(rig.model.trace().recent(256));
        assertTrue(events.stream().anyMatch(e -> e.contains("fw-sync-update")));
        return new Outcome(rig.model.trace().hash(), rig.model.trace().count(), storeLanded, woke, seen.get());
    }
}
