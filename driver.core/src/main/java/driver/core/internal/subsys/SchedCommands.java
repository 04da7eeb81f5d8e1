package driver.core.internal.subsys;

import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.sched.CsgSlotInfo;
import driver.core.subsys.sched.GroupInfo;
import driver.core.subsys.sched.QueueInfo;
import driver.core.subsys.sched.Sched;
import driver.core.subsys.sched.SchedState;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code sched:groups}, {@code sched:slots} and {@code sched:queues} shell commands: the
 * active scheduler's introspection ({@link Sched#groups()}, {@link Sched#csgSlots()},
 * {@link Sched#queues()}) through the sched slot, as tables. With no implementation owning the
 * slot they fail at once with one line ("no scheduler implementation active") rather than wait
 * the slot's grace period. Errors are {@link IllegalArgumentException}s the shell prints.
 */
@Component(service = SchedCommands.class, property = {
        "osgi.command.scope=sched",
        "osgi.command.function=groups",
        "osgi.command.function=slots",
        "osgi.command.function=queues"})
public final class SchedCommands {

    static final String NO_SCHED = "no scheduler implementation active";

    private static final String[] PRIORITIES = {"low", "medium", "high", "realtime"};

    private final DriverSubsystems subsystems;

    @Activate
    public SchedCommands(@Reference DriverSubsystems subsystems) {
        this.subsystems = subsystems;
    }

    @Descriptor("list the scheduling groups of every client: VM, priority, queues, state, CSG slot, "
            + "fatal queues, timeout flags and jobs in flight")
    public String groups() {
        return renderGroups(ask("sched:groups", Sched::groups));
    }

    @Descriptor("the CSG slot table: which group runs on each firmware slot, its slot priority, idle or not")
    public String slots() {
        return renderSlots(ask("sched:slots", Sched::csgSlots));
    }

    @Descriptor("list the queues of every group: ring buffer, insert/extract positions, jobs submitted, "
            + "completed and in flight, blocked on a sync wait")
    public String queues() {
        return renderQueues(ask("sched:queues", Sched::queues));
    }

    private <R> R ask(String command, Function<Sched, R> op) {
        SubsystemSlot<Sched, SchedState> slot = subsystems.sched();
        SlotStatus status = slot.info().status();
        if (status == SlotStatus.PARKED || status == SlotStatus.CLOSED) {
            throw new IllegalArgumentException(command + ": " + NO_SCHED);
        }
        try {
            return slot.call(op::apply);
        } catch (SubsystemUnavailableException e) {
            throw new IllegalArgumentException(command + ": " + NO_SCHED);
        }
    }

    // ---- formatting -------------------------------------------------------------------------

    static String renderGroups(List<GroupInfo> groups) {
        if (groups.isEmpty()) {
            return "no groups";
        }
        List<GroupInfo> sorted = groups.stream()
                .sorted(Comparator.comparingInt(GroupInfo::clientId).thenComparingInt(GroupInfo::handle)).toList();
        StringBuilder sb = new StringBuilder();
        String fmt = "%6s %6s %-8s %-8s %6s %-10s %4s %-10s %-8s %-8s %9s%n";
        sb.append(String.format(fmt, "CLIENT", "GROUP", "VM", "PRIORITY", "QUEUES", "STATE", "CSG", "FATAL-QS",
                "TIMEDOUT", "INNOCENT", "IN-FLIGHT"));
        int resident = 0;
        for (GroupInfo g : sorted) {
            if (g.csgSlot() >= 0) {
                resident++;
            }
            sb.append(String.format(fmt, g.clientId(), g.handle(), g.vm() == null ? "-" : g.vm().toString(),
                    priority(g.priority()), g.queueCount(), g.state(), g.csgSlot() < 0 ? "-" : g.csgSlot(),
                    g.fatalQueues() == 0 ? "-" : "0x" + Integer.toHexString(g.fatalQueues()),
                    g.timedOut() ? "yes" : "-", g.innocent() ? "yes" : "-", g.jobsInFlight()));
        }
        sb.append(sorted.size()).append(sorted.size() == 1 ? " group, " : " groups, ").append(resident)
                .append(" on CSG slots");
        return sb.toString();
    }

    static String renderSlots(List<CsgSlotInfo> slots) {
        if (slots.isEmpty()) {
            return "no CSG slots (firmware not booted)";
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%4s %6s %6s %8s %-4s%n";
        sb.append(String.format(fmt, "SLOT", "CLIENT", "GROUP", "CSG-PRIO", "IDLE"));
        int busy = 0;
        for (CsgSlotInfo s : slots) {
            if (s.groupHandle() == 0) {
                sb.append(String.format(fmt, s.slot(), "-", "free", "-", "-"));
                continue;
            }
            busy++;
            sb.append(String.format(fmt, s.slot(), s.clientId(), s.groupHandle(), s.priority(),
                    s.idle() ? "yes" : "no"));
        }
        sb.append(busy).append(" of ").append(slots.size()).append(" CSG slots in use");
        return sb.toString();
    }

    static String renderQueues(List<QueueInfo> queues) {
        if (queues.isEmpty()) {
            return "no queues";
        }
        List<QueueInfo> sorted = queues.stream()
                .sorted(Comparator.comparingInt(QueueInfo::clientId).thenComparingInt(QueueInfo::groupHandle)
                        .thenComparingInt(QueueInfo::index)).toList();
        StringBuilder sb = new StringBuilder();
        String fmt = "%6s %6s %5s %4s %-18s %8s %10s %10s %9s %9s %9s %-7s%n";
        sb.append(String.format(fmt, "CLIENT", "GROUP", "QUEUE", "PRIO", "RING-VA", "RING", "INSERT", "EXTRACT",
                "SUBMITTED", "COMPLETED", "IN-FLIGHT", "BLOCKED"));
        for (QueueInfo q : sorted) {
            sb.append(String.format(fmt, q.clientId(), q.groupHandle(), q.index(), q.priority(),
                    String.format("0x%016x", q.ringbufVa()), q.ringbufSize() / 1024 + " KiB", q.insert(),
                    q.extract(), q.submitted(), q.completed(), q.submitted() - q.completed(),
                    q.blocked() ? "yes" : "-"));
        }
        sb.append(sorted.size()).append(sorted.size() == 1 ? " queue" : " queues");
        return sb.toString();
    }

    private static String priority(int p) {
        return p >= 0 && p < PRIORITIES.length ? PRIORITIES[p] : Integer.toString(p);
    }
}
