package driver.mmu.rewritten;

import driver.core.kernel.DmaFence;
import driver.core.kernel.Syncobj;
import driver.core.subsys.UabiCall;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * DOC: The sync operations of one asynchronous VM_BIND ({@code struct panthor_submit_ctx}).
 *
 * Each job's sync array is copied when the job is added. Then, in Panthor's order: every
 * signal op is checked and its syncobj looked up (EINVAL if unknown), collecting the distinct
 * (handle, point) signals with the fence there now; every wait op is checked and resolved
 * (to an earlier job of the batch signalling that point, to the fence the syncobj holds, ENOENT
 * for an unknown syncobj, EINVAL for a point without fence), then the job is armed and becomes
 * the fence of its signal points. Only once the jobs are on the queue are the fences published
 * to the syncobjs. {@link #close} drops the syncobj references whatever happened.
 */
final class BindBatch implements AutoCloseable {

    private record Entry(BindJob job, List<DrmPanthorSyncOp> syncOps) {
    }

    private static final class Signal {
        final int handle;
        final long point;
        final Syncobj syncobj;
        DmaFence fence;

        Signal(int handle, long point, Syncobj syncobj, DmaFence fence) {
            this.handle = handle;
            this.point = point;
            this.syncobj = syncobj;
            this.fence = fence;
        }
    }

    private final UabiCall call;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Signal> signals = new ArrayList<>();

    BindBatch(UabiCall call) {
        this.call = call;
    }

    private static boolean isSignal(DrmPanthorSyncOp op) {
        return (op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL) != 0;
    }

    /** Adds a job with its sync array (copy errors: EFAULT, EINVAL, E2BIG). */
    void add(BindJob job, DrmPanthorObjArray syncs) {
        entries.add(new Entry(job, syncs.count() == 0 ? List.of() : call.copySyncOps(syncs)));
    }

    private Optional<Signal> signal(int handle, long point) {
        return signals.stream().filter(s -> s.handle == handle && s.point == point).findFirst();
    }

    /** Checks every signal op and looks its syncobj up. */
    void collectSignals() {
        for (Entry e : entries) {
            for (DrmPanthorSyncOp op : e.syncOps()) {
                if (!isSignal(op)) {
                    continue;
                }
                call.checkSyncOp(op);
                if (signal(op.handle(), op.timelineValue()).isEmpty()) {
                    Syncobj syncobj = call.file().lookupSyncobj(op.handle());
                    if (syncobj == null) {
                        throw new ErrnoException(Errno.EINVAL, "no syncobj " + op.handle());
                    }
                    signals.add(new Signal(op.handle(), op.timelineValue(), syncobj, fenceAt(syncobj,
                            op.timelineValue()).orElse(null)));
                }
            }
        }
    }

    private static Optional<DmaFence> fenceAt(Syncobj syncobj, long point) {
        try {
            return Optional.of(syncobj.findFence(point));
        } catch (Syncobj.NoFenceException e) {
            return Optional.empty();
        }
    }

    /** Resolves each job's waits, arms it ({@code arm}) and makes its fence its signal points'. */
    void resolveWaitsAndArm(Consumer<BindJob> arm) {
        for (Entry e : entries) {
            for (DrmPanthorSyncOp op : e.syncOps()) {
                if (isSignal(op)) {
                    continue;
                }
                call.checkSyncOp(op);
                e.job().waitFences.add(waitFence(op));
            }
            arm.accept(e.job());
            for (DrmPanthorSyncOp op : e.syncOps()) {
                if (isSignal(op)) {
                    signal(op.handle(), op.timelineValue()).orElseThrow().fence = e.job().doneFence;
                }
            }
        }
    }

    private DmaFence waitFence(DrmPanthorSyncOp op) {
        Optional<Signal> batch = signal(op.handle(), op.timelineValue());
        if (batch.isPresent()) {
            if (batch.get().fence == null) {
                throw new ErrnoException(Errno.EINVAL, "wait on a point nothing signals");
            }
            return batch.get().fence;
        }
        Syncobj syncobj = call.file().lookupSyncobj(op.handle());
        if (syncobj == null) {
            throw new ErrnoException(Errno.ENOENT, "no syncobj " + op.handle());
        }
        try {
            return fenceAt(syncobj, op.timelineValue())
                    .orElseThrow(() -> new ErrnoException(Errno.EINVAL, "no fence at the point"));
        } finally {
            syncobj.put();
        }
    }

    /** Publishes the jobs' fences: timeline points are added, binary syncobjs replaced. */
    void publish() {
        for (Signal s : signals) {
            if (s.point > 0) {
                s.syncobj.addPoint(s.fence, s.point);
            } else {
                s.syncobj.replaceFence(s.fence);
            }
        }
    }

    @Override
    public void close() {
        for (Signal s : signals) {
            s.syncobj.put();
        }
        signals.clear();
    }
}
