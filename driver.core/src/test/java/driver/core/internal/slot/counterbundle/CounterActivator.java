package driver.core.internal.slot.counterbundle;

import driver.core.internal.slot.counter.Counter;
import driver.core.internal.slot.counter.FrameworkCounters;
import driver.core.internal.slot.counter.TestCounter;
import driver.core.slot.SubsystemProperties;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * The activator of the throw-away counter bundles: registers a counter named by the bundle's
 * {@code Counter-Impl} header with the ranking in {@code Counter-Ranking}. On stop it
 * unregisters the service and then retires the object, as a DS component is unregistered
 * before it is deactivated: the slot must have handed over while the service was unregistering.
 */
public final class CounterActivator implements BundleActivator {

    private ServiceRegistration<Counter> registration;
    private TestCounter counter;

    @Override
    public void start(BundleContext context) {
        String impl = context.getBundle().getHeaders().get("Counter-Impl");
        int ranking = Integer.parseInt(context.getBundle().getHeaders().get("Counter-Ranking"));
        counter = new TestCounter(impl, FrameworkCounters.OWNERSHIP);
        FrameworkCounters.CREATED.add(counter);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SubsystemProperties.SUBSYSTEM, "counter");
        props.put(SubsystemProperties.IMPL, impl);
        props.put(Constants.SERVICE_RANKING, ranking);
        registration = context.registerService(Counter.class, counter, props);
        FrameworkCounters.REGISTRATIONS.put(impl, registration);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        counter.retire();
    }
}
