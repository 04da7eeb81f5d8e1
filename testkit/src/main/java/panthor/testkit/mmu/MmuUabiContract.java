package panthor.testkit.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.internal.subsys.MmuCommands;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.sched.Sched;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import panthor.testkit.DriverHarness;

/**
 * The MMU contract in the whole driver ({@link DriverHarness}), for every implementation: an
 * asynchronous bind from a simulated process through the UABI byte path, a failed one making
 * the VM unusable, a GPU page fault reaching the scheduler through the sched slot, and the
 * mmu:* shell commands over the real implementation. A module's test extends it and names its
 * implementation, which is installed in the mmu slot before each test.
 */
public abstract class MmuUabiContract {

    protected static final long SZ_4K = 4096;
    protected final DriverHarness h = DriverHarness.start();
    protected Mmu mmu;
    private final List<VmRef> faultsReported = new CopyOnWriteArrayList<>();

    /** The implementation under test. */
    protected abstract MmuImplementation<?> implementation();

    @BeforeEach
    public void installMmu() {
        mmu = implementation().createIn(h);
        h.install("mmu", implementation().name(), mmu);
    }

    @AfterEach
    public void close() {
        if (mmu != null) {
            implementation().deactivate(mmu);
        }
        h.close();
    }

    /** A scheduler that only records {@code reportMmuFault} (and adopts whatever state it gets). */
    private Sched recordingSched() {
        Object[] state = {null};
        return (Sched) Proxy.newProxyInstance(Sched.class.getClassLoader(), new Class<?>[] {Sched.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "impl" -> "recording";
                    case "exportState" -> state[0];
                    case "importState" -> {
                        state[0] = args[0];
                        yield null;
                    }
                    case "reportMmuFault" -> {
                        faultsReported.add((VmRef) args[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "recording sched";
                    default -> m.getReturnType() == int.class ? 0
                            : m.getReturnType() == boolean.class ? false : null;
                });
    }

    protected VmRef vmOf(int vmId) {
        return h.subsystems().mmu().call(Mmu::vms).stream()
                .filter(v -> v.clientId() != 0 && v.handle() == vmId).map(VmInfo::vm).findFirst().orElseThrow();
    }

    @Test
    public void asyncBindThroughTheBytePathSignalsItsSyncobj() throws GpuFault {
        try (PanthorClient c = PanthorClient.open(h.newProcess("e2e"))) {
            int vm = c.vmCreate(0).id();
            int bo = c.boCreate(2 * SZ_4K, 0, 0).handle();
            long cpu = c.mmapBo(bo, 2 * SZ_4K);
            c.process().write64(cpu + SZ_4K, 0x1234_5678L);
            int done = c.syncobjCreate(0);
            DrmPanthorObjArray syncs = c.objArray(List.of(
                    new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL, done, 0)));
            c.vmBind(vm, PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC, List.of(
                    new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, 0, 0x100000L,
                            2 * SZ_4K, syncs)));
            h.drainWork();
            assertEquals(0, c.syncobjWait(new int[] {done}, 0, 0), "the bind job's fence signaled");

            VmRef ref = vmOf(vm);
            assertEquals(0, (int) h.subsystems().mmu().call(m -> m.vmActive(ref)));
            int as = h.subsystems().mmu().call(m -> m.vmAs(ref));
            assertEquals(0x1234_5678L, h.model().mmu().bus(as).read64(0x101000L));
            assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, c.vmGetState(vm));

            IoctlException e = assertThrows(IoctlException.class, () -> c.vmBind(vm,
                    PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC, List.of(new DrmPanthorVmBindOp(
                            PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, 0, DrmPanthorObjArray.EMPTY))));
            assertEquals(Errno.EINVAL, e.errno(), "SYNC_ONLY without syncs");
        }
    }

