package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import driver.core.api.DrmDevice;
import driver.core.api.Sysfs;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorTimestampInfo;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A simulated process opens the render node of the running driver and queries it through the
 * byte path: the values come from the probed model (GPU_INFO), the booted firmware (CSIF_INFO)
 * and the GPU's counters read with the device resumed (TIMESTAMP_INFO).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RenderNodeIT {

    @Inject
    DrmDevice drm;

    @Inject
    Sysfs sysfs;

    @Configuration
    public Option[] config() {
        return PanthorContainer.options();
    }

    @Test
    public void devQueryThroughTheBytePath() {
        UserProcess process = drm.newProcess("itest", Credentials.user());
        try (PanthorClient client = PanthorClient.open(process)) {
            DrmPanthorGpuInfo gpu = client.gpuInfo();
            assertEquals(0xa867_0005, gpu.gpuId());
            assertEquals(0xff, gpu.asPresent());
            assertEquals(0x5_0005L, gpu.shaderPresent());

            DrmPanthorCsifInfo csif = client.csifInfo();
            assertEquals(8, csif.csgSlotCount());
            assertEquals(8, csif.csSlotCount());
            assertEquals(96, csif.csRegCount());

            DrmPanthorTimestampInfo first = client.timestampInfo(0);
            DrmPanthorTimestampInfo second = client.timestampInfo(0);
            assertEquals(24_000_000L, first.timestampFrequency());
            assertTrue("GPU timestamp runs: " + first + " then " + second,
                    second.currentTimestamp() >= first.currentTimestamp() && first.currentTimestamp() > 0);
        }
    }

    @Test
    public void versionAndRuntimePmAttributes() {
        UserProcess process = drm.newProcess("itest", Credentials.user());
        try (PanthorClient client = PanthorClient.open(process)) {
            PanthorClient.Version v = client.version();
            assertEquals("panthor", v.name());
            assertEquals(PanthorIoctls.VERSION_MAJOR, v.major());
            assertEquals(PanthorIoctls.VERSION_MINOR, v.minor());
        }
        String status = sysfs.read(Sysfs.DEVICE_PATH + "/power/runtime_status").strip();
        assertTrue(status, status.equals("active") || status.equals("suspended"));
    }
}
