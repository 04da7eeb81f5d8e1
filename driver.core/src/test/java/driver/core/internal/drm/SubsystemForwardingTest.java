package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupDestroy;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorGroupSubmit;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorTilerHeapDestroy;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.DrmPanthorVmDestroy;
import driver.core.uapi.DrmPanthorVmGetState;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.uapi.UapiStruct;
import driver.core.user.Credentials;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VM, group and tiler-heap ioctls: struct checks here, then the subsystem port. */
class SubsystemForwardingTest {

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("a");

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private DrmPanthorObjArray array(TestBed.Proc p, int stride, List<? extends UapiStruct> elems) {
        byte[] b = new byte[Math.max(1, stride * elems.size())];
        for (int i = 0; i < elems.size(); i++) {
            byte[] e = elems.get(i).toBytes();
            System.arraycopy(e, 0, b, i * stride, Math.min(stride, e.length));
        }
        return new DrmPanthorObjArray(stride, elems.size(), p.p().allocBytes(b));
    }

    private static final class FakeSched implements GroupIoctls {
        final List<Integer> submitted = new ArrayList<>();
        int lastQueueCount;

        @Override
        public int groupCreate(DrmCall call, DrmPanthorGroupCreate args, List<DrmPanthorQueueCreate> queues) {
            lastQueueCount = queues.size();
            return call.file().groups().alloc(args);
        }

        @Override
        public void groupDestroy(DrmCall call, int groupHandle) {
            call.file().groups().remove(groupHandle);
        }

        @Override
        public void groupSubmit(DrmCall call, int groupHandle, List<DrmPanthorQueueSubmit> submits) {
            for (DrmPanthorQueueSubmit s : submits) {
                call.copySyncOps(s.syncs()).forEach(DrmCall::checkSyncOp);
            }
            submitted.add(submits.size());
        }

        @Override
        public DrmPanthorGroupGetState groupGetState(DrmCall call, DrmPanthorGroupGetState args) {
            return args.withState(PanthorIoctls.DRM_PANTHOR_GROUP_STATE_TIMEDOUT).withFatalQueues(1);
        }
    }

