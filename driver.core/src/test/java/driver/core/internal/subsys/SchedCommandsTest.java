package driver.core.internal.subsys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.slot.Provider;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.sched.CsgSlotInfo;
import driver.core.subsys.sched.GroupInfo;
import driver.core.subsys.sched.QueueInfo;
import driver.core.subsys.sched.Sched;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** sched:groups, sched:slots and sched:queues: the tables, and the one-line failure without a scheduler. */
class SchedCommandsTest {

    private final DriverSlots slots = new DriverSlots(8, 8, FixedGpuClock.INSTANCE, Duration.ofSeconds(30));

    @AfterEach
    void tearDown() {
        slots.close();
    }

    static final List<GroupInfo> GROUPS = List.of(
            new GroupInfo(12, 2, new VmRef(7), 3, 2, "terminated", -1, 0x2, true, true, 0),
            new GroupInfo(3, 1, new VmRef(4), 1, 1, "active", 0, 0, false, false, 17));
    static final List<CsgSlotInfo> SLOTS = List.of(
            new CsgSlotInfo(0, 3, 1, 15, false),
            new CsgSlotInfo(1, 0, 0, 0, false),
            new CsgSlotInfo(2, 12, 5, 14, true));
    static final List<QueueInfo> QUEUES = List.of(
            new QueueInfo(3, 1, 1, 15, 0xffff_8000_0001_0000L, 65536, 4096, 4032, 40, 39, true),
            new QueueInfo(3, 1, 0, 0, 0xffff_8000_0000_0000L, 4096, 128, 128, 2, 2, false));

    /** A scheduler whose introspection answers the fixed lists above. */
    private static Sched fakeSched() {
        return FakeSubsystem.of(Sched.class, "fake sched", Map.of(
                "groups", args -> GROUPS,
                "csgSlots", args -> SLOTS,
                "queues", args -> QUEUES));
    }

    @Test
    void withoutASchedulerEachCommandFailsAtOnceWithOneLine() {
        SchedCommands cmds = new SchedCommands(slots);
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cmds::groups);
        assertEquals("sched:groups: no scheduler implementation active", e.getMessage());
        assertEquals("sched:slots: no scheduler implementation active",
                assertThrows(IllegalArgumentException.class, cmds::slots).getMessage());
        assertEquals("sched:queues: no scheduler implementation active",
                assertThrows(IllegalArgumentException.class, cmds::queues).getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "no grace period waited");
    }

    @Test
    void theCommandsAskTheActiveSchedulerThroughItsSlot() {
        slots.sched().addProvider(new Provider<>("fake", 0, 1, "test", fakeSched()));
        SchedCommands cmds = new SchedCommands(slots);
        assertEquals(SchedCommands.renderGroups(GROUPS), cmds.groups());
        assertEquals(SchedCommands.renderSlots(SLOTS), cmds.slots());
        assertEquals(SchedCommands.renderQueues(QUEUES), cmds.queues());
    }

    @Test
    void groupsTableIsSortedAlignedAndDecoded() {
        String[] lines = SchedCommands.renderGroups(GROUPS).split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("CLIENT  GROUP VM       PRIORITY QUEUES STATE"), lines[0]);
        assertEquals("     3      1 vm#4     medium        1 active        0 -          -        -               17",
                lines[1]);
        assertEquals("    12      2 vm#7     realtime      2 terminated    - 0x2        yes      yes              0",
                lines[2]);
        assertEquals("2 groups, 1 on CSG slots", lines[3]);
        for (int i = 1; i < 3; i++) {
            assertEquals(lines[0].length(), lines[i].length(), "aligned: " + lines[i]);
        }
        assertEquals("no groups", SchedCommands.renderGroups(List.of()));
    }

    @Test
    void slotsTableShowsFreeSlots() {
        String[] lines = SchedCommands.renderSlots(SLOTS).split("\n");
        assertEquals("SLOT CLIENT  GROUP CSG-PRIO IDLE", lines[0]);
        assertEquals("   0      3      1       15 no  ", lines[1]);
        assertEquals("   1      -   free        - -   ", lines[2]);
        assertEquals("   2     12      5       14 yes ", lines[3]);
        assertEquals("2 of 3 CSG slots in use", lines[4]);
        assertEquals("no CSG slots (firmware not booted)", SchedCommands.renderSlots(List.of()));
    }

    @Test
    void queuesTableShowsRingPositionsAndJobsInFlight() {
        String[] lines = SchedCommands.renderQueues(QUEUES).split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("CLIENT  GROUP QUEUE PRIO RING-VA"), lines[0]);
        assertTrue(lines[1].contains(" 0xffff800000000000 "), lines[1]);
        assertTrue(lines[1].contains("   4 KiB"), lines[1]);
        assertTrue(lines[2].contains("  64 KiB"), lines[2]);
        assertTrue(lines[2].endsWith("        40        39         1 yes    "), lines[2]);
        assertTrue(lines[1].endsWith("         2         2         0 -      "), lines[1]);
        assertEquals(lines[0].length(), lines[1].length());
        assertEquals("2 queues", lines[3]);
        assertEquals("no queues", SchedCommands.renderQueues(List.of()));
    }
}
