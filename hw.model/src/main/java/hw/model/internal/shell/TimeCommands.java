package hw.model.internal.shell;

import hw.model.api.GpuClock;
import hw.model.api.Interrupts;
import hw.model.api.IrqLine;
import hw.model.api.VirtualTime;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: hw:time.
 *
 * Shows and moves the model's virtual time: {@code hw:time} prints the time, mode, pending
 * events, clock and load counters and per-line IRQ counts; {@code hw:time advance 5ms} moves
 * time (running every event due on the way, IRQ handlers included); {@code hw:time run [max]}
 * runs events until none is pending (at most {@code max}, default 10 s of virtual time);
 * {@code hw:time mode deterministic|realtime} switches the mode of the running model.
 */
@Component(service = TimeCommands.class, property = {
        "osgi.command.scope=hw",
        "osgi.command.function=time"})
public final class TimeCommands {

    static final long DEFAULT_RUN_LIMIT_NANOS = 10_000_000_000L;

    private final VirtualTime time;
    private final Interrupts irqs;
    private final GpuClock clock;

    @Activate
    public TimeCommands(@Reference VirtualTime time, @Reference Interrupts irqs, @Reference GpuClock clock) {
        this.time = time;
        this.irqs = irqs;
        this.clock = clock;
    }

    @Descriptor("show virtual time: now, mode, pending events, GPU clock and load, IRQ counts")
    public String time() {
        StringBuilder sb = new StringBuilder();
        long now = time.nowNanos();
        row(sb, "now", Durations.format(now) + " (" + now + " ns)");
        row(sb, "mode", time.mode().name().toLowerCase(Locale.ROOT));
        row(sb, "pending", time.pendingEvents() + " events");
        row(sb, "gpu clock", clock.frequencyHz() / 1_000_000 + " MHz");
        long busy = clock.busyNanos();
        long idle = clock.idleNanos();
        long total = busy + idle;
        row(sb, "load", "busy " + Durations.format(busy) + ", idle " + Durations.format(idle)
                + (total > 0 ? String.format(Locale.ROOT, " (%.1f%% busy)", 100.0 * busy / total) : ""));
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-5s %10s  %-8s %s%n", "IRQ", "DELIVERED", "ASSERTED", "STATE"));
        for (IrqLine line : IrqLine.values()) {
            sb.append(String.format(Locale.ROOT, "%-5s %10d  %-8s %s%n", line.name().toLowerCase(Locale.ROOT),
                    irqs.count(line), irqs.asserted(line) ? "yes" : "no",
                    irqs.disabled(line) ? "disabled (storm)" : "enabled"));
        }
        sb.setLength(sb.length() - System.lineSeparator().length());
        return sb.toString();
    }

    @Descriptor("run pending events until none is left (at most 10 s of virtual time)")
    public String time(@Descriptor("run") String action) {
        if (!"run".equalsIgnoreCase(action)) {
            throw usage(action);
        }
        return run(DEFAULT_RUN_LIMIT_NANOS);
    }

    @Descriptor("move or configure virtual time: advance <duration> | run <max duration> | mode <deterministic|realtime>")
    public String time(
            @Descriptor("advance, run or mode") String action,
            @Descriptor("a duration such as 250ns, 10us, 5ms, 1s (advance, run), or a mode (mode)") String argument) {
        switch (action.toLowerCase(Locale.ROOT)) {
            case "advance": {
                long nanos = Durations.parseNanos(argument);
                long before = time.nowNanos();
                time.advance(nanos);
                return "advanced " + Durations.format(time.nowNanos() - before) + "; now "
                        + Durations.format(time.nowNanos()) + ", " + time.pendingEvents() + " events pending";
            }
            case "run":
                return run(Durations.parseNanos(argument));
            case "mode": {
                VirtualTime.Mode mode = parseMode(argument);
                time.setMode(mode);
                return "time mode " + mode.name().toLowerCase(Locale.ROOT);
            }
            default:
                throw usage(action);
        }
    }

    private String run(long limit) {
        long passed = time.runUntilIdle(limit);
        return "ran " + Durations.format(passed) + " of events; now " + Durations.format(time.nowNanos()) + ", "
                + time.pendingEvents() + " events pending";
    }

    static VirtualTime.Mode parseMode(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "deterministic":
                return VirtualTime.Mode.DETERMINISTIC;
            case "realtime":
            case "real-time":
                return VirtualTime.Mode.REALTIME;
            default:
                throw new IllegalArgumentException("unknown time mode '" + text + "': use deterministic or realtime");
        }
    }

    private static IllegalArgumentException usage(String action) {
        return new IllegalArgumentException("unknown hw:time action '" + action
                + "': use hw:time, hw:time advance <duration>, hw:time run [max], hw:time mode <deterministic|realtime>");
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-10s %s%n", key, value));
    }
}
