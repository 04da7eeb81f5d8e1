package workload.internal.shell;

import driver.core.api.DrmDevice;
import hw.model.api.VirtualTime;
import java.util.List;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import workload.internal.load.LoadConfig;
import workload.internal.load.LoadEngine;
import workload.internal.load.LoadRun;
import workload.internal.load.LoadSummary;

/**
 * DOC: The {@code gpu:load} shell command.
 *
 * One function with a verb: {@code start} sets up the clients and runs them in the background,
 * {@code status} prints the live counts, {@code stop} ends submission, drains and prints the
 * final counts, {@code run} runs a bounded load to completion. Every verb prints exactly one
 * summary line ({@link LoadSummary#line}); {@code run} fails, with that line as the message,
 * when a job was lost or an outcome was unexpected. Bad input (unknown verb, bad numbers, a
 * second {@code start}) fails with a one-line message.
 *
 * The component is immediate so that a background load outlives the command that started it
 * (Gogo releases a delayed component between commands); deactivation stops it.
 */
@Component(service = LoadCommands.class, immediate = true, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=load"})
public final class LoadCommands {

    static final String VERBS = "start, status, stop, run";
    static final String USAGE = "usage: gpu:load start|status|stop|run [--clients N] [--jobs N] [--seed S] "
            + "[--faults N | --hangs N] [--window N]";
    static final Set<String> OPTIONS = Set.of("--clients", "--jobs", "--seed", "--faults", "--hangs", "--window");

    private final LoadEngine engine;
    private LoadRun current;
    private LoadSummary last;

    @Activate
    public LoadCommands(@Reference DrmDevice drm, @Reference VirtualTime time) {
        this.engine = new LoadEngine(drm, time);
    }

    @Deactivate
    synchronized void deactivate() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }

    @Descriptor("synthetic user-space load through the UABI; prints "
            + "'load: clients=.. submitted=.. completed=.. failed=.. lost=.. jobs_per_s=..'")
    public String load(
            @Descriptor("start|status|stop|run [--clients N (4)] [--jobs N (run: 1000, start: 0 = until stopped)] "
                    + "[--seed S (1)] [--faults N (0): jobs made to fail on victim groups by MMU faults and "
                    + "invalid instructions | --hangs N (0): jobs made to hang, each timing out after 5 s] "
                    + "[--window N (32): jobs in flight per client]") String... args) throws Exception {
        CommandArgs a = CommandArgs.parse("gpu:load", USAGE, OPTIONS, List.of(args));
        if (a.help()) {
            return USAGE;
        }
        String verb = a.single("verb (" + VERBS + ")");
        int clients = (int) a.number("--clients", 4);
        long jobs = a.number("--jobs", -1);
        long seed = a.number("--seed", 1);
        int faults = (int) a.number("--faults", 0);
        int hangs = (int) a.number("--hangs", 0);
        if (faults != 0 && hangs != 0) {
            throw new IllegalArgumentException("gpu:load: --faults and --hangs cannot be combined");
        }
        int window = (int) a.number("--window", 32);
        LoadConfig.FaultMix mix = hangs != 0 ? LoadConfig.FaultMix.HANGS : LoadConfig.FaultMix.FATAL;
        faults += hangs;
        switch (verb) {
            case "start":
                return start(config(clients, jobs < 0 ? 0 : jobs, seed, faults, mix, window));
            case "status":
                return status();
            case "stop":
                return stop();
            case "run":
                return run(config(clients, jobs < 0 ? 1000 : jobs, seed, faults, mix, window));
            default:
                throw new IllegalArgumentException("gpu:load: unknown verb '" + verb + "' (one of " + VERBS + ")");
        }
    }

    private static LoadConfig config(int clients, long jobs, long seed, int faults, LoadConfig.FaultMix mix,
                                     int window) {
        try {
            return LoadConfig.of(clients, jobs, seed).withWindow(window).withFaults(faults, mix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gpu:load: " + e.getMessage());
        }
    }

    private synchronized String start(LoadConfig config) {
        if (current != null && !current.finished()) {
            throw new IllegalArgumentException("gpu:load: a load is already running (gpu:load stop first)");
        }
        current = startOrExplain(config);
        return current.summary().line();
    }

    private LoadRun startOrExplain(LoadConfig config) {
        try {
            return engine.start(config);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("gpu:load: " + e.getMessage());
        }
    }

    private synchronized String status() {
        if (current != null) {
            return current.summary().line();
        }
        if (last != null) {
            return last.line();
        }
        return new LoadSummary(0, 0, 0, 0, 0, 0, 0, 0, "idle").line();
    }

    private synchronized String stop() {
        if (current == null) {
            throw new IllegalArgumentException("gpu:load: no load is running (gpu:load start first)");
        }
        last = current.stop();
        current = null;
        return last.line();
    }

    private String run(LoadConfig config) {
        synchronized (this) {
            if (current != null && !current.finished()) {
                throw new IllegalArgumentException("gpu:load: a background load is running (gpu:load stop first)");
            }
        }
        LoadRun r = startOrExplain(config);
        LoadSummary s = r.awaitEnd();
        synchronized (this) {
            last = s;
        }
        if (!s.clean()) {
            throw new IllegalStateException(s.line());
        }
        return s.line();
    }
}
