package driver.mmu.rewritten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.mmu.rewritten.slot.SlotManager;
import driver.mmu.rewritten.slot.SlotManager.Placement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlotManagerTest {

    @Test
    void freeSlotFirstThenOldestActivatedIdleThenBusy() throws Exception {
        SlotManager<String> slots = new SlotManager<>(4, 1);
        assertEquals(SlotManager.SlotState.RESERVED, slots.state(0));
        assertEquals(1, slots.activate("a").slot());
        assertEquals(2, slots.activate("b").slot());
        assertEquals(3, slots.activate("c").slot());
        assertThrows(SlotManager.NoSlotException.class, () -> slots.activate("d"));
        slots.idle("c");
        slots.idle("a");
        SlotManager.Activation<String> d = slots.activate("d");
        assertEquals(Placement.EVICTED, d.placement());
        assertEquals(Optional.of("a"), d.evicted(), "a was activated before c");
        assertEquals(1, d.slot());
        SlotManager.Activation<String> again = slots.activate("c");
        assertEquals(Placement.KEPT, again.placement());
        assertEquals(3, again.slot());
        assertTrue(slots.slotOf("a").isEmpty());
    }

    @Test
    void reactivationRenewsTheActivationOrder() throws Exception {
        SlotManager<String> slots = new SlotManager<>(3, 1);
        slots.activate("a");
        slots.activate("b");
        slots.idle("a");
        slots.activate("a");
        slots.idle("b");
        slots.idle("a");
        assertEquals(Optional.of("b"), slots.activate("c").evicted(), "a's re-activation is newer than b's");
    }

    @Test
    void busySlotsAreNeitherTakenFreeNorEvicted() throws Exception {
        SlotManager<String> slots = new SlotManager<>(4, 1);
        slots.activate("a");
        slots.activate("b");
        slots.idle("a");
        slots.idle("b");
        long busy = 1L << 1 | 1L << 3;
        SlotManager.Activation<String> c = slots.activate("c", busy);
        assertEquals(Optional.of("b"), c.evicted(), "free slot 3 and a's slot 1 are busy: b, idle for less time, goes");
        assertEquals(2, c.slot());
        assertThrows(SlotManager.NoSlotException.class, () -> slots.activate("d", busy));
        assertEquals(Placement.KEPT, slots.activate("a", busy).placement(), "an occupant keeps its own busy slot");
    }

    @Test
    void releaseAllKeepsReservedSlots() throws Exception {
        SlotManager<String> slots = new SlotManager<>(3, 1);
        slots.activate("a");
        slots.releaseAll();
        assertEquals(SlotManager.SlotState.RESERVED, slots.state(0));
        assertEquals(SlotManager.SlotState.FREE, slots.state(1));
    }
}
