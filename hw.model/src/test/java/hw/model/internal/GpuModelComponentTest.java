package hw.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.EventLog;
import hw.model.api.FaultInjection;
import hw.model.api.GpuClock;
import hw.model.api.Interrupts;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class GpuModelComponentTest {

    private final Map<Class<?>, Object> registered = new LinkedHashMap<>();
    private final List<Class<?>> unregistered = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService") || !(args[0] instanceof Class<?> type)) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    registered.put(type, args[1]);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (p, m, a) -> {
                                if (m.getName().equals("unregister")) {
                                    unregistered.add(type);
                                    return null;
                                }
                                throw new UnsupportedOperationException(m.getName());
                            });
                });
    }

    private static GpuModelComponent.Config config(String mode) {
        return (GpuModelComponent.Config) Proxy.newProxyInstance(GpuModelComponentTest.class.getClassLoader(),
                new Class<?>[] {GpuModelComponent.Config.class}, (p, m, a) -> {
                    if (m.getName().equals("time_mode")) {
                        return mode;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void registersEveryHardwareServiceOverOneModelAndUnregistersThem() {
        GpuModelComponent component = new GpuModelComponent();
        component.activate(context(), config("deterministic"));
        try {
            assertEquals(List.of(Mmio.class, PhysicalMemory.class, Interrupts.class, VirtualTime.class, GpuClock.class,
                    FaultInjection.class, EventLog.class), List.copyOf(registered.keySet()));
            Mmio mmio = (Mmio) registered.get(Mmio.class);
            VirtualTime time = (VirtualTime) registered.get(VirtualTime.class);
            EventLog log = (EventLog) registered.get(EventLog.class);
            assertEquals(VirtualTime.Mode.DETERMINISTIC, time.mode());
            assertEquals(0xa867_0005, mmio.read32(0));

            long before = log.count();
            mmio.write32(0x30, 0x104);
            time.advance(1_000_000);
            assertTrue(log.count() > before, "the EventLog does not see the model's trace");
            assertTrue(log.recent(10).stream().anyMatch(s -> s.contains("gpu-flush-done")), log.recent(10).toString());
            assertEquals(1, mmio.read32(0x10000), "the services do not share one model");
            ((FaultInjection) registered.get(FaultInjection.class)).stallCacheFlush(true);
            assertEquals(List.of("gpu: cache flushes stalled"), ((FaultInjection) registered.get(FaultInjection.class)).armed());
            assertSame(time, registered.get(VirtualTime.class));
        } finally {
            component.deactivate();
        }
        assertEquals(7, unregistered.size());
        assertEquals(EventLog.class, unregistered.get(0), "unregistered in reverse order");
    }

    @Test
    void timeModeDefaultsToRealtime() {
        assertEquals(VirtualTime.Mode.REALTIME, GpuModelComponent.parseMode("REALTIME"));
        assertEquals(VirtualTime.Mode.REALTIME, GpuModelComponent.parseMode("sideways"));
        assertEquals(VirtualTime.Mode.REALTIME, GpuModelComponent.parseMode(null));
        assertEquals(VirtualTime.Mode.DETERMINISTIC, GpuModelComponent.parseMode(" Deterministic "));
    }
}
