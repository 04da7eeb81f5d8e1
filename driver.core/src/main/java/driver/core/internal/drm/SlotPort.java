package driver.core.internal.drm;

import driver.core.slot.Subsystem;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.sched.Sched;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * DOC: A UABI port through a subsystem slot.
 *
 * Every operation runs inside {@code slot.call(...)}: it waits while a swap is in progress,
 * up to the slot's grace period while no implementation is present, and then fails with
 * {@code ENODEV} ({@link SubsystemUnavailableException} mapped at the UABI edge, as Linux
 * returns for a device whose driver is gone). The internal ioctl interfaces
 * ({@link VmIoctls}, {@link GroupIoctls}, {@link TilerHeapIoctls}) are adapted to the exported
 * contracts ({@link Mmu}, {@link Sched}) per call; the adapters hold nothing but the
 * implementation the slot pinned for this call.
 */
public final class SlotPort<C extends Subsystem<?>, T> implements SubsystemPort<T> {

    private final SubsystemSlot<C, ?> slot;
    private final Function<C, T> view;
    private final BooleanSupplier present;

    public SlotPort(SubsystemSlot<C, ?> slot, Function<C, T> view, BooleanSupplier present) {
        this.slot = slot;
        this.view = view;
        this.present = present;
    }

    /** The VM ioctls through the mmu slot. */
    public static SlotPort<Mmu, VmIoctls> vm(SubsystemSlot<Mmu, ?> slot, BooleanSupplier present) {
        return new SlotPort<>(slot, MmuVmIoctls::new, present);
    }

    /** The group ioctls through the sched slot. */
    public static SlotPort<Sched, GroupIoctls> groups(SubsystemSlot<Sched, ?> slot, BooleanSupplier present) {
        return new SlotPort<>(slot, SchedGroupIoctls::new, present);
    }

    /** The tiler-heap ioctls through the sched slot. */
    public static SlotPort<Sched, TilerHeapIoctls> heaps(SubsystemSlot<Sched, ?> slot, BooleanSupplier present) {
        return new SlotPort<>(slot, SchedHeapIoctls::new, present);
    }

    @Override
    public <R> R call(Function<? super T, ? extends R> op) {
        try {
            return slot.call(impl -> op.apply(view.apply(impl)));
        } catch (SubsystemUnavailableException e) {
            throw new ErrnoException(Errno.ENODEV, e.getMessage());
        }
    }

    @Override
    public boolean runIfPresent(Consumer<? super T> op) {
        if (!present.getAsBoolean()) {
            return false;
        }
        try {
            slot.run(impl -> op.accept(view.apply(impl)));
            return true;
        } catch (SubsystemUnavailableException e) {
            return false;
        }
    }

    private record MmuVmIoctls(Mmu mmu) implements VmIoctls {
        @Override
        public Object lookupVm(DrmFile file, int vmId) {
            return mmu.lookupVm(UabiViews.file(file), vmId);
        }

        @Override
        public DrmPanthorVmCreate vmCreate(DrmCall call, DrmPanthorVmCreate args) {
            return mmu.vmCreate(UabiViews.call(call), args);
        }

        @Override
        public void vmDestroy(DrmCall call, int id) {
            mmu.vmDestroy(UabiViews.call(call), id);
        }

        @Override
        public void vmBind(DrmCall call, DrmPanthorVmBind args, List<DrmPanthorVmBindOp> ops) {
            mmu.vmBind(UabiViews.call(call), args, ops);
        }

        @Override
        public int vmGetState(DrmCall call, int vmId) {
            return mmu.vmGetState(UabiViews.call(call), vmId);
        }

        @Override
        public void fileClosed(DrmFile file) {
            mmu.fileClosed(UabiViews.file(file));
        }
    }

    private record SchedGroupIoctls(Sched sched) implements GroupIoctls {
        @Override
        public int groupCreate(DrmCall call, DrmPanthorGroupCreate args, List<DrmPanthorQueueCreate> queues) {
            return sched.groupCreate(UabiViews.call(call), args, queues);
        }

        @Override
        public void groupDestroy(DrmCall call, int groupHandle) {
            sched.groupDestroy(UabiViews.call(call), groupHandle);
        }

        @Override
        public void groupSubmit(DrmCall call, int groupHandle, List<DrmPanthorQueueSubmit> submits) {
            sched.groupSubmit(UabiViews.call(call), groupHandle, submits);
        }

        @Override
        public DrmPanthorGroupGetState groupGetState(DrmCall call, DrmPanthorGroupGetState args) {
            return sched.groupGetState(UabiViews.call(call), args);
        }

        @Override
        public void fileClosed(DrmFile file) {
            sched.fileClosed(UabiViews.file(file));
        }
    }

    private record SchedHeapIoctls(Sched sched) implements TilerHeapIoctls {
        @Override
        public DrmPanthorTilerHeapCreate heapCreate(DrmCall call, Object vm, DrmPanthorTilerHeapCreate args) {
            return sched.heapCreate(UabiViews.call(call), vmRef(vm), args);
        }

        @Override
        public void heapDestroy(DrmCall call, Object vm, int handle) {
            sched.heapDestroy(UabiViews.call(call), vmRef(vm), handle);
        }

        private static VmRef vmRef(Object vm) {
            if (vm instanceof VmRef r) {
                return r;
            }
            throw new ErrnoException(Errno.EINVAL, "not an MMU VM: " + vm);
        }
    }
}
