package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DrmClientInfo;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorBoSyncOp;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The typed API goes through the byte path: same results, same errnos. */
class PanthorClientTest {

    private final TestBed bed = new TestBed();

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void typedCallsRoundTrip() {
        UserProcess p = bed.process("app");
        PanthorClient c = PanthorClient.open(p);
        assertEquals(0xa8670005, c.gpuInfo().gpuId());
        assertEquals(8, c.csifInfo().csgSlotCount());
        assertEquals(24_000_000L, c.timestampInfo(0).timestampFrequency());
        assertEquals(3, c.groupPrioritiesInfo().allowedMask());
        assertEquals(0x70, c.devQuerySize(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO));
        DrmPanthorBoCreate bo = c.boCreate(100, PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP, 0);
        assertEquals(4096, bo.size());
        c.boSetLabel(bo.handle(), "ring");
        assertEquals("ring", ((DrmFile) p.fget(c.fd())).gemObjects().get(bo.handle()).label());
        c.boSetLabel(bo.handle(), null);
        assertNull(((DrmFile) p.fget(c.fd())).gemObjects().get(bo.handle()).label());
        c.boSync(List.of(new DrmPanthorBoSyncOp(bo.handle(), 1, 0, 4096)));
        assertEquals(PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP, c.boQueryInfo(bo.handle()).createFlags());
        assertEquals(1L, c.getCap(DrmIoctls.DRM_CAP_SYNCOBJ));
        IoctlException e = assertThrows(IoctlException.class, () -> c.boCreate(0, 0, 0));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("DRM_IOCTL_PANTHOR_BO_CREATE", e.call());
        assertEquals(Errno.ENODEV, assertThrows(IoctlException.class, () -> c.vmCreate(0)).errno());
        DrmPanthorGroupCreate g = DrmPanthorGroupCreate.ZERO.withPriority(PanthorIoctls.PANTHOR_GROUP_PRIORITY_REALTIME);
        assertEquals(Errno.EACCES, assertThrows(IoctlException.class,
                () -> c.groupCreate(g, List.of(new DrmPanthorQueueCreate(0, 0, 0, 0, 4096)))).errno());
    }

    @Test
    void typedCallsLeaveNoScratchMemoryBehind() {
        UserProcess p = bed.process("app");
        PanthorClient c = PanthorClient.open(p);
        c.gpuInfo();
        int h = c.syncobjCreate(DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED);
        c.syncobjWait(new int[] {h}, 0, 0);
        c.syncobjQuery(new int[] {h}, 0);
        assertThrows(IoctlException.class, () -> c.syncobjWait(new int[] {h + 1}, 0, 0));
        long probe = p.alloc(1);
        long probe2 = p.alloc(1);
        assertEquals(2 * 4096, probe2 - probe, "allocations advance page by page");
    }

    @Test
    void clientsAreListedLikeFdinfo() {
        UserProcess p = bed.process("game", Credentials.user());
        PanthorClient c = PanthorClient.open(p);
        long addr = c.mmapBo(c.boCreate(8192, 0, 0).handle(), 8192);
        p.write8(addr, 1);
        c.syncobjCreate(0);
        List<DrmClientInfo> clients = DrmDeviceComponent.clients(bed.device);
        assertEquals(1, clients.size());
        DrmClientInfo info = clients.get(0);
        assertEquals("game", info.comm());
        assertEquals("render", info.node());
        assertEquals(1, info.gemHandles());
        assertEquals(8192, info.residentBytes());
        assertEquals(1, info.syncobjs());
    }

    @Test
    void concurrentCallersGetDistinctHandles() throws Exception {
        UserProcess p = bed.process("threads");
        int fd = p.open(DrmDeviceCore.RENDER_NODE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<Integer> handles = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    PanthorClient c = new PanthorClient(p, fd);
                    for (int i = 0; i < 200; i++) {
                        assertTrue(handles.add(c.boCreate(4096, 0, 0).handle()));
                        assertTrue(handles.add(-c.syncobjCreate(0)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3200, handles.size());
        Set<Integer> expected = new HashSet<>();
        for (int i = 1; i <= 1600; i++) {
            expected.add(i);
            expected.add(-i);
        }
        assertEquals(expected, handles);
    }
}
