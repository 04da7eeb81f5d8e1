package driver.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.uapi.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FenceAndSyncobjTest {

    private final AtomicLong now = new AtomicLong(1000);

    private DmaFence fence() {
        return new DmaFence(DmaFence.allocContext(), 1, now::get);
    }

    @Test
    void fenceSignalsOnceWithTimestampErrorAndCallbacks() {
        DmaFence f = fence();
        List<String> log = new ArrayList<>();
        assertTrue(f.addCallback(x -> log.add("cb")));
        f.setError(-Errno.ETIMEDOUT);
        now.set(5000);
        assertTrue(f.signal());
        assertFalse(f.signal());
        assertEquals(List.of("cb"), log);
        assertEquals(-Errno.ETIMEDOUT, f.error());
        assertEquals(5000, f.timestampNanos());
        assertFalse(f.addCallback(x -> log.add("late")));
        assertThrows(IllegalStateException.class, () -> f.setError(-Errno.EINVAL));
        assertThrows(IllegalArgumentException.class, () -> fence().setError(Errno.EINVAL));
    }

    @Test
    void chainPointSignalsOnlyAfterAllEarlierPoints() {
        Syncobj s = new Syncobj(false, now::get);
        DmaFence f1 = fence();
        DmaFence f2 = fence();
        s.addPoint(f1, 1);
        s.addPoint(f2, 2);
        f2.signal();
        assertEquals(0, s.queryPoint(false));
        assertEquals(2, s.queryPoint(true));
        DmaFence wait2 = assertDoesNotThrowFind(s, 2);
        assertFalse(wait2.isSignaled());
        f1.signal();
        assertTrue(wait2.isSignaled());
        assertEquals(2, s.queryPoint(false));
    }

    @Test
    void findResolvesIntermediatePointsAndRejectsFuturePoints() throws Exception {
        Syncobj s = new Syncobj(false, now::get);
        DmaFence f2 = fence();
        DmaFence f5 = fence();
        s.addPoint(f2, 2);
        s.addPoint(f5, 5);
        DmaFence for3 = s.findFence(3);
        assertTrue(for3 instanceof DmaFenceChain);
        assertEquals(5, for3.seqno());
        assertEquals(2, s.findFence(1).seqno());
        assertThrows(Syncobj.NoFenceException.class, () -> s.findFence(6));
        assertSame(s.fence(), s.findFence(0));
        f2.signal();
        f5.signal();
        assertTrue(s.findFence(5).isSignaled());
    }

    @Test
    void outOfOrderPointStartsANewContext() {
        Syncobj s = new Syncobj(false, now::get);
        s.addPoint(fence(), 10);
        DmaFence head10 = s.fence();
        s.addPoint(fence(), 4);
        assertEquals(10, s.fence().seqno());
        assertTrue(s.fence().context() != head10.context());
    }

    @Test
    void chainPropagatesTheEarliestError() {
        Syncobj s = new Syncobj(false, now::get);
        DmaFence f1 = fence();
        DmaFence f2 = fence();
        s.addPoint(f1, 1);
        s.addPoint(f2, 2);
        f1.signalWithError(-Errno.ECANCELED);
        f2.signal();
        assertEquals(-Errno.ECANCELED, s.fence().error());
    }

    @Test
    void binarySyncobjReplacesResetsAndNotifies() throws Exception {
        Syncobj s = new Syncobj(false, now::get);
        AtomicLong changes = new AtomicLong();
        s.addListener(changes::incrementAndGet);
        assertThrows(Syncobj.NoFenceException.class, () -> s.findFence(0));
        assertThrows(Syncobj.NoFenceException.class, () -> s.findFence(1));
        DmaFence f = fence();
        s.replaceFence(f);
        assertSame(f, s.findFence(0));
        assertThrows(Syncobj.NoFenceException.class, () -> s.findFence(1));
        s.signalNow();
        assertTrue(s.fence().isSignaled());
        s.replaceFence(null);
        assertEquals(3, changes.get());
        assertEquals(0, s.queryPoint(false));
    }

    @Test
    void garbageCollectionKeepsLongTimelinesShort() throws Exception {
        Syncobj s = new Syncobj(false, now::get);
        for (int i = 1; i <= 1000; i++) {
            DmaFence f = fence();
            f.signal();
            s.addPoint(f, i);
        }
        int depth = 0;
        for (DmaFence n = s.fence(); n instanceof DmaFenceChain c; n = c.prev()) {
            depth++;
        }
        assertTrue(depth < 5, "depth " + depth);
        assertEquals(1000, s.queryPoint(false));
        assertTrue(s.findFence(3).isSignaled());
    }

    @Test
    void refcountedLifetime() {
        Syncobj s = new Syncobj(true, now::get);
        assertNotNull(s.fence());
        s.get();
        s.put();
        assertNotNull(s.fence());
        s.put();
        assertThrows(IllegalStateException.class, s::get);
    }

    private static DmaFence assertDoesNotThrowFind(Syncobj s, long point) {
        try {
            return s.findFence(point);
        } catch (Syncobj.NoFenceException e) {
            throw new AssertionError(e);
        }
    }
}
