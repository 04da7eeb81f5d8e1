package driver.core.internal.drm;

import driver.core.kernel.KernelMapping;
import driver.core.slot.IncompatibleStateException;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.AsSlotInfo;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmBindException;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test implementation of the real MMU contract: VMs are only keys and VA ranges in its
 * state (no page tables). It counts calls made while it did not own the state, which a
 * correct slot never lets happen.
 */
final class TestSlotMmu implements Mmu {

    private final String name;
    private volatile boolean owner;
    private MmuState state;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger callsWithoutState = new AtomicInteger();

    TestSlotMmu(String name) {
        this.name = name;
    }

    private synchronized MmuState enter() {
        calls.incrementAndGet();
        if (!owner) {
            callsWithoutState.incrementAndGet();
            throw new IllegalStateException(name + " called without owning the state");
        }
        return state;
    }

    @Override
    public String impl() {
        return name;
    }

    @Override
    public synchronized MmuState exportState() {
        return state;
    }

    @Override
    public synchronized void importState(MmuState s) throws IncompatibleStateException {
        if (s.version() != MmuState.VERSION) {
            throw new IncompatibleStateException("version " + s.version());
        }
        state = s;
        owner = true;
    }

    @Override
    public synchronized void releaseState() {
        owner = false;
        state = null;
    }

    @Override
    public DrmPanthorVmCreate vmCreate(UabiCall call, DrmPanthorVmCreate args) {
        synchronized (this) {
            MmuState s = enter();
            VmRef ref = new VmRef(s.nextVmKey());
            int id = call.file().vms().alloc(ref);
            long range = args.userVaRange() == 0 ? 1L << 47 : args.userVaRange();
            List<MmuState.VmState> vms = new ArrayList<>(s.vms());
            vms.add(new MmuState.VmState(ref.key(), false, call.file().clientId(), id, range, 1L << 47, 1L << 47, 0,
                    List.of(), List.of(), 1, false, false, List.of()));
            state = new MmuState(s.version(), s.nextVmKey() + 1, vms, s.addressSpaces(), s.lruClock());
            return args.withId(id).withUserVaRange(range);
        }
    }

    @Override
    public synchronized void vmDestroy(UabiCall call, int vmId) {
        MmuState s = enter();
        Object ref = call.file().vms().remove(vmId);
        if (!(ref instanceof VmRef r)) {
            throw new ErrnoException(Errno.EINVAL, "no VM " + vmId);
        }
        state = new MmuState(s.version(), s.nextVmKey(),
                s.vms().stream().filter(v -> v.key() != r.key()).toList(), s.addressSpaces(), s.lruClock());
    }

    @Override
    public void vmBind(UabiCall call, DrmPanthorVmBind args, List<DrmPanthorVmBindOp> ops) {
        enter();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).size() == 0) {
                throw new VmBindException(Errno.EINVAL, i);
            }
        }
    }

    @Override
    public int vmGetState(UabiCall call, int vmId) {
        enter();
        if (lookupVm(call.file(), vmId) == null) {
            throw new ErrnoException(Errno.EINVAL, "no VM");
        }
        return 0;
    }

    @Override
    public VmRef lookupVm(UabiFile file, int vmId) {
        enter();
        return file.vms().get(vmId) instanceof VmRef r ? r : null;
    }

    @Override
    public synchronized void fileClosed(UabiFile file) {
        MmuState s = enter();
        state = new MmuState(s.version(), s.nextVmKey(),
                s.vms().stream().filter(v -> v.clientId() != file.clientId()).toList(), s.addressSpaces(),
                s.lruClock());
    }

    synchronized int vmCount() {
        return state == null ? -1 : state.vms().size();
    }

    @Override
    public VmRef mcuVm() {
        return null;
    }

    @Override
    public void vmGet(VmRef vm) {
    }

    @Override
    public void vmPut(VmRef vm) {
    }

    @Override
    public KernelMapping kernelBoCreate(VmRef vm, long size, int flags, long gpuVa) {
        throw new ErrnoException(Errno.ENOMEM);
    }

    @Override
    public void kernelBoDestroy(VmRef vm, long gpuVa) {
    }

    @Override
    public int vmActive(VmRef vm) {
        return 0;
    }

    @Override
    public void vmIdle(VmRef vm) {
    }

    @Override
    public int vmAs(VmRef vm) {
        return -1;
    }

    @Override
    public boolean vmHasUnhandledFaults(VmRef vm) {
        return false;
    }

    @Override
    public boolean vmIsUnusable(VmRef vm) {
        return false;
    }

    @Override
    public int irqMask() {
        return 0;
    }

    @Override
    public void irq(int status) {
    }

    @Override
    public void preReset() {
    }

    @Override
    public void postReset() {
    }

    @Override
    public void suspend() {
    }

    @Override
    public void resume() {
    }

    @Override
    public void unplug() {
    }

    @Override
    public List<VmInfo> vms() {
        return List.of();
    }

    @Override
    public List<AsSlotInfo> addressSpaces() {
        return List.of();
    }

    @Override
    public List<WalkLine> walk(VmRef vm, long va) {
        return List.of();
    }
}
