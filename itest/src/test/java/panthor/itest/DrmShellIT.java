package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import driver.core.slot.SubsystemSlots;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A shell user drives the UABI byte path of the running driver through Gogo: a simulated
 * process opens the render node, queries GPU_INFO byte-exactly, creates a BO and a syncobj,
 * and sees the real errno of a malformed ioctl; {@code gpu:prefer} reaches the slots through
 * ConfigAdmin.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DrmShellIT {

    @Inject
    CommandProcessor processor;

    @Inject
    SubsystemSlots slots;

    @Configuration
    public Option[] config() {
        return PanthorContainer.options();
    }

    @Test
    public void openQueryCreateAndAMalformedIoctl() throws Exception {
        String opened = run("drm:open --comm itest-shell");
        Matcher m = Pattern.compile("client (\\d+): pid \\d+ comm itest-shell opened /dev/dri/renderD128 as fd 3")
                .matcher(opened);
        assertTrue(opened, m.find());
        String id = m.group(1);

        String gpu = run("drm:query " + id + " gpu-info");
        assertTrue(gpu, gpu.contains("type 0 (drm_panthor_gpu_info), size 112 = 0"));
        assertTrue(gpu, gpu.contains("0x0000 gpu_id"));
        assertTrue(gpu, gpu.contains("05 00 67 a8"));
        assertTrue(gpu, gpu.contains("  0000: 05 00 67 a8"));
        String csif = run("drm:query " + id + " csif-info");
        assertTrue(csif, csif.contains("0x0000 csg_slot_count               08 00 00 00"));
        String ts = run("drm:query " + id + " timestamp-info");
        assertTrue(ts, ts.contains("0x0000 timestamp_frequency"));

        String bo = run("drm:bo-create " + id + " 4096");
        assertEquals("BO_CREATE = 0: handle 1, size 4096 (0x1000)", bo.strip());
        String sync = run("drm:syncobj-create --signaled " + id);
        assertEquals("SYNCOBJ_CREATE = 0: handle 1 (signaled)", sync.strip());

        // drm_panthor_bo_create with a non-zero pad: the driver's EINVAL is a result, not a failure.
        String bad = run("drm:ioctl " + id + " DRM_IOCTL_PANTHOR_BO_CREATE 001000000000000000000000000000000000000001000000");
        assertTrue(bad, bad.contains("arg) = -22 EINVAL"));
        assertTrue(bad, bad.contains("0x0014 pad                          01 00 00 00"));

        String ps = run("drm:ps");
        assertTrue(ps, ps.contains("itest-shell"));
        String clients = run("gpu:clients");
        assertTrue(clients, clients.contains("itest-shell"));

        try {
            run("drm:ioctl " + id + " DRM_IOCTL_NOPE 00");
            fail("an unknown request name is bad shell input");
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("unknown request 'DRM_IOCTL_NOPE'"));
        }
        assertTrue(run("drm:close " + id).contains("closed"));
    }

    @Test
    public void preferGoesThroughConfigAdmin() throws Exception {
        try {
            String out = run("gpu:prefer mmu rewritten");
            assertTrue(out, out.contains("mmu.impl = rewritten (persisted)"));
            assertEquals("rewritten", slots.slot("mmu").orElseThrow().info().preferredImpl());
            String table = run("gpu:subsystems");
            assertTrue(table, Pattern.compile("(?m)^mmu\\s+\\S+\\s+\\S+\\s+mandatory\\s+rewritten\\b").matcher(table).find());
        } finally {
            String cleared = run("gpu:prefer mmu none");
            assertTrue(cleared, cleared.contains("mmu.impl removed"));
        }
        assertEquals("", slots.slot("mmu").orElseThrow().info().preferredImpl());
        try {
            run("gpu:prefer gpu cstyle");
            fail("an unknown subsystem is bad input");
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no subsystem 'gpu'"));
        }
    }

    private String run(String command) throws Exception {
        return GogoShell.run(processor, command);
    }
}
