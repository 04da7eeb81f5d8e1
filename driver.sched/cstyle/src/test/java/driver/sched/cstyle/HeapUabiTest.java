package driver.sched.cstyle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.sched.Sched;
import driver.core.subsys.sched.SchedState;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.Errno;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TILER_HEAP_CREATE/DESTROY through the ioctl byte path of a simulated process: the driver
 * core resolves the VM, a stand-in scheduler forwards the heap calls and the state to a
 * {@link PanthorHeap} (as PanthorSched does), and postclose frees everything.
 */
class HeapUabiTest {

    /** A scheduler that has only tiler heaps. */
    private static Sched heapOnlySched(PanthorHeap heaps) {
        SchedState[] state = {null};
        return (Sched) Proxy.newProxyInstance(Sched.class.getClassLoader(), new Class<?>[] {Sched.class},
                (proxy, m, a) -> switch (m.getName()) {
                    case "impl" -> "heaps";
                    case "importState" -> {
                        state[0] = (SchedState) a[0];
                        heaps.importState(state[0].heapPools());
                        yield null;
                    }
                    case "exportState" -> new SchedState(SchedState.VERSION, state[0].groups(), state[0].csgSlots(),
                            heaps.exportState(), false, -1, false);
                    case "releaseState" -> {
                        heaps.releaseState();
                        yield null;
                    }
                    case "heapCreate" -> heaps.heapCreate((UabiCall) a[0], (VmRef) a[1],
                            (DrmPanthorTilerHeapCreate) a[2]);
                    case "heapDestroy" -> {
                        heaps.heapDestroy((UabiCall) a[0], (VmRef) a[1], (Integer) a[2]);
                        yield null;
                    }
                    case "fileClosed" -> {
                        heaps.fileClosed((UabiFile) a[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    case "toString" -> "heap-only sched";
                    default -> m.getReturnType() == int.class ? 0
                            : m.getReturnType() == boolean.class ? false
                            : m.getReturnType() == List.class ? List.of() : null;
                });
    }

    private static int errno(Runnable op) {
        try {
            op.run();
            return 0;
        } catch (IoctlException e) {
            return e.errno();
        }
    }

    @Test
    void heapIoctlsThroughTheBytePathAndPostcloseFreesEverything() {
        try (HeapFixture f = new HeapFixture()) {
            f.h.install("sched", "heaps", heapOnlySched(f.heaps));
            long before = f.usedPages();
            UserProcess proc = f.h.newProcess("tiler");
            PanthorClient c = PanthorClient.open(proc);
            int vmId = c.vmCreate(0).id();

            DrmPanthorTilerHeapCreate out = c.tilerHeapCreate(HeapFixture.args(vmId, 2, 256 * 1024, 4, 1));
            assertEquals(vmId << 16, out.handle());
            assertEquals(vmId, out.vmId());
            assertEquals(2, out.initialChunkCount(), "inputs come back unchanged");
            VmRef vm = f.h.subsystems().sched().call(s -> s.exportState()).heapPools().get(0).vm();
            long second = f.gpuRead64(vm, out.firstHeapChunkGpuVa());
            assertEquals(256 * 1024 >>> 12, second & 0xfff);
            assertEquals(0, f.gpuRead64(vm, second & ~0xfffL), "two chunks, the last ends the list");

            assertEquals(Errno.EINVAL, errno(() -> c.tilerHeapCreate(HeapFixture.args(vmId + 1, 1, 128 * 1024, 1, 1))),
                    "unknown VM");
            assertEquals(Errno.EINVAL, errno(() -> c.tilerHeapCreate(HeapFixture.args(vmId, 1, 100_000, 1, 1))));
            int otherVm = c.vmCreate(0).id();
            assertEquals(Errno.ENOENT, errno(() -> c.tilerHeapDestroy(otherVm << 16)), "no pool in that VM");
            assertEquals(Errno.EINVAL, errno(() -> c.tilerHeapDestroy(vmId << 16 | 1)), "no such heap");
            c.tilerHeapDestroy(out.handle());
            assertEquals(Errno.EINVAL, errno(() -> c.tilerHeapDestroy(out.handle())));
            c.tilerHeapCreate(HeapFixture.args(vmId, 1, 8 << 20, 1, 0));

            c.close();
            proc.exit();
            assertEquals(before, f.usedPages(), "postclose returned every page");
            assertEquals(List.of(), f.h.subsystems().sched().call(s -> s.exportState()).heapPools());
        }
    }

    @Test
    void heapsSurviveASwapOfTheScheduler() {
        try (HeapFixture f = new HeapFixture()) {
            f.h.install("sched", "heaps", heapOnlySched(f.heaps));
            PanthorClient c = PanthorClient.open(f.h.newProcess("tiler"));
            int vmId = c.vmCreate(0).id();
            DrmPanthorTilerHeapCreate first = c.tilerHeapCreate(HeapFixture.args(vmId, 1, 128 * 1024, 1, 1));

            PanthorHeap next = new PanthorHeap(f.h.subsystems(), f.h.gpuInfo().l2Features());
            f.h.install("sched", "heaps2", heapOnlySched(next));
            f.h.swap("sched", "heaps2");
            assertEquals(List.of(), f.heaps.exportState(), "the old owner forgot its pools");
            assertEquals(1, next.exportState().size());

            assertEquals(vmId << 16 | 1, c.tilerHeapCreate(HeapFixture.args(vmId, 1, 128 * 1024, 1, 1)).handle());
            c.tilerHeapDestroy(first.handle());
            assertThrows(IoctlException.class, () -> c.tilerHeapDestroy(first.handle()));
            c.close();
            assertEquals(List.of(), next.exportState());
        }
    }
}
