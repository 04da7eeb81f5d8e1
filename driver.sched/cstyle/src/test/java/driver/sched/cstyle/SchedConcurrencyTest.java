package driver.sched.cstyle;

import static driver.sched.cstyle.SchedFixture.storeValue;
import static org.junit.jupiter.api.Assertions.*;

import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Clients submitting from their own threads in real time, as the workload does in the container. */
class SchedConcurrencyTest {

    @Test
    void concurrentClientsEachSeeEveryJobComplete() throws Exception {
        try (SchedFixture f = new SchedFixture(true)) {
            int clients = 10;
            int jobs = 40;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SchedFixture.Client cl = f.client("thread" + c);
                results.add(pool.submit(() -> {
                    int g = cl.group(PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
                    int ok = 0;
                    for (int j = 0; j < jobs; j++) {
                        long[] w = storeValue(SchedFixture.Client.VA + 4L * j, j + 1);
                        int s = cl.syncobj();
                        cl.submit(g, cl.job(0, cl.stream(w), w.length, new int[0], new int[] {s}));
                        long deadline = f.h.time().nowNanos() + 2_000_000_000L;
                        cl.c.syncobjWait(new int[] {s}, deadline, 0);
                        if (cl.read32(4L * j) == j + 1) {
                            ok++;
                        }
                    }
                    cl.c.groupDestroy(g);
                    return ok;
                }));
            }
            for (Future<Integer> r : results) {
                assertEquals(jobs, r.get(60, TimeUnit.SECONDS));
            }
            pool.shutdownNow();
        }
    }
}
