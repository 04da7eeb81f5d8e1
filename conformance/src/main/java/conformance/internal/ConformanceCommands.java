package conformance.internal;

import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.api.Sysfs;
import hw.model.api.VirtualTime;
import java.io.PrintStream;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code gpu:conformance} shell command: runs the conformance suite against the live device
 * and prints one line per case as it completes ({@code ok   name  0.4 ms},
 * {@code FAIL name: reason}, {@code skip name: reason}), then {@code N passed, M failed}. With
 * failures the command fails, its message being that last line.
 */
@Component(service = ConformanceCommands.class, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=conformance"})
public final class ConformanceCommands {

    private final ConformanceSuite suite = new ConformanceSuite();
    private final ConformanceSuite.Target target;

    @Activate
    public ConformanceCommands(@Reference DrmDevice drm, @Reference VirtualTime time,
                               @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                               PanthorDevice device,
                               @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                               Sysfs sysfs) {
        this.target = new ConformanceSuite.Target(drm, time, device, sysfs);
    }

    @Descriptor("run the UABI conformance suite against the live device from fresh simulated processes; "
            + "one line per case, then 'N passed, M failed' (the command fails if M > 0)")
    public synchronized String conformance(CommandSession session,
            @Descriptor("IGT-style glob(s) on case names, comma-separated, e.g. 'panthor_vm@*' or '*partial*'")
            @Parameter(names = {"-f", "--filter"}, absentValue = "") String filter) {
        List<String> selected = suite.select(filter);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("gpu:conformance: no case matches '" + filter + "' ("
                    + suite.cases().size() + " cases; names look like panthor_vm@bind-map-4k)");
        }
        PrintStream console = session.getConsole();
        List<CaseResult> results = suite.run(target, filter, r -> {
            console.println(r.line());
            console.flush();
        });
        long skipped = results.stream().filter(r -> r.outcome() == CaseResult.Outcome.SKIP).count();
        if (skipped > 0) {
            console.println(skipped + " skipped");
        }
        String summary = ConformanceSuite.summary(results);
        if (results.stream().anyMatch(CaseResult::failed)) {
            throw new IllegalStateException(summary);
        }
        return summary;
    }
}
