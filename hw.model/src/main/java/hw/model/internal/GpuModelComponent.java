package hw.model.internal;

import hw.model.api.EventLog;
import hw.model.api.FaultInjection;
import hw.model.api.GpuClock;
import hw.model.api.Interrupts;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * DOC: The GPU as OSGi services.
 *
 * Publishes one simulated Mali-G610 as the services of {@code hw.model.api}, each a view of
 * the same private {@link GpuModel}: Mmio, PhysicalMemory, Interrupts, VirtualTime, GpuClock,
 * FaultInjection and EventLog. They are registered programmatically so that all of them share
 * one model; bnd.bnd declares the matching capabilities for the resolver.
 *
 * Configuration PID {@value #PID} (Metatype described): {@code time.mode} = REALTIME (default,
 * for the interactive shell: a pacer moves virtual time with wall time) or DETERMINISTIC (time
 * moves only when a caller advances it; for tests). Any configuration change rebuilds the
 * model, so a test that sets DETERMINISTIC through ConfigAdmin gets a fresh GPU at time 0 and
 * every consumer rebinds to it. {@code hw:time mode ...} switches a running model instead.
 */
@Component(immediate = true, service = {}, configurationPid = GpuModelComponent.PID)
@Designate(ocd = GpuModelComponent.Config.class)
public final class GpuModelComponent {

    public static final String PID = "hw.model";

    private static final Logger LOG = Logger.getLogger(GpuModelComponent.class.getName());

    @ObjectClassDefinition(name = "Mali-G610 GPU model",
            description = "The simulated GPU behind the hw.model services.")
    public @interface Config {
        @AttributeDefinition(name = "Time mode",
                description = "REALTIME: virtual time follows wall time (interactive use). "
                        + "DETERMINISTIC: time moves only when advanced; identical inputs give identical "
                        + "event traces (tests). Changing it rebuilds the model.",
                options = {
                    @Option(label = "Real time", value = "REALTIME"),
                    @Option(label = "Deterministic", value = "DETERMINISTIC")})
        String time_mode() default "REALTIME";
    }

    private GpuModel model;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context, Config config) {
        model = new GpuModel();
        model.clock().setMode(parseMode(config.time_mode()));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("hw.model.gpu", "mali-g610");
        register(context, Mmio.class, model.mmio(), props);
        register(context, PhysicalMemory.class, model.memory(), props);
        register(context, Interrupts.class, model.irq(), props);
        register(context, VirtualTime.class, model.clock(), props);
        register(context, GpuClock.class, model.gpuClock(), props);
        register(context, FaultInjection.class, new FaultInjector(model), props);
        register(context, EventLog.class, eventLog(model.trace()), props);
    }

    @Deactivate
    void deactivate() {
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).unregister();
        }
        registrations.clear();
        model.shutdown();
        model = null;
    }

    static VirtualTime.Mode parseMode(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (VirtualTime.Mode m : VirtualTime.Mode.values()) {
            if (m.name().equals(v)) {
                return m;
            }
        }
        LOG.warning("hw.model: unknown time.mode '" + value + "', using REALTIME");
        return VirtualTime.Mode.REALTIME;
    }

    private <S> void register(BundleContext context, Class<S> type, S service, Dictionary<String, Object> props) {
        registrations.add(context.registerService(type, service, props));
    }

    static EventLog eventLog(EventTrace trace) {
        return new EventLog() {
            @Override
            public long hash() {
                return trace.hash();
            }

            @Override
            public long count() {
                return trace.count();
            }

            @Override
            public List<String> recent(int n) {
                return trace.recent(n);
            }
        };
    }
}
