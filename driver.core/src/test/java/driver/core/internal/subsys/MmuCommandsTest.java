package driver.core.internal.subsys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.slot.Provider;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.AsSlotInfo;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** mmu:vms, mmu:as and mmu:walk: the tables, argument parsing, and the one-line failures. */
class MmuCommandsTest {

    private final DriverSlots slots = new DriverSlots(8, 8, FixedGpuClock.INSTANCE, Duration.ofSeconds(30));

    @AfterEach
    void tearDown() {
        slots.close();
    }

    static final List<VmInfo> VMS = List.of(
            new VmInfo(new VmRef(1), 0, 0, 0, 0x4000000L, 1, 2 * 4096, 1, 0, 1, "usable"),
            new VmInfo(new VmRef(3), 12, 2, 1L << 47, 1L << 47, 5, 3L << 20, 9, 2, 3, "unusable"));
    static final List<AsSlotInfo> SLOTS = List.of(
            new AsSlotInfo(0, null, false, false, -1),
            new AsSlotInfo(1, new VmRef(3), true, false, -1),
            new AsSlotInfo(2, new VmRef(5), false, true, 4));
    static final long LEAF = Lpae.leaf(0x8020_0000L, Lpae.IOMMU_READ | Lpae.IOMMU_WRITE, 2);
    static final List<WalkLine> WALK = List.of(
            new WalkLine(0, 0x8000_0000L, 0, Lpae.table(0x8000_1000L), "table"),
            new WalkLine(1, 0x8000_1000L, 0, Lpae.table(0x8000_2000L), "table"),
            new WalkLine(2, 0x8000_2000L, 3, LEAF, "block 2M rw"));

    /** An MMU whose introspection answers the fixed lists above; walk knows only vm#3. */
    private static Mmu fakeMmu() {
        return FakeSubsystem.of(Mmu.class, "fake mmu", Map.of(
                "vms", args -> VMS,
                "addressSpaces", args -> SLOTS,
                "walk", args -> {
                    if (!new VmRef(3).equals(args[0])) {
                        throw new ErrnoException(Errno.EINVAL, "unknown VM");
                    }
                    return WALK;
                }));
    }

    @Test
    void withoutAnMmuEachCommandFailsAtOnceWithOneLine() {
        MmuCommands cmds = new MmuCommands(slots);
        long start = System.nanoTime();
        assertEquals("mmu:vms: no MMU implementation active",
                assertThrows(IllegalArgumentException.class, cmds::vms).getMessage());
        assertEquals("mmu:as: no MMU implementation active",
                assertThrows(IllegalArgumentException.class, cmds::as).getMessage());
        assertEquals("mmu:walk: no MMU implementation active",
                assertThrows(IllegalArgumentException.class, () -> cmds.walk("vm#3", "0x0")).getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "no grace period waited");
    }

    @Test
    void theCommandsAskTheActiveMmuThroughItsSlot() {
        slots.mmu().addProvider(new Provider<>("fake", 0, 1, "test", fakeMmu()));
        MmuCommands cmds = new MmuCommands(slots);
        assertEquals(MmuCommands.renderVms(VMS), cmds.vms());
        assertEquals(MmuCommands.renderAddressSpaces(SLOTS), cmds.as());
        assertEquals(MmuCommands.renderWalk(new VmRef(3), 0x60_5123L, WALK), cmds.walk("vm#3", "0x605123"));
        assertEquals(cmds.walk("vm#3", "6312227"), cmds.walk("3", "0x60_5123"), "decimal, hex, key with or without vm#");
        assertEquals("mmu:walk: no VM vm#9 (see mmu:vms)",
                assertThrows(IllegalArgumentException.class, () -> cmds.walk("vm#9", "0")).getMessage());
        assertEquals("mmu:walk: 'banana' is not a VM (use the VM column of mmu:vms, e.g. vm#3)",
                assertThrows(IllegalArgumentException.class, () -> cmds.walk("banana", "0")).getMessage());
        assertEquals("mmu:walk: '0xzz' is not an address (0x... or decimal)",
                assertThrows(IllegalArgumentException.class, () -> cmds.walk("3", "0xzz")).getMessage());
    }

    @Test
    void vmsTableIsAlignedAndDecoded() {
        String[] lines = MmuCommands.renderVms(VMS).split("\n");
        assertEquals(4, lines.length);
        assertEquals("VM       CLIENT   ID STATE     AS REFS   MAPS       MAPPED PT-PAGES        USER-VA-END"
                + "    KERNEL-VA-START", lines[0]);
        assertEquals("vm#1     kernel    - usable     0    1      1        8 KiB        1                0x0"
                + "          0x4000000", lines[1]);
        assertEquals("vm#3         12    2 unusable   2    3      5        3 MiB        9     0x800000000000"
                + "     0x800000000000", lines[2]);
        for (int i = 1; i < 3; i++) {
            assertEquals(lines[0].length(), lines[i].length(), "aligned: " + lines[i]);
        }
        assertEquals("2 VMs, 3080 KiB mapped", lines[3]);
        assertEquals("no VMs", MmuCommands.renderVms(List.of()));
    }

    @Test
    void asTableShowsTheFirmwaresAs0AndFreeActiveIdleAndFaultedSlots() {
        String[] lines = MmuCommands.renderAddressSpaces(SLOTS).split("\n");
        assertEquals(" AS VM       USE     FAULTED  LRU", lines[0]);
        assertEquals("  0 (mcu)    mcu     -          -", lines[1]);
        assertEquals("  1 vm#3     active  -          -", lines[2]);
        assertEquals("  2 vm#5     idle    yes        4", lines[3]);
        assertEquals("3 of 3 address spaces bound", lines[4]);
        String[] withFree = MmuCommands.renderAddressSpaces(List.of(new AsSlotInfo(0, null, false, false, -1),
                new AsSlotInfo(1, null, false, false, -1))).split("\n");
        assertEquals("  1 -        free    -          -", withFree[2]);
        assertEquals("1 of 2 address spaces bound", withFree[3]);
        assertEquals("no address spaces", MmuCommands.renderAddressSpaces(List.of()));
    }

    @Test
    void walkShowsEachLevelAndTheTranslation() {
        String[] lines = MmuCommands.renderWalk(new VmRef(3), 0x60_5123L, WALK).split("\n");
        assertEquals("vm#3 va 0x605123", lines[0]);
        assertEquals("LEVEL              TABLE INDEX              ENTRY  MEANING", lines[1]);
        assertTrue(lines[2].startsWith("   L0         0x80000000     0         0x80001003  table"), lines[2]);
        assertTrue(lines[4].startsWith("   L2         0x80002000     3 "), lines[4]);
        assertTrue(lines[4].endsWith("  block 2M rw"), lines[4]);
        assertEquals("0x605123 -> pa 0x80205123", lines[5]);
        List<WalkLine> hole = List.of(new WalkLine(0, 0x8000_0000L, 0, 0, "invalid"));
        assertTrue(MmuCommands.renderWalk(new VmRef(3), 0, hole).endsWith("not mapped"));
    }
}
