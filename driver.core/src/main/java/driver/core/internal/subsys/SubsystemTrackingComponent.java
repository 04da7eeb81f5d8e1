package driver.core.internal.subsys;

import driver.core.slot.SubsystemSlots;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: Following the implementations, once the slots are published.
 *
 * Implementations take {@link driver.core.subsys.DriverSubsystems} as a static reference (the
 * scheduler calls the MMU through it from its constructor on). If the slots component opened
 * its trackers while it was itself being activated, the first implementation the tracker gets
 * would ask SCR for the slots component in the middle of that activation: a circular reference
 * SCR refuses. This component starts tracking only after the slots are active and registered,
 * so an implementation's activation always finds them. The trackers close with the slots.
 */
@Component(immediate = true)
public final class SubsystemTrackingComponent {

    @Activate
    public SubsystemTrackingComponent(BundleContext context, @Reference SubsystemSlots slots) {
        if (!(slots instanceof SubsystemSlotsComponent own)) {
            throw new IllegalStateException("tracking needs this bundle's slots component");
        }
        own.driverSlots().manager().track(context);
    }
}
