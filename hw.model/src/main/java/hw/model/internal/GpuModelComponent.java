package hw.model.internal;

import hw.model.api.Mmio;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Publishes one simulated Mali-G610 as OSGi services: the hardware interfaces of
 * {@code hw.model.api}, each a view of the same private {@link GpuModel}.
 */
@Component(immediate = true, service = {})
public final class GpuModelComponent {

    private GpuModel model;
    private ServiceRegistration<Mmio> mmioReg;

    @Activate
    void activate(BundleContext context) {
        model = new GpuModel();
        mmioReg = context.registerService(Mmio.class, model.mmio(), null);
    }

    @Deactivate
    void deactivate() {
        mmioReg.unregister();
        model.shutdown();
        model = null;
    }
}
