package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import driver.core.api.PanthorDevice;
import java.util.ArrayList;
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
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The distribution starts cleanly in Felix and the driver answers through Gogo. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainerIT {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Inject
    CommandProcessor processor;

    @Inject
    PanthorDevice device;

    @Configuration
    public Option[] config() {
        return PanthorContainer.options();
    }

    @Test
    public void everyDistroBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        int ours = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0 || b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (b.getLocation().contains("/export/panthor/")) {
                ours++;
            }
            if (b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertEquals("every distro bundle installed", PanthorContainer.distroJarNames().size(), ours);
        assertTrue("bundles not ACTIVE: " + notActive, notActive.isEmpty());
    }

    @Test
    public void everyComponentIsActiveOrSatisfied() {
        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (ComponentDescriptionDTO desc : scr.getComponentDescriptionDTOs()) {
            if (!scr.isComponentEnabled(desc)) {
                bad.add(desc.name + " disabled");
                continue;
            }
            for (ComponentConfigurationDTO cfg : scr.getComponentConfigurationDTOs(desc)) {
                checked++;
                if (cfg.state != ComponentConfigurationDTO.ACTIVE && cfg.state != ComponentConfigurationDTO.SATISFIED) {
                    bad.add(desc.name + " state " + cfg.state);
                }
            }
        }
        assertTrue("no components found", checked > 0);
        assertTrue("components not ACTIVE/SATISFIED: " + bad, bad.isEmpty());
    }

    @Test
    public void gpuInfoShowsTheG610() throws Exception {
        String out = run("gpu:info");
        assertTrue(out, out.contains("mali-g610"));
        assertTrue(out, out.contains("0xa8670005"));
        assertTrue(out, out.contains("arch             10.8.6"));
        assertTrue(out, out.contains("va_bits 48, pa_bits 40"));
        assertEquals(0xa867_0005, device.gpuInfo().gpuId());
    }

    @Test
    public void unknownCommandFails() {
        try {
            run("no:such");
            fail("an unknown command must fail");
        } catch (Exception e) {
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage(), e.getMessage().contains("no:such"));
        }
    }

    private String run(String command) throws Exception {
        return GogoShell.run(processor, command);
    }
}
