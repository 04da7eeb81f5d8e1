package driver.core.subsys.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import driver.core.kernel.DmaFence;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBindOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The written-out equals and hashCode of {@link MmuState} and its parts mean what the
 * generated record ones meant: equal exactly when every component is equal (the slot's
 * verification of a swap relies on it).
 */
class MmuStateEqualityTest {

    private static final DmaFence FENCE = new DmaFence(7, 1, () -> 0L);
    private static final DrmPanthorVmBindOp OP = new DrmPanthorVmBindOp(0, 1, 0, 0x1000, 0x1000,
            DrmPanthorObjArray.EMPTY);

    private static MmuState.MappingState mapping() {
        return new MmuState.MappingState(0x1000, 0x2000, null, 0, 4, false);
    }

    private static MmuState.QueuedBind queued() {
        return new MmuState.QueuedBind(3, List.of(OP), List.of(FENCE), FENCE, List.of());
    }

    private static MmuState.VmState vm() {
        return new MmuState.VmState(1, false, 2, 3, 1L << 32, 1L << 40, 1L << 30, 0x5000, List.of(0x5000L, 0x6000L),
                List.of(mapping()), 1, false, false, List.of(queued()));
    }

    private static MmuState state() {
        return new MmuState(MmuState.VERSION, 2, List.of(vm()),
                List.of(new MmuState.AsSlotState(0, 1, 1, false, -1), new MmuState.AsSlotState(1, -1, 0, false, -1)),
                5);
    }

    private static <T> void differsIn(T base, List<UnaryOperator<T>> changes) {
        for (int i = 0; i < changes.size(); i++) {
            T changed = changes.get(i).apply(base);
            assertNotEquals(base, changed, "component " + i);
            assertNotEquals(changed, base, "component " + i + " (reversed)");
        }
    }

    @Test
    void equalContentIsEqualWithTheSameHash() {
        assertEquals(state(), state());
        assertEquals(state().hashCode(), state().hashCode());
        assertEquals(vm().hashCode(), vm().hashCode());
        assertEquals(mapping().hashCode(), mapping().hashCode());
        assertEquals(queued().hashCode(), queued().hashCode());
        MmuState s = state();
        assertEquals(s, s);
        assertNotEquals(s, null);
        assertNotEquals(s, "state");
    }

    @Test
    void everyComponentOfTheStateCounts() {
        differsIn(state(), List.of(
                s -> new MmuState(s.version() + 1, s.nextVmKey(), s.vms(), s.addressSpaces(), s.lruClock()),
                s -> new MmuState(s.version(), s.nextVmKey() + 1, s.vms(), s.addressSpaces(), s.lruClock()),
                s -> new MmuState(s.version(), s.nextVmKey(), List.of(), s.addressSpaces(), s.lruClock()),
                s -> new MmuState(s.version(), s.nextVmKey(), s.vms(), s.addressSpaces().subList(0, 1), s.lruClock()),
                s -> new MmuState(s.version(), s.nextVmKey(), s.vms(), s.addressSpaces(), s.lruClock() + 1)));
    }

    @Test
    void everyComponentOfAVmCounts() {
        differsIn(vm(), List.of(
                v -> new MmuState.VmState(v.key() + 1, v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), !v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId() + 1, v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle() + 1, v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange() + 1,
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart() + 1, v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize() + 1, v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd() + 0x1000, v.pageTablePages(), v.mappings(),
                        v.refs(), v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), List.of(0x5000L), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), List.of(), v.refs(),
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs() + 1,
                        v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        !v.unusable(), v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), !v.unhandledFault(), v.queuedBinds()),
                v -> new MmuState.VmState(v.key(), v.forMcu(), v.clientId(), v.handle(), v.userVaRange(),
                        v.kernelVaStart(), v.kernelVaSize(), v.pgd(), v.pageTablePages(), v.mappings(), v.refs(),
                        v.unusable(), v.unhandledFault(), List.of())));
    }

    @Test
    void everyComponentOfAMappingAQueuedBindAndAnAddressSpaceCounts() {
        differsIn(mapping(), List.of(
                m -> new MmuState.MappingState(m.va() + 1, m.size(), m.bo(), m.boOffset(), m.flags(), m.kernel()),
                m -> new MmuState.MappingState(m.va(), m.size() + 1, m.bo(), m.boOffset(), m.flags(), m.kernel()),
                m -> new MmuState.MappingState(m.va(), m.size(), m.bo(), m.boOffset() + 1, m.flags(), m.kernel()),
                m -> new MmuState.MappingState(m.va(), m.size(), m.bo(), m.boOffset(), m.flags() + 1, m.kernel()),
                m -> new MmuState.MappingState(m.va(), m.size(), m.bo(), m.boOffset(), m.flags(), !m.kernel())));
        DmaFence other = new DmaFence(8, 1, () -> 0L);
        differsIn(queued(), List.of(
                q -> new MmuState.QueuedBind(q.seqno() + 1, q.ops(), q.waitFences(), q.doneFence(), q.bos()),
                q -> new MmuState.QueuedBind(q.seqno(), List.of(), q.waitFences(), q.doneFence(), q.bos()),
                q -> new MmuState.QueuedBind(q.seqno(), q.ops(), List.of(), q.doneFence(), q.bos()),
                q -> new MmuState.QueuedBind(q.seqno(), q.ops(), q.waitFences(), other, q.bos())));
        MmuState.AsSlotState as = new MmuState.AsSlotState(1, 2, 1, false, 3);
        differsIn(as, List.of(
                a -> new MmuState.AsSlotState(a.as() + 1, a.vmKey(), a.activeCount(), a.faulted(), a.lruOrder()),
                a -> new MmuState.AsSlotState(a.as(), a.vmKey() + 1, a.activeCount(), a.faulted(), a.lruOrder()),
                a -> new MmuState.AsSlotState(a.as(), a.vmKey(), a.activeCount() + 1, a.faulted(), a.lruOrder()),
                a -> new MmuState.AsSlotState(a.as(), a.vmKey(), a.activeCount(), !a.faulted(), a.lruOrder()),
                a -> new MmuState.AsSlotState(a.as(), a.vmKey(), a.activeCount(), a.faulted(), a.lruOrder() + 1)));
        List<MmuState.MappingState> copy = new ArrayList<>(List.of(mapping()));
        assertEquals(vm(), new MmuState.VmState(1, false, 2, 3, 1L << 32, 1L << 40, 1L << 30, 0x5000,
                new ArrayList<>(List.of(0x5000L, 0x6000L)), copy, 1, false, false, List.of(queued())),
                "lists compare by content");
    }
}
