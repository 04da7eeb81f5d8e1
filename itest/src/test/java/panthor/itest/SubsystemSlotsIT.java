package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import driver.core.api.DrmDevice;
import driver.core.slot.SlotInfo;
import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemSlots;
import driver.core.subsys.DriverSubsystems;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The subsystem slots in the running container: four slots, the shell lists them, and with no
 * MMU installed (implementations come with the next issue) a VM_CREATE waits the grace period
 * set through ConfigAdmin, then fails with ENODEV, while the rest of the UABI works.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SubsystemSlotsIT {

    @Inject
    SubsystemSlots slots;

    @Inject
    DriverSubsystems typed;

    @Inject
    DrmDevice drm;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return PanthorContainer.options();
    }

    @Test
    public void fourSlotsAndTheShellListsThem() throws Exception {
        List<String> names = slots.slots().stream().map(SlotInfo::subsystem).toList();
        assertEquals(List.of("mmu", "sched", "devfreq", "coredump"), names);
        for (SlotInfo s : slots.slots()) {
            assertEquals(s.subsystem(), SlotStatus.PARKED, s.status());
        }
        assertEquals("mmu", typed.mmu().subsystem());
        String out = run("gpu:subsystems");
        for (String n : names) {
            assertTrue(out, out.contains(n));
        }
        String info = run("gpu:info");
        assertTrue(info, info.contains("uabi             panthor 1."));
        assertTrue(info, info.contains("mmu              none"));
        String swaps = run("gpu:swaps");
        assertTrue(swaps, swaps.contains("no swaps yet"));
    }

    @Test
    public void vmCreateFailsWithEnodevAfterTheConfiguredGracePeriod() throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("driver.core.subsystems", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("grace.ms", 300L);
        c.update(props);
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (slots.slot("mmu").orElseThrow().info().graceNanos() != 300_000_000L) {
                assertTrue("the configuration never reached the slots", System.nanoTime() < deadline);
                Thread.sleep(20);
            }
            UserProcess process = drm.newProcess("itest-slots", Credentials.user());
            try (PanthorClient client = PanthorClient.open(process)) {
                assertEquals(0xa867_0005, client.gpuInfo().gpuId());
                long start = System.nanoTime();
                int ret = client.ioctlBytes(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO.toBytes(),
                        null);
                long waited = System.nanoTime() - start;
                assertEquals(-Errno.ENODEV, ret);
                assertTrue("waited " + waited / 1_000_000 + " ms", waited >= 300_000_000L);
                String clients = run("gpu:clients");
                assertTrue(clients, clients.contains("itest-slots"));
            } finally {
                process.exit();
            }
        } finally {
            c.delete();
        }
    }

    @Test
    public void swapToAMissingImplementationIsRefusedWithAMessage() throws Exception {
        boolean refused = true;
        try {
            run("gpu:swap mmu cstyle");
            refused = false;
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("refused: no implementation 'cstyle'"));
        }
        try {
            run("gpu:swap gpu cstyle");
            refused = false;
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no subsystem 'gpu'"));
        }
        assertTrue("both swaps must fail", refused);
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out);
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, 0));
            }
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