    @Test
    void absentSubsystemsAreEnodevAfterTheStructChecks() {
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO.withFlags(1)).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, new DrmPanthorVmDestroy(1, 1)).ret());
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, new DrmPanthorVmDestroy(1, 0)).ret());
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, DrmPanthorVmBind.ZERO).ret());
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE, DrmPanthorVmGetState.ZERO).ret());
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, DrmPanthorTilerHeapCreate.ZERO).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, DrmPanthorGroupCreate.ZERO).ret(),
                "no queues");
        DrmPanthorObjArray q = array(a, 8, List.of(new DrmPanthorQueueCreate(0, 0, 0, 0, 4096)));
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, DrmPanthorGroupCreate.ZERO.withQueues(q)).ret());
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_DESTROY, DrmPanthorGroupDestroy.ZERO).ret());
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT, DrmPanthorGroupSubmit.ZERO.withGroupHandle(42)).ret(),
                "an empty submit never reaches the scheduler");
        assertEquals(-Errno.ENODEV, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE, DrmPanthorGroupGetState.ZERO).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, new DrmPanthorTilerHeapDestroy(1 << 16, 1)).ret());
    }

    @Test
    void vmIdsAreLimitedToThirtyTwoPerFile() {
        bed.device.setVmPort(SubsystemPort.of(new FakeMmu()));
        for (int i = 1; i <= 32; i++) {
            TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO);
            assertEquals(i, DrmPanthorVmCreate.decode(c.out()).id());
        }
        assertEquals(-Errno.EBUSY, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO).ret());
        TestBed.Proc b = bed.open("b");
        assertEquals(1, DrmPanthorVmCreate.decode(b.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO).out()).id());
    }

    @Test
    void failingSyncBindWritesTheFailedOpIndexBack() {
        FakeMmu mmu = new FakeMmu();
        bed.device.setVmPort(SubsystemPort.of(mmu));
        int vm = DrmPanthorVmCreate.decode(a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO).out()).id();
        DrmPanthorVmBindOp good = new DrmPanthorVmBindOp(0, 1, 0, 0x10000, 4096, DrmPanthorObjArray.EMPTY);
        DrmPanthorVmBindOp bad = good.withSize(0);
        DrmPanthorObjArray ops = array(a, 48, List.of(good, good, bad, good));
        TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, new DrmPanthorVmBind(vm, 0, ops));
        assertEquals(-Errno.EINVAL, c.ret());
        assertEquals(2, DrmPanthorVmBind.decode(c.out()).ops().count());
        assertEquals(2, mmu.bound.size());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, new DrmPanthorVmBind(vm + 1, 0, ops)).ret(),
                "unknown VM");
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND,
                new DrmPanthorVmBind(vm, 0, array(a, 40, List.of(good)))).ret(), "stride below 48");
        DrmPanthorObjArray badSync = array(a, 16, List.of(new DrmPanthorSyncOp(0, 1, 5)));
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND,
                new DrmPanthorVmBind(vm, 0, array(a, 48, List.of(good.withSyncs(badSync))))).ret(), "binary sync op with a point");
    }

    @Test
    void groupCreateChecksPriorityAgainstCredentials() {
        FakeSched sched = new FakeSched();
        bed.device.setGroupPort(SubsystemPort.of(sched));
        DrmPanthorObjArray q = array(a, 8, List.of(new DrmPanthorQueueCreate(0, 0, 0, 0, 4096)));
        DrmPanthorGroupCreate high = DrmPanthorGroupCreate.ZERO.withQueues(q).withPriority(PanthorIoctls.PANTHOR_GROUP_PRIORITY_HIGH);
        assertEquals(-Errno.EACCES, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, high).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, high.withPriority(4)).ret());
        assertEquals(-Errno.EACCES, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, high.withPad(1)).ret(),
                "permission is checked before pad, as in panthor_drv.c");
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, high.withPriority(1).withPad(1)).ret());
        assertEquals(0, a.file().groups().size());
        TestBed.Proc nice = bed.open("nice", Credentials.niceUser(), DrmDeviceCore.RENDER_NODE);
        DrmPanthorObjArray nq = array(nice, 8, List.of(new DrmPanthorQueueCreate(0, 0, 0, 0, 4096),
                new DrmPanthorQueueCreate(15, 0, 0, 0, 8192)));
        TestBed.Call c = nice.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, high.withQueues(nq));
        assertEquals(0, c.ret());
        assertEquals(1, DrmPanthorGroupCreate.decode(c.out()).groupHandle());
        assertEquals(2, sched.lastQueueCount);
        byte[] paddedQueue = new byte[12];
        paddedQueue[11] = 1;
        DrmPanthorObjArray tail = new DrmPanthorObjArray(12, 1, nice.p().allocBytes(paddedQueue));
        assertEquals(-Errno.E2BIG, nice.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, high.withQueues(tail)).ret());
    }

    @Test
    void groupSubmitDestroyAndState() {
        FakeSched sched = new FakeSched();
        bed.device.setGroupPort(SubsystemPort.of(sched));
        DrmPanthorObjArray syncs = array(a, 16, List.of(new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL, 1, 0)));
        DrmPanthorQueueSubmit job = new DrmPanthorQueueSubmit(0, 64, 0x1000, 0, 0, syncs);
        DrmPanthorObjArray jobs = array(a, 40, List.of(job, job));
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT, new DrmPanthorGroupSubmit(1, 0, jobs)).ret());
        assertEquals(List.of(2), sched.submitted);
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT, new DrmPanthorGroupSubmit(1, 1, jobs)).ret());
        DrmPanthorObjArray badType = array(a, 16, List.of(new DrmPanthorSyncOp(7, 1, 0)));
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT,
                new DrmPanthorGroupSubmit(1, 0, array(a, 40, List.of(job.withSyncs(badType))))).ret());
        TestBed.Call st = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE, new DrmPanthorGroupGetState(1, 0, 0, 0));
        assertEquals(new DrmPanthorGroupGetState(1, 1, 1, 0), DrmPanthorGroupGetState.decode(st.out()));
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE, new DrmPanthorGroupGetState(1, 0, 0, 3)).ret());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_DESTROY, new DrmPanthorGroupDestroy(1, 1)).ret());
    }

    @Test
    void tilerHeapsNeedAVmOfTheFile() {
        FakeMmu mmu = new FakeMmu();
        bed.device.setVmPort(SubsystemPort.of(mmu));
        List<Object> created = new ArrayList<>();
        bed.device.setHeapPort(SubsystemPort.of(new TilerHeapIoctls() {
            @Override
            public DrmPanthorTilerHeapCreate heapCreate(DrmCall call, Object vm, DrmPanthorTilerHeapCreate args) {
                created.add(vm);
                return args.withHandle(args.vmId() << 16).withTilerHeapCtxGpuVa(0x1000);
            }

            @Override
            public void heapDestroy(DrmCall call, Object vm, int handle) {
                created.remove(vm);
            }
        }));
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, DrmPanthorTilerHeapCreate.ZERO.withVmId(1)).ret());
        int vm = DrmPanthorVmCreate.decode(a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.ZERO).out()).id();
        TestBed.Call c = a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, DrmPanthorTilerHeapCreate.ZERO.withVmId(vm));
        assertEquals(0, c.ret());
        DrmPanthorTilerHeapCreate out = DrmPanthorTilerHeapCreate.decode(c.out());
        assertEquals(vm << 16, out.handle());
        assertEquals(0x1000, out.tilerHeapCtxGpuVa());
        assertEquals(0, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, new DrmPanthorTilerHeapDestroy(out.handle(), 0)).ret());
        assertTrue(created.isEmpty());
        assertEquals(-Errno.EINVAL, a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY,
                new DrmPanthorTilerHeapDestroy((vm + 1) << 16, 0)).ret());
    }

    @Test
    void closingAFileTellsTheSubsystems() {
        FakeMmu mmu = new FakeMmu();
        bed.device.setVmPort(SubsystemPort.of(mmu));
        a.p().close(a.fd());
        assertEquals(1, mmu.closedFiles);
    }
}
