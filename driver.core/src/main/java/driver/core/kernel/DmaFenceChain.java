package driver.core.kernel;

import java.util.function.LongSupplier;

/**
 * DOC: Fence chains (timeline points).
 *
 * One point of a timeline syncobj, as {@code struct dma_fence_chain}: it wraps the fence of
 * that point and links to the previous point, and signals once both its own fence and every
 * earlier point have signaled, so waiting on point N waits for all points up to N.
 *
 * A point appended in order ({@code seqno} greater than the previous point's) shares the
 * previous node's context and remembers its seqno as {@link #prevSeqno()}; an out-of-order
 * point starts a new context with {@code seqno = max(prev, seqno)}, exactly as
 * {@code dma_fence_chain_init()} does. The error of a node is its own fence's error, or else
 * the earliest error of the previous points.
 *
 * {@link #find} is {@code dma_fence_chain_find_seqno()}; {@link #collectGarbage} drops links
 * to fully signaled history, so a long-lived timeline does not grow without bound.
 */
public final class DmaFenceChain extends DmaFence {

    private volatile DmaFence prev;
    private final DmaFence fence;
    private final long prevSeqno;

    private DmaFenceChain(long context, long seqno, long prevSeqno, DmaFence prev, DmaFence fence, LongSupplier clock) {
        super(context, seqno, clock);
        this.prev = prev;
        this.fence = fence;
        this.prevSeqno = prevSeqno;
    }

    /** {@code dma_fence_chain_init(chain, prev, fence, seqno)}. */
    public static DmaFenceChain link(DmaFence prev, DmaFence fence, long seqno, LongSupplier clock) {
        long context;
        long prevSeqno = 0;
        long effectiveSeqno = seqno;
        if (prev instanceof DmaFenceChain && Long.compareUnsigned(seqno, prev.seqno()) > 0) {
            context = prev.context();
            prevSeqno = prev.seqno();
        } else {
            context = allocContext();
            if (prev instanceof DmaFenceChain) {
                effectiveSeqno = Long.compareUnsigned(prev.seqno(), seqno) > 0 ? prev.seqno() : seqno;
            }
        }
        DmaFenceChain chain = new DmaFenceChain(context, effectiveSeqno, prevSeqno, prev, fence, clock);
        chain.arm();
        return chain;
    }

    private void arm() {
        DmaFence p = prev;
        if (p != null) {
            p.addCallback(f -> propagate());
        }
        fence.addCallback(f -> propagate());
        propagate();
    }

    private void propagate() {
        DmaFence p = prev;
        if (!fence.isSignaled() || (p != null && !p.isSignaled())) {
            return;
        }
        int err = fence.error();
        if (err == 0 && p != null) {
            err = p.error();
        }
        if (err != 0) {
            signalWithError(err);
        } else {
            signal();
        }
    }

    /** The fence of this point. */
    public DmaFence fence() {
        return fence;
    }

    /** The previous point, or null at the start of the timeline or after garbage collection. */
    public DmaFence prev() {
        return prev;
    }

    public long prevSeqno() {
        return prevSeqno;
    }

    /**
     * {@code dma_fence_chain_find_seqno(&fence, point)}: the fence to wait on for timeline
     * {@code point} of the timeline whose newest node is {@code head}.
     *
     * @return the fence (possibly {@code head} itself), or null if the point is already known
     *         to be signaled (its history was collected)
     * @throws IllegalArgumentException as {@code -EINVAL}: {@code point} is beyond the newest
     *         point, or {@code head} is not a chain and {@code point != 0}
     */
    public static DmaFence find(DmaFence head, long point) {
        if (point == 0) {
            return head;
        }
        if (!(head instanceof DmaFenceChain) || Long.compareUnsigned(head.seqno(), point) < 0) {
            throw new IllegalArgumentException("point " + Long.toUnsignedString(point) + " not submitted");
        }
        DmaFence node = head;
        while (node instanceof DmaFenceChain) {
            DmaFenceChain c = (DmaFenceChain) node;
            if (c.context() != head.context() || Long.compareUnsigned(c.prevSeqno, point) < 0) {
                return c;
            }
            node = c.prev;
        }
        return node;
    }

    /**
     * The last point of the timeline known to be signaled with all its predecessors, as
     * {@code DRM_IOCTL_SYNCOBJ_QUERY} reports it.
     */
    public static long lastSignaledPoint(DmaFence head) {
        if (!(head instanceof DmaFenceChain)) {
            return 0;
        }
        // Chain nodes signal in timeline order, so the newest signaled node covers all before it.
        DmaFenceChain oldest = (DmaFenceChain) head;
        DmaFence node = head;
        while (node instanceof DmaFenceChain && node.context() == head.context()) {
            DmaFenceChain c = (DmaFenceChain) node;
            if (c.isSignaled()) {
                return c.seqno();
            }
            oldest = c;
            node = c.prev;
        }
        return oldest.prevSeqno;
    }

    /** Cuts the link behind the newest node that has signaled together with all its predecessors. */
    public static void collectGarbage(DmaFence head) {
        DmaFence node = head;
        while (node instanceof DmaFenceChain) {
            DmaFenceChain c = (DmaFenceChain) node;
            DmaFence p = c.prev;
            if (p != null && p.isSignaled() && c.isSignaled()) {
                c.prev = null;
                return;
            }
            node = p;
        }
    }
}
