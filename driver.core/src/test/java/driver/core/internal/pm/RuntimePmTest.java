package driver.core.internal.pm;

import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DeviceState;
import driver.core.api.Sysfs;
import driver.core.internal.DeviceFixture;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuntimePmTest {

    private static final String POWER = Sysfs.DEVICE_PATH + "/power/";

    private final DeviceFixture f = new DeviceFixture().up();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private String status() {
        return f.sysfs.read(POWER + "runtime_status").trim();
    }

    @Test
    void suspendsFiftyMillisecondsAfterProbeAndPowersDown() {
        long probed = f.now();
        f.advanceMs(49);
        assertEquals("active", status());
        assertEquals(DeviceState.ACTIVE, f.dev.state());
        f.advanceMs(2);
        assertEquals("suspended", status());
        assertEquals(DeviceState.SUSPENDED, f.dev.state());
        long deadline = probed + 50 * 1_000_000L;
        assertTrue(f.dev.pm().suspendCount() == 1);
        List<String> steps = f.dev.steps();
        assertEquals(List.of("suspend", "sched_suspend", "fw_suspend", "mmu_suspend", "gpu_suspend", "clk_disable"),
                steps.subList(steps.size() - 6, steps.size()));
        assertEquals(MCU_STATUS_HALT, f.read32(MCU_STATUS), "the firmware halted cleanly");
        assertTrue(f.dev.resetFast());
        assertEquals(0, f.model.mmio().read64Raw(L2_READY));
        assertEquals(0, f.model.mmio().read64Raw(SHADER_READY));
        assertEquals(0, f.model.mmio().read64Raw(AS_TRANSCFG(0)) & ~AS_TRANSCFG_ADRMODE_UNMAPPED, "AS0 disabled");
        assertEquals(1, f.dev.userFlushIdRead(0), "dummy flush-id page while suspended");
        assertEquals(0, f.dev.userFlushIdRead(4));
        assertTrue(deadline <= f.now());
    }

    @Test
    void resumesOnGetAndSuspendsAgainFiftyMillisecondsAfterTheLastPut() {
        f.advanceMs(60);
        assertEquals("suspended", status());
        assertEquals(0, f.dev.resumeAndGet());
        assertEquals("active", status());
        assertTrue(f.dev.fw().booted());
        assertEquals(MCU_STATUS_ENABLED, f.read32(MCU_STATUS));
        assertEquals(1, f.model.mmio().read64Raw(L2_READY));
        assertEquals(f.read32(CSF_GPU_LATEST_FLUSH_ID), f.dev.userFlushIdRead(0), "the live register again");
        assertTrue(f.dev.fw().glbWaitAcks(0x4 | 0x2, 100).ok(), "global interface reconfigured after the fast reboot");
        f.advanceMs(100);
        assertEquals("active", status(), "held");
        f.dev.pm().putAutosuspend();
        f.advanceMs(30);
        f.dev.resumeAndGet();
        f.dev.pm().putAutosuspend();
        f.advanceMs(30);
        assertEquals("active", status(), "the last put was 30 ms ago");
        f.advanceMs(25);
        assertEquals("suspended", status());
        assertEquals(2, f.dev.pm().suspendCount());
        assertEquals(1, f.dev.pm().resumeCount() - 1, "one resume besides probe");
    }

    @Test
    void controlOnKeepsTheDeviceResumedAndAutoLetsItSuspend() {
        f.sysfs.write(POWER + "control", "on\n");
        assertEquals("on\n", f.sysfs.read(POWER + "control"));
        f.advanceMs(200);
        assertEquals("active", status());
        f.sysfs.write(POWER + "control", "auto\n");
        f.advanceMs(1);
        assertEquals("suspended", status(), "last busy was long ago: it suspends at once, as Linux does");
        f.sysfs.write(POWER + "control", "on");
        f.dev.pm().markLastBusy();
        f.sysfs.write(POWER + "control", "auto");
        f.advanceMs(49);
        assertEquals("active", status());
        f.advanceMs(2);
        assertEquals("suspended", status());
        f.sysfs.write(POWER + "control", "on");
        assertEquals("active", status(), "writing on resumes at once");
        ErrnoException e = assertThrows(ErrnoException.class, () -> f.sysfs.write(POWER + "control", "off\n"));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void autosuspendDelayIsReadableAndWritable() {
        assertEquals("50\n", f.sysfs.read(POWER + "autosuspend_delay_ms"));
        f.sysfs.write(POWER + "autosuspend_delay_ms", "100\n");
        assertEquals("100\n", f.sysfs.read(POWER + "autosuspend_delay_ms"));
        f.advanceMs(99);
        assertEquals("active", status());
        f.advanceMs(2);
        assertEquals("suspended", status());
        for (String bad : new String[] {"abc", "1.5", " 5", "5 ", "0x10", "", "99999999999"}) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> f.sysfs.write(POWER + "autosuspend_delay_ms", bad), "'" + bad + "'");
            assertEquals(Errno.EINVAL, e.errno(), bad);
        }
        assertEquals("100\n", f.sysfs.read(POWER + "autosuspend_delay_ms"), "rejected writes change nothing");
        f.sysfs.write(POWER + "autosuspend_delay_ms", "-1");
        assertEquals("active", status(), "a negative delay resumes and holds the device");
        f.advanceMs(500);
        assertEquals("active", status());
        f.sysfs.write(POWER + "autosuspend_delay_ms", "+10");
        f.advanceMs(11);
        assertEquals("suspended", status());
    }

    @Test
    void runtimeTimesAccumulate() {
        f.advanceMs(150);
        long active = Long.parseLong(f.sysfs.read(POWER + "runtime_active_time").trim());
        long suspended = Long.parseLong(f.sysfs.read(POWER + "runtime_suspended_time").trim());
        assertTrue(active >= 50 && active < 60, "active " + active);
        assertTrue(suspended >= 90 && suspended <= 100, "suspended " + suspended);
        assertThrows(ErrnoException.class, () -> f.sysfs.write(POWER + "runtime_status", "active"));
    }

    @Test
    void aResetRequestedWhileSuspendedBecomesASlowResetAtResume() {
        f.advanceMs(60);
        f.dev.scheduleReset();
        assertTrue(f.dev.resetPending());
        assertTrue(f.dev.resetWq().isIdle(), "not queued while suspended");
        assertEquals(0, f.dev.resumeAndGet());
        assertTrue(!f.dev.resetPending() && !f.dev.resetFast(), "resume turned it into a slow reset");
        assertTrue(f.dev.fw().booted());
    }

    @Test
    void sameScenarioGivesTheSameHardwareTrace() {
        long first = scenarioHash(f);
        try (DeviceFixture g = new DeviceFixture().up()) {
            assertEquals(first, scenarioHash(g));
        }
    }

    private static long scenarioHash(DeviceFixture x) {
        x.advanceMs(60);
        x.dev.resumeAndGet();
        x.advanceMs(5);
        x.dev.scheduleReset();
        x.stepper.drainAll();
        x.dev.pm().putAutosuspend();
        x.advanceMs(60);
        return x.model.trace().hash();
    }
}
