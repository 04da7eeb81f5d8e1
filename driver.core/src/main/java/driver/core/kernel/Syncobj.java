package driver.core.kernel;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * DOC: Sync objects.
 *
 * A container for a fence pointer, as {@code struct drm_syncobj}: empty (null), a fence
 * (binary use: {@link #replaceFence}), or the newest point of a timeline
 * ({@link #addPoint}, a {@link DmaFenceChain}). Handles in DRM files and syncobj fds each own
 * a reference; the object lives while any does.
 *
 * {@link #findFence} resolves a point to the fence to wait on; it fails with
 * {@link NoFenceException} when nothing has been submitted for that point yet (the caller
 * decides between {@code -EINVAL} and waiting, as {@code WAIT_FOR_SUBMIT} does). Listeners are
 * told whenever the content changes, which is what lets a waiter blocked for a submit wake up.
 */
public final class Syncobj {

    /** No fence is attached for the requested point (yet). */
    public static final class NoFenceException extends Exception {
        private static final long serialVersionUID = 1L;

        NoFenceException(String message) {
            super(message, null, false, false);
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger(1);

    private final int id = IDS.getAndIncrement();
    private final LongSupplier clock;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile DmaFence fence;

    /** A syncobj with one reference owned by the caller; signaled if {@code signaled}. */
    public Syncobj(boolean signaled, LongSupplier clock) {
        this.clock = clock;
        if (signaled) {
            fence = DmaFence.signaledStub(clock);
        }
    }

    /** Debug id, unique in this JVM. */
    public int id() {
        return id;
    }

    public LongSupplier clock() {
        return clock;
    }

    public Syncobj get() {
        if (refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("syncobj " + id + " used after free");
        }
        return this;
    }

    /** Drops a reference; the last one drops the fence. */
    public void put() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            fence = null;
            listeners.clear();
        } else if (left < 0) {
            throw new IllegalStateException("syncobj " + id + " over-released");
        }
    }

    public int refCount() {
        return refs.get();
    }

    /** The current fence (binary) or newest timeline node, possibly null. */
    public DmaFence fence() {
        return fence;
    }

    /** {@code drm_syncobj_replace_fence()}: null resets. */
    public void replaceFence(DmaFence newFence) {
        DmaFence old;
        synchronized (this) {
            old = fence;
            fence = newFence;
        }
        if (old != newFence) {
            notifyListeners();
        }
    }

    /** {@code drm_syncobj_add_point()}: appends {@code pointFence} as timeline point {@code point}. */
    public void addPoint(DmaFence pointFence, long point) {
        DmaFence prev;
        synchronized (this) {
            prev = fence;
            fence = DmaFenceChain.link(prev, pointFence, point, clock);
        }
        notifyListeners();
        if (prev != null) {
            DmaFenceChain.collectGarbage(prev);
        }
    }

    /** {@code drm_syncobj_assign_null_handle()}: an already signaled fence. */
    public void signalNow() {
        replaceFence(DmaFence.signaledStub(clock));
    }

    /**
     * The fence to wait on for {@code point} (0 = the current fence): never null on success
     * (a fully collected point yields a signaled stub, as {@code dma_fence_get_stub()}).
     */
    public DmaFence findFence(long point) throws NoFenceException {
        DmaFence f = fence;
        if (f == null) {
            throw new NoFenceException("no fence");
        }
        DmaFence found;
        try {
            found = DmaFenceChain.find(f, point);
        } catch (IllegalArgumentException e) {
            throw new NoFenceException(e.getMessage());
        }
        return found != null ? found : DmaFence.signaledStub(clock);
    }

    /** Whether a fence is attached for {@code point} (WAIT_AVAILABLE / WAIT_FOR_SUBMIT progress). */
    public boolean hasFenceFor(long point) {
        try {
            findFence(point);
            return true;
        } catch (NoFenceException e) {
            return false;
        }
    }

    /** {@code DRM_IOCTL_SYNCOBJ_QUERY}: last signaled point, or the newest submitted one. */
    public long queryPoint(boolean lastSubmitted) {
        DmaFence f = fence;
        if (!(f instanceof DmaFenceChain)) {
            return 0;
        }
        return lastSubmitted ? f.seqno() : DmaFenceChain.lastSignaledPoint(f);
    }

    /** Runs {@code listener} after every change of the content. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void notifyListeners() {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    @Override
    public String toString() {
        return "syncobj#" + id + "[" + fence + "]";
    }
}
