package driver.core.internal.slot;

import driver.core.slot.Subsystem;
import driver.core.slot.SubsystemProperties;
import driver.core.slot.SubsystemState;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * DOC: Following implementations in the service registry.
 *
 * Tracks the services registered under a slot's contract with {@code subsystem=<name>} and
 * feeds them to the slot. The framework delivers REGISTERED and UNREGISTERING events
 * synchronously, on the thread that registers or unregisters (bundle start, stop, update,
 * uninstall), and {@link #removedService} runs before the service is gone: the departing
 * implementation is still usable while the slot drains its calls and exports its state. Only
 * after the hand-over does the tracker unget the service.
 *
 * <p>The {@code impl} property names the implementation (the object's {@code impl()} if the
 * property is missing); {@code service.ranking} and {@code service.id} order them.
 */
public final class SubsystemTracker<T extends Subsystem<S>, S extends SubsystemState>
        extends ServiceTracker<T, Provider<T>> {

    private final GatedSubsystemSlot<T, S> slot;

    public SubsystemTracker(BundleContext context, GatedSubsystemSlot<T, S> slot) {
        super(context, filter(context, slot), null);
        this.slot = slot;
    }

    private static Filter filter(BundleContext context, GatedSubsystemSlot<?, ?> slot) {
        String f = "(&(" + Constants.OBJECTCLASS + "=" + slot.contract().getName() + ")("
                + SubsystemProperties.SUBSYSTEM + "=" + slot.subsystem() + "))";
        try {
            return context.createFilter(f);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad subsystem name " + slot.subsystem(), e);
        }
    }

    @Override
    public Provider<T> addingService(ServiceReference<T> reference) {
        T service = context.getService(reference);
        if (service == null) {
            return null;
        }
        Provider<T> p = provider(reference, service);
        try {
            slot.addProvider(p);
        } catch (RuntimeException e) {
            context.ungetService(reference);
            throw e;
        }
        return p;
    }

    @Override
    public void modifiedService(ServiceReference<T> reference, Provider<T> tracked) {
        slot.updateProvider(provider(reference, tracked.service()));
    }

    @Override
    public void removedService(ServiceReference<T> reference, Provider<T> tracked) {
        try {
            slot.removeProvider(tracked.serviceId(), reason(reference, tracked));
        } finally {
            context.ungetService(reference);
        }
    }

    static <T extends Subsystem<?>> Provider<T> provider(ServiceReference<T> reference, T service) {
        Object impl = reference.getProperty(SubsystemProperties.IMPL);
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        Object id = reference.getProperty(Constants.SERVICE_ID);
        return new Provider<>(impl instanceof String s ? s : service.impl(),
                ranking instanceof Integer r ? r : 0,
                id instanceof Long l ? l : -1L,
                origin(reference.getBundle()),
                service);
    }

    private static String origin(Bundle b) {
        return b == null ? "(unregistered)"
                : b.getSymbolicName() + " " + b.getVersion() + " [bundle " + b.getBundleId() + "]";
    }

    private static String reason(ServiceReference<?> reference, Provider<?> tracked) {
        Bundle b = reference.getBundle();
        if (b != null && b.getState() == Bundle.STOPPING) {
            return "bundle " + b.getSymbolicName() + " " + b.getVersion() + " stopping";
        }
        return "service " + tracked.serviceId() + " (" + tracked.impl() + ") unregistered";
    }
}
