package driver.sched.cstyle;

import static driver.sched.cstyle.SchedFixture.concat;
import static driver.sched.cstyle.SchedFixture.storeValue;
import static org.junit.jupiter.api.Assertions.*;

import driver.core.kernel.DmaFence;
import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Many clients and groups (more than CSG slots), chained jobs: every job ends exactly once, none lost. */
class SchedStressTest {

    @Test
    void sixteenGroupsOfEightClientsLoseNothing() {
        try (SchedFixture f = new SchedFixture()) {
            Random rnd = new Random(5);
            int clients = 8;
            int groupsPerClient = 2;
            int jobsPerGroup = 60;
            List<SchedFixture.Client> cs = new ArrayList<>();
            List<int[]> groups = new ArrayList<>();
            List<DmaFence> fences = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SchedFixture.Client cl = f.client("load" + c);
                cs.add(cl);
                int[] gs = new int[groupsPerClient];
                for (int g = 0; g < groupsPerClient; g++) {
                    gs[g] = cl.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_LOW + rnd.nextInt(2), 2);
                }
                groups.add(gs);
            }
            int[][][] expect = new int[clients][groupsPerClient][jobsPerGroup];
            for (int j = 0; j < jobsPerGroup; j++) {
                for (int c = 0; c < clients; c++) {
                    SchedFixture.Client cl = cs.get(c);
                    for (int g = 0; g < groupsPerClient; g++) {
                        int value = rnd.nextInt(1 << 30) + 1;
                        expect[c][g][j] = value;
                        long off = ((long) g * jobsPerGroup + j) * 4;
                        long[] w = rnd.nextInt(4) == 0
                                ? concat(f.computeFor(0.2), storeValue(SchedFixture.Client.VA + off, value))
                                : storeValue(SchedFixture.Client.VA + off, value);
                        int s = cl.syncobj();
                        int[] waits = j > 0 && rnd.nextBoolean() ? new int[] {s - 1} : new int[0];
                        cl.submit(groups.get(c)[g], cl.job(rnd.nextInt(2), cl.stream(w), w.length, waits, new int[] {s}));
                        fences.addAll(f.sched.lastSubmitFences);
                    }
                }
                f.h.advanceMs(1);
            }
            assertTrue(f.advanceUntil(() -> fences.stream().allMatch(DmaFence::isSignaled), 5, 3000),
                    "lost: " + fences.stream().filter(x -> !x.isSignaled()).count());
            for (DmaFence fence : fences) {
                assertEquals(0, fence.error());
            }
            for (int c = 0; c < clients; c++) {
                for (int g = 0; g < groupsPerClient; g++) {
                    for (int j = 0; j < jobsPerGroup; j++) {
                        long off = ((long) g * jobsPerGroup + j) * 4;
                        assertEquals(Integer.toUnsignedLong(expect[c][g][j]), cs.get(c).read32(off));
                    }
                }
            }
        }
    }
}
