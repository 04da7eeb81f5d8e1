package driver.mmu.rewritten;

import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.MmuIrq;
import driver.core.subsys.mmu.MmuState;
import driver.mmu.rewritten.hw.AsRegisters;
import driver.mmu.rewritten.slot.SlotManager;
import driver.mmu.rewritten.vm.RegionLocker;
import driver.mmu.rewritten.vm.Vm;
import hw.model.regs.typed.AsCommand;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * DOC: The address-space table: which VM translates through which AS, and the hardware behind it.
 *
 * A {@link SlotManager} of VMs over the AS_PRESENT address spaces, AS0 reserved for the MCU.
 * A VM is activated when a group on it gets a CSG slot and idled when the last one loses it
 * ({@link #activate}/{@link #idle}, counted); an idle VM keeps its AS until another VM needs
 * one and it is the idle VM activated longest ago (Tyr's victim; Panthor evicts the VM idle
 * the longest). The faulty mask records address spaces disabled (and their faults masked on
 * the device's {@link MmuIrq}) after a page fault until their VM is activated again. An AS
 * whose fault has not reached {@link #pageFaults} yet does not change hands (not in Panthor:
 * the fault would be charged to the new VM).
 *
 * <p>One lock guards all of it, never visible to callers: every method takes it, and a
 * {@link #lockRegion} guard holds it until closed so the VM keeps its AS through a
 * page-table update. Hardware timeouts while disabling an AS (eviction, release, fault) are
 * counted in {@link #hardwareFailures()} and otherwise ignored, as Panthor ignores them (the
 * GPU is hung and the reset path takes over).
 */
final class AddressSpaces implements RegionLocker {

    /** MMU_INT page-fault bits (one per AS). */
    static final int PAGE_FAULT_MASK = 0xffff;

    private final ReentrantLock lock = new ReentrantLock();
    private final AsRegisters regs;
    private final MmuIrq irq;
    private final SlotManager<Vm> slots;
    private final Map<Vm, Integer> activeCounts = new IdentityHashMap<>();
    private final int vaBits;
    private final boolean coherent = false;
    private int faultyMask;
    private long hardwareFailures;

    AddressSpaces(AsRegisters regs, MmuIrq irq, int asPresent, int vaBits) {
        this.regs = regs;
        this.irq = irq;
        this.vaBits = vaBits;
        int count = 32 - Integer.numberOfLeadingZeros(asPresent);
        long reserved = 1L | (~(long) asPresent & ((1L << count) - 1));
        this.slots = new SlotManager<>(count, reserved);
    }

    private final class Held implements AutoCloseable {
        Held() {
            lock.lock();
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /**
     * Makes sure {@code vm} has an AS and is programmed ({@code panthor_vm_active()}).
     *
     * @throws MmuError NO_ADDRESS_SPACE when every AS is active, HARDWARE_TIMEOUT
     */
    void activate(Vm vm) {
        try (var held = new Held()) {
            int count = activeCounts.getOrDefault(vm, 0);
            if (count > 0) {
                activeCounts.put(vm, count + 1);
                return;
            }
            SlotManager.Activation<Vm> seat;
            try {
                seat = slots.activate(vm, irq.undeliveredFaults() & ~faultyMask);
            } catch (SlotManager.NoSlotException e) {
                throw new MmuError(MmuError.Kind.NO_ADDRESS_SPACE,
                        "every address space is active or has a page fault in flight");
            }
            int as = seat.slot();
            boolean program = seat.placement() != SlotManager.Placement.KEPT || isFaulty(as);
            seat.evicted().ifPresent(victim -> disableQuietly(as));
            if (program) {
                vm.setUnhandledFault(false);
                if (isFaulty(as)) {
                    faultyMask &= ~(1 << as);
                    regs.clearFault(as);
                    irq.enableFaults(1 << as);
                }
                try {
                    regs.enable(as, vm.pageTable().root(), AsRegisters.transcfg(vaBits, coherent),
                            Lpae.mairToMemattr(Lpae.MAIR, coherent));
                } catch (MmuError e) {
                    slots.release(vm);
                    throw e;
                }
            }
            activeCounts.put(vm, 1);
        }
    }

    /** The MCU VM on AS0, always active (AS0 is programmed by the firmware layer). */
    void pinMcu(Vm vm) {
        try (var held = new Held()) {
            slots.pin(0, vm);
            activeCounts.put(vm, 1);
        }
    }

    /** The VM's groups left their CSG slots: its AS may be evicted again ({@code panthor_vm_idle()}). */
    void idle(Vm vm) {
        try (var held = new Held()) {
            int count = activeCounts.getOrDefault(vm, 0);
            if (count == 0) {
                return;
            }
            activeCounts.put(vm, count - 1);
            if (count == 1) {
                slots.idle(vm);
            }
        }
    }

    /** The VM is going away: its AS is disabled and freed. */
    void release(Vm vm) {
        try (var held = new Held()) {
            OptionalInt as = slots.slotOf(vm);
            if (as.isPresent()) {
                disableQuietly(as.getAsInt());
                slots.release(vm);
            }
            activeCounts.remove(vm);
        }
    }

    OptionalInt slotOf(Vm vm) {
        try (var held = new Held()) {
            return slots.slotOf(vm);
        }
    }

    private boolean isFaulty(int as) {
        return (faultyMask & (1 << as)) != 0;
    }

    private void disableQuietly(int as) {
        try {
            regs.disable(as);
        } catch (MmuError e) {
            hardwareFailures++;
        }
    }

    long hardwareFailures() {
        try (var held = new Held()) {
            return hardwareFailures;
        }
    }

    /**
     * Page faults on the user address spaces in {@code status}: each joins the faulty mask and
     * is disabled, its VM is marked. Returns the VMs that faulted.
     */
    List<Vm> pageFaults(int status) {
        List<Vm> faulted = new ArrayList<>();
        int pending = status & PAGE_FAULT_MASK & ~1;
        while (pending != 0) {
            int as = Integer.numberOfTrailingZeros(pending);
            pending &= ~(1 << as);
            try (var held = new Held()) {
                faultyMask |= 1 << as;
                irq.disableFaults(1 << as);
                if (as < slots.count()) {
                    slots.occupant(as).ifPresent(vm -> {
                        vm.setUnhandledFault(true);
                        faulted.add(vm);
                    });
                }
                disableQuietly(as);
            }
        }
        return faulted;
    }

    int irqMask() {
        try (var held = new Held()) {
            return PAGE_FAULT_MASK & ~faultyMask;
        }
    }

    /** After a reset: every assignment and fault is forgotten (activation counts stay). */
    void forgetAll() {
        try (var held = new Held()) {
            slots.releaseAll();
            faultyMask = 0;
        }
    }

    /** Suspend: every user AS is disabled and forgotten. */
    void disableAll() {
        try (var held = new Held()) {
            for (SlotManager.SlotView<Vm> view : slots.snapshot()) {
                if (view.occupant().isPresent() && view.state() != SlotManager.SlotState.RESERVED) {
                    disableQuietly(view.slot());
                }
            }
            slots.releaseAll();
            faultyMask = 0;
        }
    }

    void clearFaults() {
        try (var held = new Held()) {
            faultyMask = 0;
        }
    }

    // ---------------------------------------------------------------- region locks

    @Override
    public RegionLock lockRegion(Vm vm, long va, long size) {
        lock.lock();
        try {
            OptionalInt as = slots.slotOf(vm);
            if (as.isEmpty() || size == 0) {
                return lock::unlock;
            }
            regs.lock(as.getAsInt(), va, size);
            int locked = as.getAsInt();
            return () -> {
                try {
                    regs.command(locked, AsCommand.Command.FLUSH_PT);
                } catch (MmuError e) {
                    hardwareFailures++;
                } finally {
                    lock.unlock();
                }
            };
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    // ---------------------------------------------------------------- state

    /**
     * The AS table as {@link MmuState} records it. Ordering state: an idle slot's
     * {@code lruOrder} is its VM's activation sequence number, {@code lruClock} the next one.
     */
    List<MmuState.AsSlotState> export() {
        try (var held = new Held()) {
            List<MmuState.AsSlotState> out = new ArrayList<>();
            for (SlotManager.SlotView<Vm> view : slots.snapshot()) {
                Optional<Vm> vm = view.occupant();
                int activeCount = vm.map(v -> activeCounts.getOrDefault(v, 0)).orElse(0);
                boolean idle = view.state() == SlotManager.SlotState.IDLE;
                out.add(new MmuState.AsSlotState(view.slot(), vm.map(Vm::key).orElse(-1L), activeCount,
                        isFaulty(view.slot()), idle ? view.activatedAt() : -1));
            }
            return out;
        }
    }

    long sequence() {
        try (var held = new Held()) {
            return slots.sequence();
        }
    }

    /**
     * Adopts an AS table: an idle VM's activation number is its {@code lruOrder} (the VM that
     * went idle first counts as activated first); an active VM counts as activated at
     * {@code lruClock}, after every idle one. Nothing is written to the hardware.
     */
    void restore(List<MmuState.AsSlotState> table, long lruClock, LongFunction<Vm> vms) {
        try (var held = new Held()) {
            List<SlotManager.SlotView<Vm>> views = new ArrayList<>();
            activeCounts.clear();
            faultyMask = 0;
            for (MmuState.AsSlotState s : table) {
                if (s.faulted()) {
                    faultyMask |= 1 << s.as();
                }
                Vm vm = s.vmKey() < 0 ? null : vms.apply(s.vmKey());
                if (vm == null) {
                    continue;
                }
                boolean active = s.activeCount() > 0;
                SlotManager.SlotState state = active || vm.forMcu() ? SlotManager.SlotState.ACTIVE
                        : SlotManager.SlotState.IDLE;
                views.add(new SlotManager.SlotView<>(s.as(), state, Optional.of(vm), active ? lruClock : s.lruOrder()));
                activeCounts.put(vm, s.activeCount());
            }
            slots.restore(views, lruClock);
        }
    }

    /** Forgets everything without touching the hardware (the state moved to another owner). */
    void forget() {
        try (var held = new Held()) {
            slots.clear();
            activeCounts.clear();
            faultyMask = 0;
        }
    }
}
