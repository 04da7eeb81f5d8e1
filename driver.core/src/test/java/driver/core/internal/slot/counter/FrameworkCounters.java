package driver.core.internal.slot.counter;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.osgi.framework.ServiceRegistration;

/**
 * Shared between the test and the counter bundles it installs in an embedded framework: the
 * system bundle exports this package, so bundles and test see the same class.
 */
public final class FrameworkCounters {

    public static final Ownership OWNERSHIP = new Ownership();

    /** Every counter a bundle created, in order. */
    public static final Queue<TestCounter> CREATED = new ConcurrentLinkedQueue<>();

    /** The current registration of each implementation, by name. */
    public static final Map<String, ServiceRegistration<Counter>> REGISTRATIONS = new ConcurrentHashMap<>();

    private FrameworkCounters() {
    }
}
