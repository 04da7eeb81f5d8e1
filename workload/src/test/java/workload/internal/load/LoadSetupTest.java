package workload.internal.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.mmu.cstyle.PanthorMmu;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/** Set-up failures are reported in one readable line and leave no process or DRM file behind. */
class LoadSetupTest {

    @Test
    void withoutAnMmuTheFirstVmCreateFails() {
        try (DriverHarness h = DriverHarness.start()) {
            LoadEngine engine = new LoadEngine(h.drm(), h.time());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.start(LoadConfig.of(2, 10, 1)));
            assertEquals("setting up client 1 of 2 failed: DRM_IOCTL_PANTHOR_VM_CREATE failed: ENODEV", e.getMessage());
            assertTrue(h.drm().clients().isEmpty(), "the client process exited");
        }
    }

    @Test
    void withoutASchedulerGroupCreateFails() {
        try (DriverHarness h = DriverHarness.start()) {
            h.install("mmu", "cstyle", new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device()));
            LoadEngine engine = new LoadEngine(h.drm(), h.time());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> engine.runStepped(LoadConfig.of(1, 10, 1), h::drainWork, () -> h.advanceMs(1)));
            assertTrue(e.getMessage().contains("GROUP_CREATE failed: ENODEV"), e.getMessage());
            assertTrue(h.drm().clients().isEmpty());
        }
    }
}
