package driver.core.internal.subsys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.slot.Provider;
import driver.core.slot.SlotStatus;
import driver.core.slot.SwapRecord;
import driver.core.slot.SwapTrigger;
import driver.core.subsys.devfreq.Devfreq;
import driver.core.subsys.devfreq.DevfreqState;
import hw.model.api.GpuClock;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ConfigAdmin path of the slots component: a changed configuration calls setPreferred and sets the grace. */
class SubsystemsConfigTest {

    private static final GpuClock CLOCK = FixedGpuClock.INSTANCE;

    private final DriverSlots slots = new DriverSlots(8, 8, CLOCK, Duration.ofSeconds(5));

    @AfterEach
    void tearDown() {
        slots.close();
    }

    static SubsystemsConfig config(String devfreq, long graceMs) {
        return new SubsystemsConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SubsystemsConfig.class;
            }

            @Override
            public String mmu_impl() {
                return "";
            }

            @Override
            public String sched_impl() {
                return "";
            }

            @Override
            public String devfreq_impl() {
                return devfreq;
            }

            @Override
            public String coredump_impl() {
                return "";
            }

            @Override
            public long grace_ms() {
                return graceMs;
            }
        };
    }

    /** A devfreq that only carries its state (the contract's other calls are not used here). */
    private static final class TestDevfreq extends FixedOpp {
        private final String name;
        private DevfreqState state;

        TestDevfreq(String name) {
            super(CLOCK);
            this.name = name;
        }

        @Override
        public String impl() {
            return name;
        }

        @Override
        public DevfreqState exportState() {
            return state;
        }

        @Override
        public void importState(DevfreqState s) {
            state = s;
        }

        @Override
        public void releaseState() {
            state = null;
        }
    }

    @Test
    void aModifiedConfigurationSwapsToTheWantedImplementationAndSetsTheGrace() {
        Devfreq simple = new TestDevfreq("simple");
        Devfreq ondemand = new TestDevfreq("ondemand");
        slots.devfreq().addProvider(new Provider<>("simple", 10, 1, "test", simple));
        slots.devfreq().addProvider(new Provider<>("ondemand", 0, 2, "test", ondemand));
        assertEquals("simple", slots.devfreq().info().activeImpl());

        List<SwapRecord> r = SubsystemSlotsComponent.configure(slots, config("ondemand", 250));
        assertEquals(1, r.size());
        assertEquals(SwapTrigger.PREFERENCE, r.get(0).trigger());
        assertEquals(SubsystemSlotsComponent.CONFIG_REASON, r.get(0).reason());
        assertEquals("ondemand", slots.devfreq().info().activeImpl());
        assertEquals("ondemand", slots.devfreq().preferred().orElseThrow());
        assertEquals(250_000_000L, slots.mmu().info().graceNanos());
        assertEquals(250_000_000L, slots.sched().info().graceNanos());
        assertEquals(0, slots.devfreq().info().graceNanos(), "optional slots keep falling back at once");

        assertTrue(SubsystemSlotsComponent.configure(slots, config("ondemand", 250)).isEmpty(), "nothing changed");
        SubsystemSlotsComponent.configure(slots, config("", 250));
        assertTrue(slots.devfreq().preferred().isEmpty());
        assertEquals(SlotStatus.ACTIVE, slots.devfreq().status());
    }

    @Test
    void aWantedImplementationThatIsNotThereYetIsTakenWhenItArrives() {
        SubsystemSlotsComponent.configure(slots, config("ondemand", 5000));
        slots.devfreq().addProvider(new Provider<>("simple", 10, 1, "test", new TestDevfreq("simple")));
        slots.devfreq().addProvider(new Provider<>("ondemand", 0, 2, "test", new TestDevfreq("ondemand")));
        assertEquals("ondemand", slots.devfreq().info().activeImpl());
    }

    @Test
    void shellTablesListEverySlot() {
        String table = SubsystemCommands.renderSlots(slots.manager().slots());
        for (String s : List.of("mmu", "sched", "devfreq", "coredump")) {
            assertTrue(table.contains(s), table);
        }
        assertTrue(table.contains("ENODEV"), table);
        assertEquals("no swaps yet", SubsystemCommands.renderHistory(List.of()));
    }
}
