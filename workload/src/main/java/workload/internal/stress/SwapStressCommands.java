package workload.internal.stress;

import driver.core.api.DrmDevice;
import driver.core.slot.SubsystemSlots;
import hw.model.api.VirtualTime;
import java.util.List;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import workload.internal.load.LoadEngine;
import workload.internal.shell.CommandArgs;

/**
 * DOC: The {@code gpu:swap-stress} shell command: {@link SwapStress} with its one-line summary.
 *
 * Gogo cannot map a hyphenated name to a method, so the command is a {@link Function} service
 * and parses its own options ({@code --help} prints the usage). Fails, with the summary as the
 * message, when a job was lost or failed or a swap rolled back or was refused; bad arguments
 * fail with a one-line message.
 */
@Component(service = Function.class, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=swap-stress"})
public final class SwapStressCommands implements Function {

    static final String USAGE = "usage: gpu:swap-stress <subsystem> [--swaps N] [--clients N] [--seed S] - swap "
            + "the subsystem back and forth between its two implementations N times under load from N clients; "
            + "prints 'swap-stress: subsystem=.. swaps=.. rollbacks=.. lost=.. failed=.. pause_p50_us=.. "
            + "pause_p99_us=.. pause_max_us=..' (defaults: 100 swaps, 4 clients, seed 1)";

    private final SwapStress stress;

    @Activate
    public SwapStressCommands(@Reference SubsystemSlots slots, @Reference DrmDevice drm, @Reference VirtualTime time) {
        this.stress = new SwapStress(slots, new LoadEngine(drm, time));
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        Options o = Options.parse(arguments);
        if (o == null) {
            return USAGE;
        }
        SwapStress.Result r;
        try {
            r = stress.run(o.subsystem, o.swaps, o.clients, o.seed);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("gpu:swap-stress: " + e.getMessage());
        }
        if (!r.clean()) {
            throw new IllegalStateException(r.line());
        }
        return r.line();
    }

    /** The parsed arguments; null for {@code --help}. */
    record Options(String subsystem, int swaps, int clients, long seed) {

        static Options parse(List<Object> args) {
            CommandArgs a = CommandArgs.parse("gpu:swap-stress", USAGE, Set.of("--swaps", "--clients", "--seed"), args);
            if (a.help()) {
                return null;
            }
            return new Options(a.single("subsystem"), (int) a.number("--swaps", 100),
                    (int) a.number("--clients", 4), a.number("--seed", 1));
        }
    }
}
