package panthor.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import driver.core.uapi.Errno;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import org.junit.jupiter.api.Test;

class DriverHarnessTest {

    @Test
    void probedDeviceAnswersQueriesAndVmIoctlsAreEnodevWithoutAnMmu() {
        try (DriverHarness h = DriverHarness.start();
             PanthorClient c = PanthorClient.open(h.newProcess("harness"))) {
            assertEquals(h.gpuInfo().gpuId(), c.gpuInfo().gpuId());
            IoctlException e = assertThrows(IoctlException.class,
                    () -> c.vmCreate(0));
            assertEquals(Errno.ENODEV, e.errno());
            long before = h.time().nowNanos();
            h.advanceMs(60);
            assertEquals(before + 60_000_000L, h.time().nowNanos());
        }
    }
}
