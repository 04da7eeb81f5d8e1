package driver.core.internal.subsys;

import driver.core.api.DrmClientInfo;
import driver.core.api.DrmDevice;
import driver.core.slot.ProviderInfo;
import driver.core.slot.SlotInfo;
import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemSlots;
import driver.core.slot.SwapOutcome;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code gpu:subsystems}, {@code gpu:swap}, {@code gpu:swaps} and {@code gpu:clients}
 * shell commands. Errors are {@link IllegalArgumentException}s with a message the shell prints.
 */
@Component(service = SubsystemCommands.class, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=subsystems",
        "osgi.command.function=swap",
        "osgi.command.function=swaps",
        "osgi.command.function=clients"})
public final class SubsystemCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final SubsystemSlots slots;
    private final DrmDevice drm;

    @Activate
    public SubsystemCommands(@Reference SubsystemSlots slots, @Reference DrmDevice drm) {
        this.slots = slots;
        this.drm = drm;
    }

    @Descriptor("list the subsystem slots: active implementation and its bundle, available implementations, "
            + "state, swaps and the last pause")
    public String subsystems() {
        return renderSlots(slots.slots());
    }

    @Descriptor("swap a subsystem to another implementation through the slot protocol and print the swap record")
    public String swap(@Descriptor("subsystem: mmu, sched, devfreq or coredump") String subsystem,
                       @Descriptor("implementation name, e.g. cstyle or rewritten") String impl) {
        List<String> known = slots.slots().stream().map(SlotInfo::subsystem).toList();
        if (!known.contains(subsystem)) {
            throw new IllegalArgumentException("gpu:swap: no subsystem '" + subsystem + "' (known: "
                    + String.join(", ", known) + ")");
        }
        if (impl == null || impl.isBlank()) {
            throw new IllegalArgumentException("gpu:swap: name an implementation");
        }
        SwapRecord r = slots.swap(subsystem, impl.trim(), SwapTrigger.EXPLICIT, "gpu:swap");
        if (r.outcome() == SwapOutcome.REFUSED) {
            throw new IllegalArgumentException("gpu:swap: refused: " + r.cause());
        }
        if (r.outcome() == SwapOutcome.ROLLED_BACK) {
            throw new IllegalArgumentException("gpu:swap: rolled back: " + r.describe());
        }
        return r.describe();
    }

    @Descriptor("the swap history of every slot, oldest first, with pause and drain times")
    public String swaps() {
        return renderHistory(slots.history());
    }

    @Descriptor("the open DRM files and their objects (like fdinfo)")
    public String clients() {
        return renderClients(drm.clients());
    }

    // ---- formatting -------------------------------------------------------------------------

    static String renderSlots(List<SlotInfo> infos) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-9s %-8s %-10s %-9s %-10s %-9s %6s %9s %10s %8s%n", "SUBSYSTEM", "STATUS", "ACTIVE",
                "KIND", "WANTED", "STATE", "SWAPS", "ROLLBACKS", "LAST-PAUSE", "GRACE"));
        for (SlotInfo s : infos) {
            sb.append(String.format("%-9s %-8s %-10s %-9s %-10s %-9s %6d %9d %10s %8s%n", s.subsystem(), s.status(),
                    s.activeImpl(), s.mandatory() ? "mandatory" : "optional",
                    s.preferredImpl().isEmpty() ? "(best)" : s.preferredImpl(), state(s), s.swapCount(),
                    s.rollbackCount(), s.lastPauseNanos() < 0 ? "-" : micros(s.lastPauseNanos()),
                    s.graceNanos() / 1_000_000 + " ms"));
            if (!s.activeOrigin().isEmpty()) {
                sb.append("    bundle:    ").append(s.activeOrigin()).append(System.lineSeparator());
            }
            sb.append("    available: ");
            if (s.available().isEmpty()) {
                sb.append(s.mandatory() ? "none (calls wait the grace period, then ENODEV)"
                        : "none (calls run on the fallback)");
            } else {
                sb.append(s.available().stream().map(SubsystemCommands::provider).collect(Collectors.joining(", ")));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString().stripTrailing();
    }

    private static String state(SlotInfo s) {
        if (s.status() == SlotStatus.PARKED) {
            return s.parkedStateVersion() < 0 ? "initial" : "parked v" + s.parkedStateVersion();
        }
        if (s.status() == SlotStatus.CLOSED) {
            return "-";
        }
        return "owned";
    }

    private static String provider(ProviderInfo p) {
        return p.impl() + " (ranking " + p.ranking() + ", service " + p.serviceId() + ", " + p.origin() + ")"
                + (p.active() ? " *" : "");
    }

    static String renderHistory(List<SwapRecord> records) {
        if (records.isEmpty()) {
            return "no swaps yet";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%5s %-12s %-9s %-22s %-13s %-11s %10s %10s  %s%n", "#", "TIME(UTC)", "SUBSYSTEM",
                "FROM -> TO", "TRIGGER", "OUTCOME", "PAUSE", "DRAIN", "REASON / CAUSE"));
        for (SwapRecord r : records) {
            String why = r.reason() + (r.cause().isEmpty() ? "" : ": " + r.cause());
            sb.append(String.format("%5d %-12s %-9s %-22s %-13s %-11s %10s %10s  %s%n", r.sequence(),
                    TIME.format(Instant.ofEpochMilli(r.wallClockMillis())), r.subsystem(),
                    r.fromImpl() + " -> " + r.toImpl(), r.trigger(), r.outcome(), micros(r.pauseNanos()),
                    micros(r.drainNanos()), why));
        }
        return sb.toString().stripTrailing();
    }

    static String renderClients(List<DrmClientInfo> clients) {
        if (clients.isEmpty()) {
            return "no open DRM files";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%6s %-7s %6s %-16s %-6s %5s %12s %8s %4s %6s%n", "CLIENT", "NODE", "PID", "COMM",
                "MASTER", "BOS", "RESIDENT", "SYNCOBJS", "VMS", "GROUPS"));
        for (DrmClientInfo c : clients) {
            sb.append(String.format("%6d %-7s %6d %-16s %-6s %5d %12s %8d %4d %6d%n", c.clientId(), c.node(), c.pid(),
                    c.comm(), c.master() ? "yes" : "no", c.gemHandles(), kib(c.residentBytes()), c.syncobjs(),
                    c.vms(), c.groups()));
        }
        return sb.toString().stripTrailing();
    }

    private static String micros(long nanos) {
        return nanos / 1000 + " us";
    }

    private static String kib(long bytes) {
        return bytes / 1024 + " KiB";
    }
}
