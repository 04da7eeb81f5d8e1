package driver.core.internal.device;

import hw.model.csf.CsfLayout;

import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DeviceState;
import driver.core.internal.DeviceFixture;
import driver.core.internal.fw.FwIfaceDefs;
import driver.core.internal.fw.FwMcuVm;
import driver.core.internal.fw.McuVm;
import hw.model.api.IrqLine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceLifecycleTest {

    private final DeviceFixture f = new DeviceFixture();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** Scheduler and MMU hooks that record their calls (the MMU ones delegate to the interim MMU). */
    private void installRecordingHooks() {
        f.dev.setSched(new SchedHooks() {
            @Override public int init() { calls.add("sched.init"); return 0; }
            @Override public void preReset() { calls.add("sched.preReset"); }
            @Override public void postReset(boolean failed) { calls.add("sched.postReset(" + failed + ")"); }
            @Override public int suspend() { calls.add("sched.suspend"); return 0; }
            @Override public void resume() { calls.add("sched.resume"); }
            @Override public void unplug() { calls.add("sched.unplug"); }
        });
        FwMcuVm mmu = new FwMcuVm(f.dev);
        f.dev.setMmu(new MmuHooks() {
            @Override public McuVm mcuVm() { return mmu; }
            @Override public int irqMask() { return mmu.irqMask(); }
            @Override public void irq(int status) { mmu.irq(status); }
            @Override public void preReset() { calls.add("mmu.preReset"); mmu.preReset(); }
            @Override public void postReset() { calls.add("mmu.postReset"); mmu.postReset(); }
            @Override public void suspend() { calls.add("mmu.suspend"); mmu.suspend(); }
            @Override public void resume() { calls.add("mmu.resume"); mmu.resume(); }
            @Override public void unplug() { calls.add("mmu.unplug"); mmu.unplug(); }
        });
    }

    @Test
    void initRunsInPanthorsOrder() {
        installRecordingHooks();
        assertEquals(List.of(), f.dev.steps(), "not probed yet");
        f.up();
        assertEquals(List.of("clk_init", "devfreq_init", "pm_runtime_enable", "resume", "clk_enable", "gpu_init",
                "coherency_init", "mmu_init", "fw_init", "sched_init", "autosuspend", "register"), f.dev.steps());
        assertEquals(List.of("sched.init"), calls);
        assertEquals(DeviceState.ACTIVE, f.dev.state());
        assertEquals(0, f.dev.pm().usageCount(), "the probe reference was put");
        assertTrue(f.dev.pm().autosuspendDeadline() > 0, "autosuspend armed");
        assertTrue(f.dev.log().contains("mali-g610 id 0xa867"), f.dev.log().recent().toString());
        assertTrue(f.dev.log().contains("devfreq absent: fixed OPP"));
    }

    @Test
    void devfreqIsInitialisedBeforeRuntimePmWhenPresent() {
        AtomicInteger order = new AtomicInteger();
        int[] seen = new int[3];
        f.dev.setDevfreq(new DevfreqHooks() {
            @Override public int init() { seen[0] = order.incrementAndGet(); return 0; }
            @Override public void suspend() { }
            @Override public void resume() { seen[1] = order.incrementAndGet(); }
        });
        f.up();
        assertEquals(1, seen[0]);
        assertEquals(2, seen[1], "the first resume comes after devfreq init");
    }

    @Test
    void resetRunsInPanthorsOrderAndRebootsTheFirmware() {
        installRecordingHooks();
        f.upAndHeld();
        calls.clear();
        int before = f.dev.steps().size();
        long resets = f.model.gpu().resetCount();
        f.dev.scheduleReset();
        f.stepper.drainAll();
        assertEquals(List.of("sched_pre_reset", "fw_pre_reset", "mmu_pre_reset", "gpu_soft_reset", "gpu_l2_power_on",
                "mmu_post_reset", "fw_post_reset", "sched_post_reset"), f.dev.steps().subList(before, f.dev.steps().size()));
        assertEquals(List.of("sched.preReset", "mmu.preReset", "mmu.postReset", "sched.postReset(false)"), calls);
        assertEquals(resets + 1, f.model.gpu().resetCount());
        assertFalse(f.dev.resetPending());
        assertTrue(f.dev.fw().booted());
        assertEquals(DeviceState.ACTIVE, f.dev.state());
        assertTrue(f.dev.fw().glbWaitAcks(CsfLayout.GLB_CFG_ALLOC_EN | CsfLayout.GLB_CFG_PROGRESS_TIMER, 100).ok(),
                "global interface configured again after the slow reset");
        assertEquals(MCU_STATUS_ENABLED, f.read32(MCU_STATUS));
    }

    @Test
    void resetIsQueuedOnlyOnceWhilePending() {
        f.upAndHeld();
        long resets = f.model.gpu().resetCount();
        f.dev.scheduleReset();
        f.dev.scheduleReset();
        f.dev.scheduleReset();
        f.stepper.drainAll();
        assertEquals(resets + 1, f.model.gpu().resetCount());
    }

    @Test
    void mcuBootFailureAfterResetUnplugsTheDevice() {
        installRecordingHooks();
        f.upAndHeld();
        int[] unplugNotifications = {0};
        f.dev.onUnplug(() -> unplugNotifications[0]++);
        calls.clear();
        f.inject.failFirmwareBoot(true);
        f.dev.scheduleReset();
        f.stepper.drainAll();
        assertTrue(calls.contains("sched.postReset(true)"), calls.toString());
        assertEquals(DeviceState.UNPLUGGED, f.dev.state());
        assertEquals(1, unplugNotifications[0]);
        assertTrue(f.dev.log().contains("Failed to boot MCU after reset, making device unusable."));
        assertTrue(f.dev.log().contains("FW slow reset failed"));
    }

    @Test
    void unplugRunsSchedFwMmuGpuAndLeavesTheDeviceUnplugged() {
        installRecordingHooks();
        f.up();
        int[] notified = {0};
        f.dev.onUnplug(() -> notified[0]++);
        calls.clear();
        int before = f.dev.steps().size();
        f.dev.unplug();
        List<String> steps = f.dev.steps().subList(before, f.dev.steps().size());
        assertEquals(List.of("drm_dev_unplug", "sched_unplug", "fw_unplug", "mmu_unplug", "gpu_unplug", "suspend",
                "clk_disable"), steps);
        assertEquals(List.of("sched.unplug", "mmu.unplug"), calls);
        assertEquals(DeviceState.UNPLUGGED, f.dev.state());
        assertEquals(1, notified[0]);
        assertEquals(MCU_STATUS_DISABLED, f.read32(MCU_STATUS));
        assertEquals(0, f.model.mmio().read64Raw(L2_READY), "powered down");
        for (IrqLine line : IrqLine.values()) {
            f.model.irq().request(line, l -> { }).close();
        }
        f.dev.unplug();
        assertEquals(1, notified[0], "a second unplug is a no-op");
        int[] late = {0};
        f.dev.onUnplug(() -> late[0]++);
        assertEquals(1, late[0], "a listener added after unplug runs at once");
        assertEquals(1, f.dev.userFlushIdRead(0), "the flush-id page is the dummy page");
    }
}
