package hw.model.internal.csf;

import hw.model.csf.CsfLayout;

import static hw.model.csf.CsfLayout.*;
import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.*;

import hw.model.api.IrqLine;
import hw.model.internal.G610;
import hw.model.internal.cs.CsAssembler;
import hw.model.internal.cs.CsInstr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirmwareTest {

    private static final long MS = 1_000_000L;

    private CsfRig rig;
    private CsfBlock csf;

    @BeforeEach
    void setUp() {
        rig = new CsfRig();
        csf = rig.model.csf();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private void bootAndInit() {
        rig.boot();
        rig.initGlobalIface();
        assertTrue(rig.waitAcks(rig.glbIn + GLB_INPUT_REQ, rig.glbOut + GLB_OUTPUT_ACK,
                GLB_CFG_ALLOC_EN | GLB_CFG_POWEROFF_TIMER | GLB_CFG_PROGRESS_TIMER | GLB_IDLE_EN, 100 * MS));
        rig.clearIrq(~0);
    }

    private static int q(int csg, int cs) {
        return csg * 2 + cs;
    }

    /** tick_ctx_apply() for a new group: program CSG + queues, START + ENDPOINT_CONFIG, wait. */
    private void startGroup(int csg, int as, int priority, int... streams) {
        queueStart(csg, as, priority, streams);
        rig.ringCsgDoorbells(1 << csg);
        assertTrue(rig.waitAcks(rig.csgIn[csg] + CSG_INPUT_REQ, rig.csgOut[csg] + CSG_OUTPUT_ACK,
                CSG_STATE_MASK | CSG_ENDPOINT_CONFIG, 100 * MS));
    }

    private void queueStart(int csg, int as, int priority, int... streams) {
        int mask = 0;
        for (int cs : streams) {
            rig.progCs(csg, cs, q(csg, cs), CsfRig.ringVa(q(csg, cs)), CsfRig.RING_SIZE, 0, csg + 1);
            mask |= 1 << cs;
        }
        rig.progCsg(csg, as, priority, mask);
        int ack = rig.r32(rig.csgOut[csg] + CSG_OUTPUT_ACK);
        rig.updateReqs(rig.csgIn[csg] + CSG_INPUT_REQ, CSG_STATE_START | (ack ^ CSG_ENDPOINT_CONFIG),
                CSG_STATE_MASK | CSG_ENDPOINT_CONFIG);
    }

    private int csgAckState(int csg) {
        return rig.r32(rig.csgOut[csg] + CSG_OUTPUT_ACK) & CSG_STATE_MASK;
    }

    // ------------------------------------------------------------------------------ boot

    @Test
    void bootPublishesInterfacesAndRaisesGlobalIrq() {
        rig.powerL2();
        rig.enableMcuVm();
        rig.mmio.write32(JOB_INT_MASK, ~0);
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        assertEquals(MCU_STATUS_ENABLED, rig.mmio.read32(MCU_STATUS));
        rig.clock.advance(Firmware.BOOT_NANOS - 1);
        assertEquals(0, rig.rawstat());
        assertEquals(0, rig.r32(CsfRig.SHARED_PA + GLB_CONTROL_VERSION));
        rig.clock.advance(1);
        assertEquals(JOB_INT_GLOBAL_IF, rig.rawstat());
        assertEquals(JOB_INT_GLOBAL_IF, rig.mmio.read32(JOB_INT_STAT));
        assertTrue(rig.model.irq().asserted(IrqLine.JOB));

        long ctl = CsfRig.SHARED_PA;
        assertEquals(0x0101_0000, rig.r32(ctl + GLB_CONTROL_VERSION));
        assertEquals(8, rig.r32(ctl + GLB_CONTROL_GROUP_NUM));
        assertEquals(FW_GROUP_STRIDE, rig.r32(ctl + GLB_CONTROL_GROUP_STRIDE));
        rig.initIfaces();
        assertEquals(CsfRig.SHARED_PA + FW_GLB_INPUT_OFFSET, rig.glbIn);
        assertEquals(CsfRig.SHARED_PA + FW_GLB_OUTPUT_OFFSET, rig.glbOut);
        for (int g = 0; g < 8; g++) {
            long gc = ctl + CSF_GROUP_CONTROL_OFFSET + (long) g * FW_GROUP_STRIDE;
            assertEquals(8, rig.r32(gc + CSG_CONTROL_STREAM_NUM));
            assertEquals(FW_STREAM_STRIDE, rig.r32(gc + CSG_CONTROL_STREAM_STRIDE));
            assertEquals(FW_SUSPEND_SIZE, rig.r32(gc + CSG_CONTROL_SUSPEND_SIZE));
            for (int s = 0; s < 8; s++) {
                int features = rig.r32(gc + CSF_STREAM_CONTROL_OFFSET + (long) s * FW_STREAM_STRIDE + CS_CONTROL_FEATURES);
                assertEquals(96, (features & 0xFF) + 1, "CS_FEATURES_WORK_REGS");
                assertEquals(8, (features >>> 8) & 0xFF, "CS_FEATURES_SCOREBOARDS");
                assertNotEquals(0, features & CS_FEATURES_COMPUTE);
                assertNotEquals(rig.csIn[g][s], rig.csOut[g][s]);
            }
        }
        // Every input/output area is distinct and inside the section.
        java.util.Set<Long> areas = new java.util.HashSet<>();
        for (int g = 0; g < 8; g++) {
            assertTrue(areas.add(rig.csgIn[g]) && areas.add(rig.csgOut[g]));
            for (int s = 0; s < 8; s++) {
                assertTrue(areas.add(rig.csIn[g][s]) && areas.add(rig.csOut[g][s]));
            }
        }
    }

    @Test
    void bootFaultsWithoutMcuAddressSpace() {
        rig.powerL2();
        rig.mmio.write32(JOB_INT_MASK, ~0);
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        rig.clock.advance(MS);
        assertEquals(MCU_STATUS_FATAL, rig.mmio.read32(MCU_STATUS));
        assertEquals(0, rig.rawstat());
        assertEquals(1, rig.mmio.read32(0x2000) & 1, "AS0 page fault in MMU_INT_RAWSTAT");
        assertEquals(0, rig.r32(CsfRig.SHARED_PA + GLB_CONTROL_VERSION));
    }

    @Test
    void injectedBootFailureLeavesNoInterface() {
        csf.failFirmwareBoot(true);
        assertTrue(csf.armedFaults().contains("firmware boot failure"));
        rig.powerL2();
        rig.enableMcuVm();
        rig.mmio.write32(JOB_INT_MASK, ~0);
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        rig.clock.advance(1000 * MS);
        assertEquals(MCU_STATUS_ENABLED, rig.mmio.read32(MCU_STATUS));
        assertEquals(0, rig.rawstat());
        assertEquals(0, rig.r32(CsfRig.SHARED_PA + GLB_CONTROL_VERSION));

        csf.clearInjections();
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_DISABLE);
        assertEquals(MCU_STATUS_DISABLED, rig.mmio.read32(MCU_STATUS));
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        assertTrue(rig.await(() -> rig.rawstat() == JOB_INT_GLOBAL_IF, MS));
    }

    // ------------------------------------------------------------------------------ global interface

    @Test
    void globalRequestsNeedTheDoorbellAndAreAcked() {
        rig.boot();
        rig.w32(rig.glbIn + GLB_INPUT_ACK_IRQ_MASK, GLB_PING);
        rig.toggleReqs(rig.glbIn + GLB_INPUT_REQ, rig.glbOut + GLB_OUTPUT_ACK, GLB_PING);
        rig.clock.advance(MS);
        assertEquals(GLB_PING, (rig.r32(rig.glbIn) ^ rig.r32(rig.glbOut)) & GLB_PING, "no ack before the doorbell");
        assertEquals(0, rig.rawstat());

        rig.ringGlobal();
        rig.clock.advance(Firmware.REQUEST_NANOS - 1);
        assertEquals(0, rig.rawstat());
        rig.clock.advance(1);
        assertEquals(rig.r32(rig.glbIn) & GLB_PING, rig.r32(rig.glbOut) & GLB_PING);
        assertEquals(JOB_INT_GLOBAL_IF, rig.rawstat());
        rig.clearIrq(JOB_INT_GLOBAL_IF);

        // Acknowledged without an IRQ when the bit is not in ack_irq_mask.
        rig.w32(rig.glbIn + GLB_INPUT_ACK_IRQ_MASK, 0);
        rig.toggleReqs(rig.glbIn + GLB_INPUT_REQ, rig.glbOut + GLB_OUTPUT_ACK, GLB_PING);
        rig.ringGlobal();
        assertTrue(rig.waitAcks(rig.glbIn, rig.glbOut, GLB_PING, 10 * MS));
        rig.clock.advance(MS);
        assertEquals(0, rig.rawstat());
    }

    @Test
    void globalConfigurationIsLatched() {
        bootAndInit();
        Firmware fw = csf.firmware();
        assertEquals(((5L * 500 * 1024 * 1024) >> 10) << 10, fw.progressTimeoutCycles());
        assertEquals(0x50005L, fw.coreEnMask());
        assertTrue(rig.await(() -> rig.mmio.read32(SHADER_READY_LO) == 0x50005, 10 * MS),
                "the firmware powers the enabled shader cores");
        // ALLOC_EN with a narrower mask.
        rig.mem.write64(rig.glbIn + GLB_INPUT_CORE_EN_MASK, 0x1L);
        rig.toggleReqs(rig.glbIn, rig.glbOut, GLB_CFG_ALLOC_EN);
        rig.ringGlobal();
        assertTrue(rig.waitAcks(rig.glbIn, rig.glbOut, GLB_CFG_ALLOC_EN, 10 * MS));
        assertEquals(1L, fw.coreEnMask());
    }

    @Test
    void globalIdleAfterIdleTimer() {
        bootAndInit();
        // idle_timer 19 * 1024 ticks of 24 MHz = 810.7 us after the IDLE_EN request.
        assertEquals(0, (rig.r32(rig.glbIn) ^ rig.r32(rig.glbOut)) & GLB_IDLE);
        rig.clock.advance(700_000);
        assertEquals(0, (rig.r32(rig.glbIn) ^ rig.r32(rig.glbOut)) & GLB_IDLE);
        rig.clock.advance(200_000);
        assertEquals(GLB_IDLE, (rig.r32(rig.glbIn) ^ rig.r32(rig.glbOut)) & GLB_IDLE);
        assertEquals(JOB_INT_GLOBAL_IF, rig.rawstat());
        // sched_process_idle_event_locked(): ack; no new event while still idle.
        rig.updateReqs(rig.glbIn, rig.r32(rig.glbOut), GLB_IDLE);
        rig.clearIrq(~0);
        rig.clock.advance(10 * MS);
        assertEquals(0, rig.rawstat());
    }

    @Test
    void haltStopsTheMcuOnARisingEdge() {
        bootAndInit();
        rig.updateReqs(rig.glbIn, GLB_HALT, GLB_HALT);
        rig.ringGlobal();
        assertTrue(rig.await(() -> rig.mmio.read32(MCU_STATUS) == MCU_STATUS_HALT, 100 * MS));
        assertEquals(0, rig.r32(rig.glbOut + GLB_OUTPUT_ACK) & GLB_HALT, "HALT is not acked through the interface");
        assertEquals(HALT_OK, rig.r32(rig.glbOut + GLB_OUTPUT_HALT_STATUS));
        assertFalse(csf.firmware().running());
        rig.ringGlobal();
        assertTrue(rig.model.trace().recent(5).stream().anyMatch(s -> s.contains("csf-doorbell-dropped")));

        // Fast reset without clearing HALT first: the firmware sees no 0 -> 1 transition.
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        assertTrue(rig.await(() -> (rig.rawstat() & JOB_INT_GLOBAL_IF) != 0, 10 * MS));
        rig.updateReqs(rig.glbIn, GLB_HALT, GLB_HALT);
        rig.ringGlobal();
        rig.clock.advance(10 * MS);
        assertEquals(MCU_STATUS_ENABLED, rig.mmio.read32(MCU_STATUS));

        // panthor_fw_post_reset() clears it; then the next halt works.
        rig.updateReqs(rig.glbIn, 0, GLB_HALT);
        rig.ringGlobal();
        rig.clock.advance(MS);
        rig.updateReqs(rig.glbIn, GLB_HALT, GLB_HALT);
        rig.ringGlobal();
        assertTrue(rig.await(() -> rig.mmio.read32(MCU_STATUS) == MCU_STATUS_HALT, 100 * MS));
    }

    @Test
    void aFastResetBootsWithNoEventPending() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0, 1);
        rig.ackCsgEvents(0);
        csf.csFatal(0, 1, EXCEPTION_CS_UNRECOVERABLE);
        rig.updateReqs(rig.csIn[0][1] + CS_INPUT_REQ, rig.r32(rig.csOut[0][1] + CS_OUTPUT_ACK), CS_EVT_MASK);
        assertEquals(CS_FATAL, rig.r32(rig.csIn[0][1] + CS_INPUT_REQ) & CS_FATAL,
                "the host acknowledged by toggling REQ");
        rig.updateReqs(rig.glbIn, GLB_HALT, GLB_HALT);
        rig.ringGlobal();
        assertTrue(rig.await(() -> rig.mmio.read32(MCU_STATUS) == MCU_STATUS_HALT, 100 * MS));

        // Fast reset: the host's input areas stay as they were.
        rig.updateReqs(rig.glbIn, 0, GLB_HALT);
        rig.mmio.write32(MCU_CONTROL, MCU_CONTROL_AUTO);
        assertTrue(rig.await(() -> (rig.rawstat() & JOB_INT_GLOBAL_IF) != 0, 10 * MS));
        assertEquals(0, rig.csEvents(0, 1), "no CS_FATAL pending after the reboot");
        assertEquals(0, rig.r32(rig.csOut[0][1] + CS_OUTPUT_FATAL), "the output area is fresh");
        assertEquals(0, rig.csgEvents(0));
    }

    // ------------------------------------------------------------------------------ CSG interface

    @Test
    void csgStateMachine() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15);
        assertEquals(CSG_STATE_START, csgAckState(0));
        assertEquals("RUNNING", csf.firmware().csgState(0));
        assertNotEquals(0, rig.rawstat() & 1, "JOB IRQ bit of CSG 0");
        assertTrue(rig.await(() -> (rig.csgEvents(0) & CSG_IDLE) != 0, MS), "a group without queues is idle");
        rig.ackCsgEvents(0);
        rig.clearIrq(~0);

        assertTrue(rig.csgRequest(0, CSG_STATE_SUSPEND, CSG_STATE_MASK));
        assertEquals("SUSPENDED", csf.firmware().csgState(0));
        assertEquals(Firmware.SUSPEND_MAGIC, rig.mem.read64(CsfRig.SUSPEND_PA));
        assertEquals(1, rig.rawstat() & 1);

        assertTrue(rig.csgRequest(0, CSG_STATE_RESUME, CSG_STATE_MASK));
        assertEquals("RUNNING", csf.firmware().csgState(0));
        assertEquals(0, rig.mem.read64(CsfRig.SUSPEND_PA), "the record is consumed");

        assertTrue(rig.csgRequest(0, CSG_STATE_TERMINATE, CSG_STATE_MASK));
        assertEquals("TERMINATED", csf.firmware().csgState(0));

        // An undefined state value is never acknowledged.
        assertFalse(rig.csgRequest(0, 6, CSG_STATE_MASK));
        assertEquals(CSG_STATE_TERMINATE, csgAckState(0));
    }

    @Test
    void csgRequestsNeedTheirDoorbellBit() {
        bootAndInit();
        rig.setupUserVm(1);
        rig.progCsg(2, 1, 5, 0);
        rig.updateReqs(rig.csgIn[2], CSG_STATE_START, CSG_STATE_MASK);
        rig.ringGlobal();
        rig.clock.advance(MS);
        assertEquals(CSG_STATE_TERMINATE, csgAckState(2), "no doorbell_req toggle for CSG 2");
        rig.ringCsgDoorbells(1 << 2);
        rig.clock.advance(MS);
        assertEquals(CSG_STATE_START, csgAckState(2));
        assertEquals(rig.r32(rig.glbIn + GLB_INPUT_DOORBELL_REQ), rig.r32(rig.glbOut + GLB_OUTPUT_DOORBELL_ACK));
    }

    @Test
    void endpointConfigReportsPriorityAndCores() {
        bootAndInit();
        rig.clock.advance(MS);
        rig.progCsg(0, 1, 0xA, 0);
        assertTrue(rig.csgToggle(0, CSG_ENDPOINT_CONFIG));
        int ep = rig.r32(rig.csgIn[0] + CSG_INPUT_ENDPOINT_REQ);
        assertEquals(ep, rig.r32(rig.csgOut[0] + CSG_OUTPUT_STATUS_EP_REQ));
        int current = rig.r32(rig.csgOut[0] + CSG_OUTPUT_STATUS_EP_CURRENT);
        assertEquals(0xA, epReqPriority(current));
        assertEquals(4, epReqCompute(current));
        assertEquals(0x50005L, csf.firmware().computeCoreMask(0));

        rig.updateReqs(rig.csgIn[0] + CSG_INPUT_ENDPOINT_REQ, 3 << 28 | 2, CSG_EP_REQ_PRIORITY_MASK | 0xFF);
        assertTrue(rig.csgToggle(0, CSG_ENDPOINT_CONFIG));
        current = rig.r32(rig.csgOut[0] + CSG_OUTPUT_STATUS_EP_CURRENT);
        assertEquals(3, epReqPriority(current));
        assertEquals(2, epReqCompute(current));
        assertEquals(2, Long.bitCount(csf.firmware().computeCoreMask(0)));
    }

    private long priorityRace(int prio0, int prio1) {
        CsfRig saved = rig;
        CsfBlock savedCsf = csf;
        try (CsfRig r = new CsfRig()) {
            rig = r;
            csf = r.model.csf();
            bootAndInit();
            r.setupUserVm(1);
            for (int g = 0; g < 2; g++) {
                r.submit(q(g, 0), new CsAssembler().move48(0, CsfRig.DATA_VA).move32(2, 0xA0 + g).storeMultiple(2, 1, 0, 0));
            }
            queueStart(0, 1, prio0, 0);
            queueStart(1, 1, prio1, 0);
            r.ringCsgDoorbells(0b11);
            assertTrue(r.await(() -> r.extract(q(0, 0)) == 24 && r.extract(q(1, 0)) == 24, 10 * MS));
            return r.mem.read32(CsfRig.DATA_PA);
        } finally {
            rig = saved;
            csf = savedCsf;
        }
    }

    @Test
    void higherPriorityGroupRunsFirstWhenDueTogether() {
        assertEquals(0xA1, priorityRace(15, 1), "the low-priority group 1 runs last");
        assertEquals(0xA0, priorityRace(1, 15), "the low-priority group 0 runs last");
    }

    @Test
    void statusUpdateReportsSyncWait() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0);
        rig.submit(0, new CsAssembler()
                .move48(0, CsfRig.SYNC_VA)
                .move48(2, 7)
                .syncWait64(CsInstr.COND_GT, 0, 2)
                .move48(4, CsfRig.DATA_VA)
                .move32(6, 0x1234)
                .storeMultiple(6, 1, 4, 0));
        rig.ringDoorbell(1);
        rig.clock.advance(MS);
        assertEquals(16, rig.extract(0), "blocked on the SYNC_WAIT64");

        assertTrue(rig.csgToggle(0, CSG_STATUS_UPDATE));
        long out = rig.csOut[0][0];
        assertEquals(CS_STATUS_BLOCKED_REASON_SYNC_WAIT, rig.r32(out + CS_OUTPUT_STATUS_BLOCKED_REASON));
        int wait = rig.r32(out + CS_OUTPUT_STATUS_WAIT);
        assertEquals(CS_STATUS_WAIT_SYNC | CS_STATUS_WAIT_SYNC_64B | CS_STATUS_WAIT_SYNC_COND_GT, wait);
        assertEquals(CsfRig.SYNC_VA, rig.mem.read64(out + CS_OUTPUT_STATUS_WAIT_SYNC_PTR));
        assertEquals(7, rig.r32(out + CS_OUTPUT_STATUS_WAIT_SYNC_VALUE));
        assertEquals(0, rig.r32(out + CS_OUTPUT_STATUS_WAIT_SYNC_VALUE_HI));
        assertEquals(0, rig.r32(out + CS_OUTPUT_STATUS_SCOREBOARDS));
        assertEquals(CsfRig.ringVa(0) + 16, rig.mem.read64(out + CS_OUTPUT_STATUS_CMD_PTR));
        assertEquals(CSG_STATUS_STATE_IS_IDLE, rig.r32(rig.csgOut[0] + CSG_OUTPUT_STATUS_STATE));
        assertEquals(1, rig.r32(rig.ioOutputPa(0) + RINGBUF_OUTPUT_ACTIVE));

        // The CPU signals the object and rings the queue's doorbell.
        rig.mem.write64(CsfRig.SYNC_PA, 8);
        rig.ringDoorbell(1);
        assertTrue(rig.await(() -> rig.extract(0) == 48, MS));
        assertEquals(0x1234, rig.mem.read32(CsfRig.DATA_PA));
        assertTrue(rig.csgToggle(0, CSG_STATUS_UPDATE));
        assertEquals(CS_STATUS_BLOCKED_REASON_UNBLOCKED, rig.r32(out + CS_OUTPUT_STATUS_BLOCKED_REASON));
    }

    @Test
    void syncUpdateAndIdleEvents() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(3, 1, 15, 0);
        assertTrue(rig.await(() -> (rig.csgEvents(3) & CSG_IDLE) != 0, MS), "empty queue: idle");
        rig.ackCsgEvents(3);
        rig.clearIrq(~0);
        rig.submit(q(3, 0), new CsAssembler().move48(0, CsfRig.SYNC_VA).move48(2, 1).syncAdd64(0, 2));
        rig.ringDoorbell(4);
        assertTrue(rig.await(() -> rig.extract(q(3, 0)) == 24, MS));
        assertEquals(1, rig.mem.read64(CsfRig.SYNC_PA));
        assertEquals(0, rig.mem.read32(CsfRig.SYNC_PA + 8), "no error status");
        assertNotEquals(0, rig.csgEvents(3) & CSG_SYNC_UPDATE);
        assertTrue(rig.await(() -> (rig.csgEvents(3) & CSG_IDLE) != 0, MS));
        assertEquals(1 << 3, rig.rawstat() & 0xFF);
        assertFalse(rig.model.gpuClock().isActive("cs"));

        // Acknowledged events are not raised again until something happens.
        rig.ackCsgEvents(3);
        rig.clearIrq(~0);
        rig.clock.advance(MS);
        assertEquals(0, rig.csgEvents(3));
        assertEquals(0, rig.rawstat() & 0xFF);
    }

    @Test
    void progressTimerFiresOnHungQueue() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0);
        rig.ackCsgEvents(0);
        csf.hangQueue(0, 0, true);
        rig.clearIrq(~0);
        rig.submit(0, new CsAssembler().move48(0, CsfRig.SYNC_VA).move48(2, 1).syncAdd64(0, 2));
        rig.ringDoorbell(1);
        // progress_timer = 5 * 500 Mi cycles / 1024, in units of 1024 cycles: 2.62 s at 1 GHz.
        rig.clock.advance(2600 * MS);
        assertEquals(0, rig.csgEvents(0) & CSG_PROGRESS_TIMER_EVENT);
        assertTrue(rig.model.gpuClock().isActive("cs"), "a hung queue keeps the GPU busy");
        rig.clock.advance(30 * MS);
        assertEquals(CSG_PROGRESS_TIMER_EVENT, rig.csgEvents(0) & CSG_PROGRESS_TIMER_EVENT);
        assertEquals(1, rig.rawstat() & 1);
        assertEquals(0, rig.extract(0));
        assertEquals(0, rig.mem.read64(CsfRig.SYNC_PA));

        csf.hangQueue(0, 0, false);
        assertTrue(rig.await(() -> rig.extract(0) == 24, MS));
        assertEquals(1, rig.mem.read64(CsfRig.SYNC_PA));
    }

    // ------------------------------------------------------------------------------ CS events

    @Test
    void injectedCsFatal() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0, 1);
        rig.ackCsgEvents(0);
        rig.clearIrq(~0);
        csf.csFatal(0, 1, EXCEPTION_CS_UNRECOVERABLE);
        assertEquals(CS_FATAL, rig.csEvents(0, 1));
        assertEquals(EXCEPTION_CS_UNRECOVERABLE, rig.r32(rig.csOut[0][1] + CS_OUTPUT_FATAL) & 0xFF);
        assertEquals(1 << 1, (rig.r32(rig.csgOut[0] + CSG_OUTPUT_CS_IRQ_REQ) ^ rig.r32(rig.csgIn[0] + CSG_INPUT_CS_IRQ_ACK)));
        assertEquals(1, rig.rawstat());
        assertEquals(0, rig.csEvents(0, 0));

        // The queue is dead: work submitted afterwards does not run.
        rig.submit(q(0, 1), new CsAssembler().move48(0, CsfRig.SYNC_VA).move48(2, 1).syncAdd64(0, 2));
        rig.ringDoorbell(1);
        rig.clock.advance(MS);
        assertEquals(0, rig.mem.read64(CsfRig.SYNC_PA));
    }

    @Test
    void invalidInstructionIsCsFatal() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0);
        rig.ackCsgEvents(0);
        rig.clearIrq(~0);
        rig.submit(0, new CsAssembler().nop().emit(0xFFL << 56));
        rig.ringDoorbell(1);
        assertTrue(rig.await(() -> rig.csEvents(0, 0) == CS_FATAL, MS));
        int fatal = rig.r32(rig.csOut[0][0] + CS_OUTPUT_FATAL);
        assertEquals(EXCEPTION_CS_INSTR_INVALID, fatal & 0xFF);
        assertEquals(8, rig.extract(0), "extract stays on the bad instruction");
        assertEquals(1, rig.rawstat() & 1);
    }

    @Test
    void ringFetchFaultIsReportedWithTheMmuException() {
        bootAndInit();
        rig.setupUserVm(1);
        rig.progCs(0, 0, 0, 0x0700_0000L, CsfRig.RING_SIZE, 0, 1);
        rig.progCsg(0, 1, 15, 1);
        rig.setInsert(0, 8);
        assertTrue(rig.csgRequest(0, CSG_STATE_START, CSG_STATE_MASK));
        assertTrue(rig.await(() -> rig.csEvents(0, 0) == CS_FATAL, MS));
        assertEquals(0xC0, rig.r32(rig.csOut[0][0] + CS_OUTPUT_FATAL) & 0xF8, "TRANSLATION_FAULT_n");
        assertEquals(0x0700_0000L, rig.mem.read64(rig.csOut[0][0] + CS_OUTPUT_FATAL_INFO));
        assertNotEquals(0, rig.mmio.read32(0x2000) & (1 << 1), "AS1 page fault");
    }

    @Test
    void csFaultStopsTheQueueUntilAcknowledged() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0);
        rig.ackCsgEvents(0);
        rig.clearIrq(~0);
        csf.firmware().stream(0, 0).armJobFault(EXCEPTION_DATA_INVALID_FAULT, 0x1234);
        rig.submit(0, new CsAssembler()
                .runCompute(1)
                .move48(0, CsfRig.SYNC_VA).move48(2, 1).syncAdd64(0, 2));
        rig.ringDoorbell(1);
        assertTrue(rig.await(() -> rig.csEvents(0, 0) == CS_FAULT, MS));
        assertEquals(EXCEPTION_DATA_INVALID_FAULT, rig.r32(rig.csOut[0][0] + CS_OUTPUT_FAULT) & 0xFF);
        assertEquals(0x1234, rig.mem.read64(rig.csOut[0][0] + CS_OUTPUT_FAULT_INFO));
        assertEquals(1, rig.rawstat() & 1);
        rig.clock.advance(MS);
        assertEquals(0, rig.mem.read64(CsfRig.SYNC_PA), "halted until the host acks");

        // cs_slot_process_irq_locked(): ack FAULT, ring the CS doorbell through the CSG.
        rig.updateReqs(rig.csIn[0][0], rig.r32(rig.csOut[0][0]), CS_FATAL | CS_FAULT);
        rig.ackCsgEvents(0);
        rig.toggleReqs(rig.csgIn[0] + CSG_INPUT_DOORBELL_REQ, rig.csgOut[0] + CSG_OUTPUT_DOORBELL_ACK, 1);
        rig.ringCsgDoorbells(1);
        assertTrue(rig.await(() -> rig.mem.read64(CsfRig.SYNC_PA) == 1, MS));
        assertEquals(1, rig.mem.read32(CsfRig.SYNC_PA + 8), "the error state propagates into the sync object");
    }

    // ------------------------------------------------------------------------------ doorbells, IRQs, reset

    @Test
    void userDoorbellsSelectQueues() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0);
        rig.clock.advance(MS);
        rig.submit(0, new CsAssembler().nop().nop());
        rig.clock.advance(MS);
        assertEquals(0, rig.extract(0), "no doorbell, no progress");
        rig.ringDoorbell(2);
        rig.clock.advance(MS);
        assertEquals(0, rig.extract(0), "another group's doorbell");
        rig.ringDoorbell(1);
        rig.clock.advance(Firmware.REQUEST_NANOS - 1);
        assertEquals(0, rig.extract(0));
        assertTrue(rig.await(() -> rig.extract(0) == 16, MS));
    }

    @Test
    void jobIrqMaskAndClear() {
        rig.boot();
        rig.mmio.write32(JOB_INT_MASK, 0);
        rig.toggleReqs(rig.glbIn, rig.glbOut, GLB_PING);
        rig.w32(rig.glbIn + GLB_INPUT_ACK_IRQ_MASK, GLB_PING);
        rig.ringGlobal();
        rig.clock.advance(MS);
        assertEquals(JOB_INT_GLOBAL_IF, rig.rawstat());
        assertEquals(0, rig.mmio.read32(JOB_INT_STAT));
        assertFalse(rig.model.irq().asserted(IrqLine.JOB));
        rig.mmio.write32(JOB_INT_MASK, JOB_INT_GLOBAL_IF);
        assertEquals(JOB_INT_GLOBAL_IF, rig.mmio.read32(JOB_INT_STAT));
        assertTrue(rig.model.irq().asserted(IrqLine.JOB));
        rig.clearIrq(JOB_INT_GLOBAL_IF);
        assertEquals(0, rig.rawstat());
        assertFalse(rig.model.irq().asserted(IrqLine.JOB));
    }

    @Test
    void gpuSoftResetDisablesTheMcu() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0);
        rig.mmio.write32(GPU_CMD, GPU_SOFT_RESET);
        assertTrue(rig.await(() -> (rig.mmio.read32(GPU_INT_RAWSTAT) & GPU_IRQ_RESET_COMPLETED) != 0, 100 * MS));
        assertEquals(MCU_STATUS_DISABLED, rig.mmio.read32(MCU_STATUS));
        assertEquals(0, rig.rawstat());
        assertEquals(0, rig.mmio.read32(JOB_INT_MASK));
        assertEquals("TERMINATED", csf.firmware().csgState(0));
        assertFalse(csf.firmware().running());
        // Slow reset: the sections are reloaded and the MCU booted again.
        rig.mem.zero(CsfRig.SHARED_PA, FW_SHARED_SECTION_SIZE);
        rig.boot();
        assertTrue(csf.firmware().running());
    }

    @Test
    void suspendedStreamsResumeInAnotherSlot() {
        bootAndInit();
        rig.setupUserVm(1);
        startGroup(0, 1, 15, 0);
        rig.submit(0, new CsAssembler()
                .move32(6, 0xBEEF)
                .move48(0, CsfRig.SYNC_VA)
                .move48(2, 0)
                .syncWait64(CsInstr.COND_GT, 0, 2)
                .move48(4, CsfRig.DATA_VA)
                .storeMultiple(6, 1, 4, 0));
        rig.ringDoorbell(1);
        assertTrue(rig.await(() -> rig.extract(0) == 24, MS));
        assertTrue(rig.csgRequest(0, CSG_STATE_SUSPEND, CSG_STATE_MASK));
        assertEquals(CS_STATUS_BLOCKED_REASON_SYNC_WAIT, rig.r32(rig.csOut[0][0] + CS_OUTPUT_STATUS_BLOCKED_REASON));
        assertEquals(0, rig.r32(rig.ioOutputPa(0) + RINGBUF_OUTPUT_ACTIVE));
        // cs_slot_reset_locked(): STOP without a doorbell.
        rig.updateReqs(rig.csIn[0][0], CS_STATE_STOP, CS_STATE_MASK);

        // Resumed in slot 5 with the same suspend buffer and user I/O pages.
        rig.progCs(5, 0, 0, CsfRig.ringVa(0), CsfRig.RING_SIZE, 0, 6);
        rig.progCsg(5, 1, 14, 1);
        rig.mem.write64(rig.csgIn[5] + CSG_INPUT_SUSPEND_BUF, CsfRig.SUSPEND_VA);
        assertTrue(rig.csgRequest(5, CSG_STATE_RESUME, CSG_STATE_MASK));
        assertEquals("RUNNING", csf.firmware().csgState(5));
        rig.mem.write64(CsfRig.SYNC_PA, 1);
        rig.ringDoorbell(6);
        assertTrue(rig.await(() -> rig.extract(0) == 48, MS));
        assertEquals(0xBEEF, rig.mem.read32(CsfRig.DATA_PA), "registers survived the suspend");
    }

    @Test
    void firmwareConstantsMatchTheFixture() {
        assertEquals(G610.CSG_SLOT_COUNT, 8);
        assertTrue(FW_SHARED_SECTION_SIZE >= csOutputOffset(7, 7) + CS_OUTPUT_SIZE);
        assertTrue(csControlOffset(0, 7) + 12 <= csgControlOffset(1));
        assertTrue(csgControlOffset(7) + FW_GROUP_STRIDE <= FW_GLB_INPUT_OFFSET);
    }
}
