package driver.core.internal.subsys;

import driver.core.slot.SlotInfo;
import driver.core.slot.SubsystemSlots;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: {@code gpu:prefer}, the ConfigAdmin trigger from the shell.
 *
 * Writes the wanted implementation of a subsystem into the configuration of PID
 * {@value SubsystemsConfig#PID} (property {@code <subsystem>.impl}; {@code none} removes it).
 * ConfigAdmin persists it (the launcher keeps its files in the state directory, so the wish
 * survives restarts) and delivers it to {@link SubsystemSlotsComponent}'s {@code @Modified},
 * which calls {@code setPreferred} on the slot: the same path as any other configuration
 * change. The command does not touch the slots itself; it waits (at most
 * {@link #DELIVERY_TIMEOUT_MS} ms of wall time, the delivery is asynchronous) until the slot
 * shows the new wish, so a following {@code gpu:subsystems} sees it.
 */
@Component(service = PreferCommand.class, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=prefer"})
public final class PreferCommand {

    static final long DELIVERY_TIMEOUT_MS = 5000;
    static final String NONE = "none";

    private final ConfigurationAdmin configAdmin;
    private final SubsystemSlots slots;

    @Activate
    public PreferCommand(@Reference ConfigurationAdmin configAdmin, @Reference SubsystemSlots slots) {
        this.configAdmin = configAdmin;
        this.slots = slots;
    }

    @Descriptor("persist the wanted implementation of a subsystem in ConfigAdmin (PID driver.core.subsystems); "
            + "the slot follows through the configuration; 'none' clears the wish (best available)")
    public String prefer(@Descriptor("subsystem: mmu, sched, devfreq or coredump") String subsystem,
                         @Descriptor("implementation name (e.g. cstyle, rewritten) or none") String impl)
            throws IOException {
        List<String> known = slots.slots().stream().map(SlotInfo::subsystem).toList();
        String name = subsystem == null ? "" : subsystem.strip().toLowerCase(Locale.ROOT);
        if (!known.contains(name)) {
            throw new IllegalArgumentException("gpu:prefer: no subsystem '" + subsystem + "' (known: "
                    + String.join(", ", known) + ")");
        }
        String want = impl == null ? "" : impl.strip();
        if (want.isEmpty() || !want.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("gpu:prefer: '" + impl + "' is not an implementation name "
                    + "(letters, digits, '.', '_', '-'; or none)");
        }
        boolean clear = want.equalsIgnoreCase(NONE);
        String key = name + ".impl";
        Configuration c = configAdmin.getConfiguration(SubsystemsConfig.PID, "?");
        Dictionary<String, Object> props = copy(c.getProperties());
        if (clear) {
            props.remove(key);
        } else {
            props.put(key, want);
        }
        c.update(props);
        String expected = clear ? "" : want;
        boolean applied = awaitWish(name, expected);
        String wish = clear ? "(best available)" : want;
        StringBuilder sb = new StringBuilder();
        sb.append(SubsystemsConfig.PID).append(": ").append(key).append(clear ? " removed" : " = " + want)
                .append(" (persisted)").append(System.lineSeparator());
        if (applied) {
            SlotInfo s = slots.slot(name).orElseThrow().info();
            sb.append(name).append(": wanted ").append(wish).append(", active ").append(s.activeImpl())
                    .append(" [").append(s.status()).append(']');
        } else {
            sb.append(name).append(": the slot has not applied the configuration yet (it will when ConfigAdmin "
                    + "delivers it)");
        }
        return sb.toString();
    }

    private boolean awaitWish(String subsystem, String expected) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MS);
        while (true) {
            Optional<String> current = slots.slot(subsystem).map(s -> s.info().preferredImpl());
            if (current.isPresent() && current.get().equals(expected)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> in) {
        Hashtable<String, Object> out = new Hashtable<>();
        if (in != null) {
            for (Enumeration<String> keys = in.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                out.put(k, in.get(k));
            }
        }
        return out;
    }
}
