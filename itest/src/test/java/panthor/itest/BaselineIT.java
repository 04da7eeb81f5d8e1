package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
 * The C-style baseline in the container (issue 5's done-when): the conformance suite passes
 * against the C-style MMU and scheduler, and a load of 8 clients and 20,000 jobs loses and
 * fails nothing. The MMU and scheduler introspection commands answer.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BaselineIT {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) passed, (\\d+) failed");

    @Inject
    CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return PanthorContainer.options();
    }

    @Test
    public void conformanceSuitePasses() throws Exception {
        assertConformancePasses(processor);
    }

    @Test
    public void loadOfEightClientsAndTwentyThousandJobsLosesNothing() throws Exception {
        String out = GogoShell.run(processor, "gpu:load run --clients 8 --jobs 20000");
        String line = GogoShell.lastLine(out);
        assertTrue(out, line.startsWith("load: clients=8 "));
        assertEquals(out, 20000, GogoShell.field(line, "submitted"));
        assertEquals(out, 20000, GogoShell.field(line, "completed"));
        assertEquals(out, 0, GogoShell.field(line, "failed"));
        assertEquals(out, 0, GogoShell.field(line, "lost"));
    }

    @Test
    public void introspectionCommandsAnswer() throws Exception {
        GogoShell.run(processor, "gpu:load run --clients 2 --jobs 200");
        assertTrue(GogoShell.run(processor, "mmu:vms").contains("MCU"));
        assertTrue(GogoShell.run(processor, "mmu:as").contains("AS"));
        String slots = GogoShell.run(processor, "sched:slots");
        assertTrue(slots, slots.lines().count() >= 9);
        GogoShell.run(processor, "sched:groups");
        GogoShell.run(processor, "sched:queues");
    }

    /** Runs gpu:conformance; asserts at least 60 cases and none failed. */
    static void assertConformancePasses(CommandProcessor processor) throws Exception {
        String out = GogoShell.run(processor, "gpu:conformance");
        Matcher m = SUMMARY.matcher(GogoShell.lastLine(out));
        assertTrue(out, m.matches());
        assertTrue(out, Integer.parseInt(m.group(1)) >= 60);
        assertEquals(out, "0", m.group(2));
    }
}