    @Test
    public void aFailedAsyncBindMakesTheVmUnusableThroughTheBytePath() {
        try (PanthorClient c = PanthorClient.open(h.newProcess("e2e"))) {
            int vm = c.vmCreate(0).id();
            int bo = c.boCreate(SZ_4K, 0, 0).handle();
            VmRef ref = vmOf(vm);
            assertEquals(0, (int) h.subsystems().mmu().call(m -> m.vmActive(ref)));
            int as = h.subsystems().mmu().call(m -> m.vmAs(ref));
            int done = c.syncobjCreate(0);
            DrmPanthorObjArray syncs = c.objArray(List.of(
                    new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL, done, 0)));
            h.inject().stickAsActive(as, true);
            h.model().mmio().write32(hw.model.regs.MaliRegs.AS_COMMAND(as), hw.model.regs.MaliRegs.AS_COMMAND_UPDATE);
            c.vmBind(vm, PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC, List.of(new DrmPanthorVmBindOp(
                    PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, 0, 0x300000L, SZ_4K, syncs)));
            h.advanceMs(200);
            h.inject().stickAsActive(as, false);
            assertEquals(0, c.syncobjWait(new int[] {done}, 0, 0), "the fence signaled (with the error)");
            assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_UNUSABLE, c.vmGetState(vm));
            IoctlException e = assertThrows(IoctlException.class, () -> c.vmBind(vm, 0, List.of(
                    new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, 0, 0x300000L, SZ_4K,
                            DrmPanthorObjArray.EMPTY))));
            assertEquals(Errno.EINVAL, e.errno(), "MAP on an unusable VM");
            c.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, 0,
                    0x300000L, SZ_4K, DrmPanthorObjArray.EMPTY)));
            c.vmDestroy(vm);
            assertEquals(1, c.vmCreate(0).id(), "recovery: destroy and create again");
        }
    }

    @Test
    public void aGpuPageFaultReachesTheSchedulerThroughItsSlot() {
        h.install("sched", "recording", recordingSched());
        try (PanthorClient c = PanthorClient.open(h.newProcess("e2e"))) {
            int vm = c.vmCreate(0).id();
            VmRef ref = vmOf(vm);
            assertEquals(0, (int) h.subsystems().mmu().call(m -> m.vmActive(ref)));
            int as = h.subsystems().mmu().call(m -> m.vmAs(ref));
            GpuBus bus = h.model().mmu().bus(as);
            assertThrows(GpuFault.class, () -> bus.read64(0x700000L));
            h.advanceMs(1);
            assertEquals(List.of(ref), faultsReported, "panthor_sched_report_mmu_fault() for the faulty VM");
            assertTrue((boolean) h.subsystems().mmu().call(m -> m.vmHasUnhandledFaults(ref)));
            assertTrue(h.subsystems().mmu().call(Mmu::addressSpaces).get(as).faulted());
        }
    }

    @Test
    public void theShellCommandsShowTheRealMmu() {
        try (PanthorClient c = PanthorClient.open(h.newProcess("e2e"))) {
            int vm = c.vmCreate(0).id();
            int bo = c.boCreate(SZ_4K, 0, 0).handle();
            c.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, 0,
                    0x200000L, SZ_4K, DrmPanthorObjArray.EMPTY)));
            VmRef ref = vmOf(vm);
            MmuCommands cmds = new MmuCommands(h.subsystems());
            assertTrue(cmds.vms().contains(ref.toString()), cmds.vms());
            assertTrue(cmds.walk(ref.toString(), "0x200010").contains("page 4K rw"));
            assertTrue(cmds.walk(ref.toString(), "0x200010").endsWith("0x200010 -> pa 0x"
                    + Long.toHexString(h.subsystems().mmu().call(m -> {
                        List<driver.core.subsys.mmu.WalkLine> w = m.walk(ref, 0x200000L);
                        return driver.core.kernel.pgtable.Lpae.address(w.get(w.size() - 1).entry());
                    }) + 0x10)));
            assertTrue(cmds.as().contains("address spaces bound"));
        }
    }
}
