package driver.core.internal.subsys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * gpu:prefer writes PID driver.core.subsystems and the slot follows only through the
 * configuration: the fake ConfigAdmin below delivers each update to the component's
 * {@code configure} (what SCR's {@code @Modified} does), never to the slots directly.
 */
class PreferCommandTest {

    private final DriverSlots slots = new DriverSlots(8, 8, FixedGpuClock.INSTANCE, Duration.ofSeconds(5));
    private final Hashtable<String, Object> stored = new Hashtable<>();
    private final AtomicInteger updates = new AtomicInteger();

    @AfterEach
    void tearDown() {
        slots.close();
    }

    private ConfigurationAdmin configAdmin() {
        Configuration config = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> stored.isEmpty() ? null : new Hashtable<>(stored);
                    case "getPid" -> SubsystemsConfig.PID;
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        stored.clear();
                        for (var keys = d.keys(); keys.hasMoreElements(); ) {
                            String k = keys.nextElement();
                            stored.put(k, d.get(k));
                        }
                        updates.incrementAndGet();
                        SubsystemSlotsComponent.configure(slots, config(stored));
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration") && SubsystemsConfig.PID.equals(args[0])) {
                        return config;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static SubsystemsConfig config(Hashtable<String, Object> p) {
        return new SubsystemsConfig() {
            public Class<? extends Annotation> annotationType() {
                return SubsystemsConfig.class;
            }

            public String mmu_impl() {
                return (String) p.getOrDefault("mmu.impl", "");
            }

            public String sched_impl() {
                return (String) p.getOrDefault("sched.impl", "");
            }

            public String devfreq_impl() {
                return (String) p.getOrDefault("devfreq.impl", "");
            }

            public String coredump_impl() {
                return (String) p.getOrDefault("coredump.impl", "");
            }

            public long grace_ms() {
                return 5000;
            }
        };
    }

    @Test
    void preferWritesTheConfigurationAndTheSlotFollows() throws Exception {
        stored.put("grace.ms", 5000L);
        PreferCommand cmd = new PreferCommand(configAdmin(), slots.manager());
        String out = cmd.prefer("mmu", "rewritten");
        assertTrue(out.contains("driver.core.subsystems: mmu.impl = rewritten (persisted)"), out);
        assertTrue(out.contains("mmu: wanted rewritten"), out);
        assertEquals("rewritten", stored.get("mmu.impl"));
        assertEquals(5000L, stored.get("grace.ms"), "other properties are kept");
        assertEquals("rewritten", slots.mmu().info().preferredImpl());

        cmd.prefer("sched", "cstyle");
        assertEquals("rewritten", stored.get("mmu.impl"));
        assertEquals("cstyle", slots.sched().info().preferredImpl());

        String cleared = cmd.prefer("mmu", "none");
        assertTrue(cleared.contains("mmu.impl removed"), cleared);
        assertFalse(stored.containsKey("mmu.impl"));
        assertEquals("", slots.mmu().info().preferredImpl());
        assertEquals("cstyle", slots.sched().info().preferredImpl());
    }

    @Test
    void badInputIsRefusedWithoutWriting() {
        PreferCommand cmd = new PreferCommand(configAdmin(), slots.manager());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> cmd.prefer("gpu", "x"));
        assertTrue(unknown.getMessage().contains("no subsystem 'gpu' (known: mmu, sched, devfreq, coredump)"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cmd.prefer("mmu", "two words"));
        assertThrows(IllegalArgumentException.class, () -> cmd.prefer("mmu", ""));
        assertEquals(0, updates.get());
    }
}
