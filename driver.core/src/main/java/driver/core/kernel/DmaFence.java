package driver.core.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * DOC: DMA fences.
 *
 * A one-shot completion event, as {@code struct dma_fence}: it belongs to a timeline
 * ({@link #context()}) with an ordered {@link #seqno()}, is signaled exactly once, may carry an
 * error (a negative errno set before signaling, as {@code dma_fence_set_error()}: a job that
 * timed out signals its fence with {@code -ETIMEDOUT}), and records the virtual time at which
 * it signaled. Callbacks run once, on the signaling thread, after the state is published.
 *
 * Subclasses may derive their state from other fences ({@link DmaFenceChain}).
 */
public class DmaFence {

    private static final AtomicLong CONTEXTS = new AtomicLong(1);

    /** {@code dma_fence_context_alloc(1)}: a fresh timeline id. */
    public static long allocContext() {
        return CONTEXTS.getAndIncrement();
    }

    private final long context;
    private final long seqno;
    private final LongSupplier clock;
    private List<Consumer<DmaFence>> callbacks = new ArrayList<>(1);
    private volatile boolean signaled;
    private int error;
    private long timestamp;

    /**
     * @param clock virtual time in nanoseconds, read when the fence signals
     */
    public DmaFence(long context, long seqno, LongSupplier clock) {
        this.context = context;
        this.seqno = seqno;
        this.clock = clock;
    }

    /** An already signaled fence ({@code dma_fence_get_stub()} / {@code allocate_private_stub}). */
    public static DmaFence signaledStub(LongSupplier clock) {
        DmaFence f = new DmaFence(allocContext(), 0, clock);
        f.signal();
        return f;
    }

    public final long context() {
        return context;
    }

    public long seqno() {
        return seqno;
    }

    public boolean isSignaled() {
        return signaled;
    }

    /** The error the fence signaled with (negative errno), or 0. */
    public synchronized int error() {
        return error;
    }

    /** Virtual time at which the fence signaled; meaningless before. */
    public synchronized long timestampNanos() {
        return timestamp;
    }

    /**
     * Sets the error to report, as {@code dma_fence_set_error()}; only before signaling.
     *
     * @param negErrno a negative errno
     */
    public synchronized void setError(int negErrno) {
        if (negErrno >= 0) {
            throw new IllegalArgumentException("fence errors are negative errnos: " + negErrno);
        }
        if (signaled) {
            throw new IllegalStateException("error set on a signaled fence");
        }
        error = negErrno;
    }

    /** Signals the fence; false if it already was. Runs the callbacks. */
    public boolean signal() {
        List<Consumer<DmaFence>> toRun;
        synchronized (this) {
            if (signaled) {
                return false;
            }
            timestamp = clock.getAsLong();
            signaled = true;
            toRun = callbacks;
            callbacks = null;
        }
        for (Consumer<DmaFence> cb : toRun) {
            cb.accept(this);
        }
        return true;
    }

    /** {@code dma_fence_signal} after {@code dma_fence_set_error}. */
    public boolean signalWithError(int negErrno) {
        synchronized (this) {
            if (signaled) {
                return false;
            }
            setError(negErrno);
        }
        return signal();
    }

    /**
     * Adds a callback run once when the fence signals; false (callback not added, not run) if
     * it already has, as {@code dma_fence_add_callback()} returning {@code -ENOENT}.
     */
    public boolean addCallback(Consumer<DmaFence> callback) {
        synchronized (this) {
            if (!signaled) {
                callbacks.add(callback);
                return true;
            }
        }
        return false;
    }

    /** Removes a callback not yet run; false if it was not pending. */
    public synchronized boolean removeCallback(Consumer<DmaFence> callback) {
        return callbacks != null && callbacks.remove(callback);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[ctx " + context + " seq " + seqno
                + (isSignaled() ? " signaled" + (error() != 0 ? " err " + error() : "") : " pending") + "]";
    }
}
