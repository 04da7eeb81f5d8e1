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
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The subsystem slots in the running container: four slots, the shell lists them, the C-style
 * MMU and scheduler own the mandatory ones, and with every MMU bundle stopped a VM_CREATE waits
 * the grace period set through ConfigAdmin, then fails with ENODEV, while the rest of the UABI
 * works; restarting the bundles brings the parked state back. The scheduler bundle stopped
 * and started under a load loses nothing.
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

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return PanthorContainer.options();
    }

    @Test
    public void fourSlotsAndTheShellListsThem() throws Exception {
        List<String> names = slots.slots().stream().map(SlotInfo::subsystem).toList();
        assertEquals(List.of("mmu", "sched", "devfreq", "coredump"), names);
        for (SlotInfo s : slots.slots()) {
            boolean mandatory = s.subsystem().equals("mmu") || s.subsystem().equals("sched");
            assertEquals(s.subsystem(), mandatory ? SlotStatus.ACTIVE : SlotStatus.PARKED, s.status());
        }
        assertEquals("mmu", typed.mmu().subsystem());
        String out = run("gpu:subsystems");
        for (String n : names) {
            assertTrue(out, out.contains(n));
        }
        String info = run("gpu:info");
        assertTrue(info, info.contains("uabi             panthor 1."));
        assertTrue(info, info.contains("mmu              cstyle"));
        assertTrue(info, info.contains("sched            cstyle"));
    }

    @Test
    public void vmCreateFailsWithEnodevAfterTheConfiguredGracePeriodWithNoMmuBundleStarted() throws Exception {
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
            List<Bundle> mmus = Arrays.stream(context.getBundles())
                    .filter(b -> b.getSymbolicName().startsWith("driver.mmu.")).toList();
            assertEquals(2, mmus.size());
            for (Bundle b : mmus) {
                b.stop();
            }
            assertEquals(SlotStatus.PARKED, slots.slot("mmu").orElseThrow().info().status());
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
                for (Bundle b : mmus) {
                    b.start();
                }
            }
            assertEquals(SlotStatus.ACTIVE, slots.slot("mmu").orElseThrow().info().status());
        } finally {
            c.delete();
        }
    }

    /**
     * The scheduler bundle stopped for longer than the autosuspend delay under a load and
     * started again: the load's submits wait for it, its groups keep their CSG slots (the
     * device refuses to runtime-suspend while their state is parked; SchedRuntimePmTest), the
     * old instance's work items do not wait for the parked slot, and nothing is lost or failed.
     */
    @Test
    public void schedulerBundleStoppedAndStartedUnderLoadLosesNothing() throws Exception {
        Bundle sched = Arrays.stream(context.getBundles())
                .filter(b -> "driver.sched.cstyle".equals(b.getSymbolicName())).findFirst().orElseThrow();
        UnderLoad.run(processor, () -> {
            sched.stop();
            assertEquals(SlotStatus.PARKED, slots.slot("sched").orElseThrow().info().status());
            Thread.sleep(500);
            sched.start();
            assertEquals(SlotStatus.ACTIVE, slots.slot("sched").orElseThrow().info().status());
        });
    }

    @Test
    public void swapToAMissingImplementationIsRefusedWithAMessage() throws Exception {
        boolean refused = true;
        try {
            run("gpu:swap mmu nosuch");
            refused = false;
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("refused: no implementation 'nosuch'"));
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
        return GogoShell.run(processor, command);
    }
}
