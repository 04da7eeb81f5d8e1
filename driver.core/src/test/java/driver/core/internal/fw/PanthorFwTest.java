package driver.core.internal.fw;

import hw.model.csf.CsfLayout;

import static driver.core.internal.fw.FwIfaceDefs.*;
import static hw.model.csf.CsfLayout.*;
import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DeviceState;
import driver.core.internal.DeviceFixture;
import driver.core.internal.device.SchedHooks;
import driver.core.kernel.pgtable.Lpae;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.Errno;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PanthorFwTest {

    private final DeviceFixture f = new DeviceFixture();
    private final List<Integer> events = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        f.close();
    }

    private PanthorFw fw() {
        return f.dev.fw();
    }

    @Test
    void bootDiscoversTheInterfacesThroughInputAndOutputVa() {
        f.upAndHeld();
        assertTrue(fw().booted());
        assertEquals(MCU_STATUS_ENABLED, f.read32(MCU_STATUS));
        assertEquals(csfIfaceVersion(1, 1, 0), fw().version());
        assertEquals(8, fw().csgSlotCount());
        assertEquals(8, fw().csSlotCount());
        assertEquals(new DrmPanthorCsifInfo(8, 8, 96, 8, 4, 0), fw().csifInfo());
        // Where the model firmware put them, found only through the control interfaces.
        assertEquals(0x9000, fw().glbIface().input().offset());
        assertEquals(0xA000, fw().glbIface().output().offset());
        assertEquals(0xB000 + 3 * 0x2000, fw().csgIface(3).input().offset());
        assertEquals(0xB000 + 3 * 0x2000 + 0x1000, fw().csgIface(3).output().offset());
        assertEquals(0xB000 + 3 * 0x2000 + 0x100 + 5 * 0x80, fw().csIface(3, 5).input().offset());
        assertEquals(0xB000 + 3 * 0x2000 + 0x1000 + 0x100 + 5 * 0x100, fw().csIface(3, 5).output().offset());
        assertEquals(CSF_GROUP_CONTROL_OFFSET + 3 * 0x1000 + CSF_STREAM_CONTROL_OFFSET + 5 * 0x40,
                fw().csIface(3, 5).control().offset());
        assertTrue(f.dev.log().contains("CSF FW using interface v1.1.0"));
    }

    @Test
    void mcuVmMapsTheSharedSectionInAs0() {
        f.upAndHeld();
        FwMcuVm vm = (FwMcuVm) f.dev.mmu();
        assertTrue(vm.isActive());
        assertEquals(vm.pgd(), f.model.mmio().read64Raw(AS_TRANSTAB(0)));
        assertEquals(Lpae.transcfg(48, false), f.model.mmio().read64Raw(AS_TRANSCFG(0)));
        assertEquals(Lpae.mairToMemattr(Lpae.MAIR, false), f.model.mmio().read64Raw(AS_MEMATTR(0)));
        assertEquals(4, vm.tablePageCount(), "one table per level for one 128 KiB range");
        var walk = f.model.mmu().walk(0, CSF_MCU_SHARED_REGION_START + 0x9004);
        assertTrue(walk.ok(), walk.lines().toString());
        assertEquals(fw().sharedSection().physicalAddress(0x9004), walk.pa(), "AS0 translates to the kernel's pages");
        assertEquals(4, walk.steps().size(), "a four-level walk");
        assertFalse(f.model.mmu().walk(0, CSF_MCU_SHARED_REGION_START + PanthorFw.SHARED_SECTION_SIZE).ok(),
                "nothing mapped past the section");
        // The kernel view and the MCU view are the same bytes.
        long va = CSF_MCU_SHARED_REGION_START + 0x1F000;
        fw().sharedSection().write32(0x1F000, 0xCAFEF00D);
        assertEquals(0xCAFEF00D, f.model.memory().read32(fw().sharedSection().physicalAddress(0x1F000)));
        assertTrue(fw().sharedSection().containsGpuVa(va));
    }

    @Test
    void globalConfigurationIsWrittenAndAcknowledged() {
        f.upAndHeld();
        FwIface.Glb glb = fw().glbIface();
        assertEquals(f.info.shaderPresent(), glb.input().read64(GLB_INPUT_CORE_EN_MASK));
        assertEquals(2_560_000, glb.input().read32(GLB_INPUT_PROGRESS_TIMER));
        assertEquals(19, glb.input().read32(GLB_INPUT_IDLE_TIMER), "800 us of 24 MHz in 1024-tick units, rounded up");
        assertEquals(235, glb.input().read32(GLB_INPUT_POWEROFF_TIMER));
        assertEquals(GLB_CFG_ALLOC_EN | GLB_PING | GLB_CFG_PROGRESS_TIMER | GLB_CFG_POWEROFF_TIMER | GLB_IDLE_EN | GLB_IDLE,
                glb.input().read32(GLB_INPUT_ACK_IRQ_MASK));
        int cfg = GLB_CFG_ALLOC_EN | GLB_CFG_POWEROFF_TIMER | GLB_CFG_PROGRESS_TIMER | GLB_IDLE_EN | GLB_COUNTER_EN;
        PanthorFw.AckWait w = fw().glbWaitAcks(cfg, 100);
        assertTrue(w.ok());
        assertEquals(cfg, w.acked());
        int req = glb.input().read32(GLB_INPUT_REQ);
        assertEquals(GLB_IDLE_EN | GLB_COUNTER_EN, req & (GLB_IDLE_EN | GLB_COUNTER_EN));
        // The firmware latched it: progress timeout and cores.
        assertEquals(2_560_000L << 10, f.model.csf().firmware().progressTimeoutCycles());
        assertEquals(f.info.shaderPresent(), f.model.csf().firmware().coreEnMask());
        f.model.clock().advance(VirtualTime.NANOS_PER_MS);
        assertEquals(f.info.shaderPresent(), f.model.mmio().read64Raw(SHADER_READY), "the FW powered the cores");
        assertTrue(fw().pingWorkItem().isPending(), "watchdog armed");
        assertEquals(f.now() - VirtualTime.NANOS_PER_MS, fw().pingWorkItem().deadlineNanos()
                - PING_INTERVAL_MS * VirtualTime.NANOS_PER_MS, 1_000_000L);
    }

    @Test
    void reqAckTimesOutWithoutDoorbellAndSucceedsWithIt() {
        f.upAndHeld();
        FwIface.Glb glb = fw().glbIface();
        assertTrue(fw().glbWaitAcks(GLB_REQ_MASK & ~GLB_HALT, 100).ok(), "nothing pending");
        glb.toggleReqs(GLB_INPUT_REQ, GLB_OUTPUT_ACK, GLB_PING);
        long t0 = f.now();
        PanthorFw.AckWait w = fw().glbWaitAcks(GLB_PING | GLB_CFG_ALLOC_EN, 10);
        assertEquals(-Errno.ETIMEDOUT, w.ret());
        assertEquals(GLB_CFG_ALLOC_EN, w.acked(), "PING not acknowledged, ALLOC_EN was");
        assertEquals(10 * VirtualTime.NANOS_PER_MS, f.now() - t0);
        fw().ringDoorbell(CSF_GLB_DOORBELL_ID);
        long t1 = f.now();
        assertTrue(fw().glbWaitAcks(GLB_PING, 10).ok());
        assertTrue(f.now() - t1 < VirtualTime.NANOS_PER_MS, "the model acks 2 us after the doorbell");
        assertEquals(-Errno.EINVAL, fw().glbWaitAcks(GLB_HALT, 10).ret(), "HALT is never acknowledged");
    }

    @Test
    void csgRequestsAreAcknowledgedThroughCsgDoorbells() {
        f.upAndHeld();
        FwIface.Csg csg = fw().csgIface(2);
        csg.toggleReqs(CSG_INPUT_REQ, CSG_OUTPUT_ACK, CSG_STATUS_UPDATE);
        assertEquals(-Errno.ETIMEDOUT, fw().csgWaitAcks(2, CSG_STATUS_UPDATE, 5).ret());
        fw().ringCsgDoorbells(1 << 2);
        assertTrue(fw().csgWaitAcks(2, CSG_STATUS_UPDATE, 10).ok());
        assertEquals(-Errno.EINVAL, fw().csgWaitAcks(2, CSG_SYNC_UPDATE, 10).ret());
    }

    @Test
    void jobIrqDeliversGlobalEventsToTheSchedulerHook() {
        f.dev.setSched(new SchedHooks() {
            @Override
            public void reportFwEvents(int status) {
                events.add(status);
            }
        });
        f.upAndHeld();
        events.clear();
        FwIface.Glb glb = fw().glbIface();
        glb.toggleReqs(GLB_INPUT_REQ, GLB_OUTPUT_ACK, GLB_PING);
        fw().ringDoorbell(CSF_GLB_DOORBELL_ID);
        assertTrue(fw().glbWaitAcks(GLB_PING, 10).ok());
        f.model.clock().advance(10_000);
        assertEquals(List.of(JOB_INT_GLOBAL_IF), events);
        assertEquals(0, f.read32(JOB_INT_RAWSTAT), "the dispatcher cleared it");
    }

    @Test
    void pingWatchdogRunsEvery12Seconds() {
        f.upAndHeld();
        assertEquals(0, fw().pingCount());
        f.advanceMs(12_001);
        assertEquals(1, fw().pingCount());
        assertFalse(f.dev.resetPending());
        assertTrue(fw().pingWorkItem().isPending(), "re-armed");
    }

    @Test
    void bootFailureFailsProbeAfterOneSecond() {
        f.inject.failFirmwareBoot(true);
        long t0 = f.now();
        assertEquals(-Errno.ETIMEDOUT, f.dev.init());
        assertTrue(f.now() - t0 >= 1000 * VirtualTime.NANOS_PER_MS);
        assertTrue(f.dev.log().contains("Failed to boot MCU (status=enabled)"), f.dev.log().recent().toString());
        assertEquals(DeviceState.UNPLUGGED, f.dev.state());
        assertEquals(MCU_STATUS_DISABLED, f.read32(MCU_STATUS), "fw unplug stopped the MCU");
        assertEquals(0, f.dev.pageAllocator().stats().usedPages(), "sections and page tables released");
    }

    @Test
    void unmappedSharedSectionMakesTheMcuFault() {
        // An MCU VM that "forgets" to map the section: the firmware's first write faults in AS0.
        FwMcuVm real = new FwMcuVm(f.dev);
        f.dev.setMmu(new driver.core.internal.device.MmuHooks() {
            @Override public McuVm mcuVm() {
                return new McuVm() {
                    @Override public driver.core.kernel.KernelMapping mapShared(long va, long size) {
                        return new driver.core.kernel.KernelMapping(f.model.memory(),
                                f.dev.pageAllocator().allocPages((int) (size / 4096)), va);
                    }
                    @Override public int active() { return real.active(); }
                    @Override public void destroy() { real.destroy(); }
                };
            }
            @Override public int irqMask() { return real.irqMask(); }
            @Override public void irq(int status) { real.irq(status); }
            @Override public void preReset() { real.preReset(); }
            @Override public void postReset() { real.postReset(); }
            @Override public void suspend() { real.suspend(); }
            @Override public void resume() { real.resume(); }
            @Override public void unplug() { real.unplug(); }
        });
        assertEquals(-Errno.ETIMEDOUT, f.dev.init());
        assertTrue(f.dev.log().contains("Failed to boot MCU (status=fatal)"), f.dev.log().recent().toString());
        assertTrue(f.dev.log().contains("Unhandled Page fault in AS0 at VA 0x000000000400000"));
    }
}
