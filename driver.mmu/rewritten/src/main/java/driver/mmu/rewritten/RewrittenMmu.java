package driver.mmu.rewritten;

import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.kernel.GemObject;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.pgtable.Lpae;
import driver.core.slot.IncompatibleStateException;
import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.AsSlotInfo;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuIrq;
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
import driver.core.uapi.PanthorIoctls;
import driver.mmu.rewritten.hw.AsRegisters;
import driver.mmu.rewritten.vm.BindOp;
import driver.mmu.rewritten.vm.Mapping;
import driver.mmu.rewritten.vm.PageTable;
import driver.mmu.rewritten.vm.Vm;
import driver.mmu.rewritten.vm.VmLayout;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import hw.model.csf.CsfLayout;
import hw.model.regs.typed.GpuMmuFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * DOC: The MMU subsystem, rewritten the way Tyr is written.
 *
 * The contract edge: every {@link Mmu} call lands here, finds its {@link Vm} in the
 * {@link VmTable} and hands the work to small parts, each one concept: {@link BindOp} (a
 * validated VM_BIND op), {@link Vm} with its {@code MappingTree} and {@link PageTable},
 * {@link AddressSpaces} (a generic {@code SlotManager} of VMs over the address spaces, and
 * the region-lock guard), {@link AsRegisters} (the typed register binding), {@link BindQueues}
 * (asynchronous binds), {@link Adoption} (state hand-over). Inside, failures are
 * {@link MmuError}s; they become errnos only here ({@link #errno}).
 *
 * <p>UABI behaviour is the C-style MMU's, call for call (the differential test runs both on
 * the same seeded sequences). Where the two choose differently, invisibly at the UABI: the
 * victim when every AS is taken (the idle VM activated longest ago, Tyr's rule, not the VM
 * idle the longest), the page-table update sequence (LOCK, update, FLUSH_PT, Tyr's, not
 * FLUSH_CACHES + UNLOCK), and a failed AS enable (the VM gives the slot back instead of
 * keeping it). docs/mmu-two-implementations.md says why.
 *
 * <p>As in the C-style MMU, not yet: the first half of the MMU IRQ and AS0's programming stay
 * in the firmware layer's {@code FwMcuVm} ({@link #mcuVm()} only names its tables); page
 * tables are not pre-allocated before an op, so an ENOMEM in the middle of one can leave it
 * half done (the VM becomes unusable if the op was asynchronous).
 *
 * <p>Ranked below the C-style MMU (-10 against 0): a container starts on the baseline, and
 * the rewrite takes over only when asked (gpu:swap, the ConfigAdmin preference) or when the
 * baseline goes away.
 */
@Component(service = Mmu.class, property = {"subsystem=mmu", "impl=rewritten", "service.ranking:Integer=-10"})
public final class RewrittenMmu implements Mmu {

    private final PhysicalMemory memory;
    private final PageAllocator pages;
    private final int vaBits;
    private final int asCount;
    private final AsRegisters regs;
    private final AddressSpaces spaces;
    private final VmTable vms = new VmTable();
    private final Object mcuLock = new Object();
    private final BindQueues bindQueues;
    /** Whether a DRM client still has an open file; null when unknown (no DRM device). */
    private final IntPredicate clientOpen;
    /** Between importState and releaseState. */
    private volatile boolean owner;

    /** The slots, to reach the scheduler when a VM faults. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DriverSubsystems subsystems;

    /** The DS constructor: inert until {@link #importState}; no register is touched before. */
    @Activate
    public RewrittenMmu(@Reference Mmio mmio, @Reference PhysicalMemory memory, @Reference VirtualTime time,
                        @Reference DrmDevice drm, @Reference PanthorDevice ptdev) {
        this(mmio, memory, time, drm.pageAllocator(), ptdev.gpuInfo().mmuFeatures(), ptdev.gpuInfo().asPresent(), drm,
                ptdev.mmuIrq());
    }

    /** The plain-Java constructor without a DRM device (no sweep of closed files' VMs after an import). */
    public RewrittenMmu(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                        int asPresent) {
        this(mmio, memory, time, pages, mmuFeatures, asPresent, null, null);
    }

    /** The plain-Java constructor over the registers alone (no device MMU line). */
    public RewrittenMmu(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                        int asPresent, DrmDevice drm) {
        this(mmio, memory, time, pages, mmuFeatures, asPresent, drm, null);
    }

    /**
     * The plain-Java constructor (tests, the harness). Call {@link #setSubsystems} to reach the
     * scheduler and to run the bind queues through the mmu slot.
     *
     * @param mmuFeatures GPU_MMU_FEATURES (VA bits)
     * @param asPresent   GPU_AS_PRESENT
     * @param drm         tells which DRM clients are still open (may be null)
     * @param irq         the device's MMU line (null: the registers alone, for unit tests)
     */
    public RewrittenMmu(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                        int asPresent, DrmDevice drm, MmuIrq irq) {
        this.bindQueues = new BindQueues(this, time, (vm, op) -> execute(vm, op, true), vm -> vmPut(vm.ref()),
                () -> subsystems);
        this.clientOpen = drm == null ? null
                : clientId -> drm.clients().stream().anyMatch(c -> c.clientId() == clientId);
        this.memory = memory;
        this.pages = pages;
        this.vaBits = GpuMmuFeatures.of(mmuFeatures).vaBits();
        this.asCount = 32 - Integer.numberOfLeadingZeros(asPresent);
        this.regs = new AsRegisters(mmio, time);
        this.spaces = new AddressSpaces(regs, irq != null ? irq : MmuIrq.registersOnly(mmio), asPresent, vaBits);
    }

    /** The driver's slots outside DS (DS injects them itself). */
    public void setSubsystems(DriverSubsystems subsystems) {
        this.subsystems = subsystems;
    }

    /** The bind work queue goes with the component. */
    @Deactivate
    public void deactivate() {
        bindQueues.destroy();
    }

    @Override
    public String impl() {
        return "rewritten";
    }

    // ---------------------------------------------------------------- the errno edge

    static int errno(MmuError.Kind kind) {
        switch (kind) {
            case INVALID_ARGUMENT:
                return Errno.EINVAL;
            case OUT_OF_MEMORY:
                return Errno.ENOMEM;
            case NO_ADDRESS_SPACE:
                return Errno.EBUSY;
            case HARDWARE_TIMEOUT:
                return Errno.ETIMEDOUT;
            case ALREADY_MAPPED:
                return Errno.EEXIST;
            default:
                throw new AssertionError(kind);
        }
    }

    private static <T> T atEdge(Supplier<T> body) {
        try {
            return body.get();
        } catch (MmuError e) {
            throw new ErrnoException(errno(e.kind()), e.getMessage());
        }
    }

    private static void atEdge(Runnable body) {
        atEdge(() -> {
            body.run();
            return null;
        });
    }

    private static ErrnoException invalid(String what) {
        return new ErrnoException(Errno.EINVAL, what);
    }

    private Vm require(VmRef ref) {
        return vms.find(ref).orElseThrow(() -> invalid("no such VM"));
    }

    // ---------------------------------------------------------------- VM ioctls

    @Override
    public DrmPanthorVmCreate vmCreate(UabiCall call, DrmPanthorVmCreate args) {
        VmLayout layout = atEdge(() -> VmLayout.forRequest(args.userVaRange(), vaBits));
        Vm vm = atEdge(() -> vms.add(key -> new Vm(key, false, layout, PageTable.create(memory, pages, vaBits), pages)));
        UabiFile file = call.file();
        int id;
        try {
            id = file.vms().alloc(vm.ref());
        } catch (ErrnoException e) {
            vmPut(vm.ref());
            throw e;
        }
        vm.setOwner(file.clientId(), id);
        return args.withId(id).withUserVaRange(layout.kernelVaStart());
    }

    @Override
    public void vmDestroy(UabiCall call, int vmId) {
        Object ref = call.file().vms().remove(vmId);
        Vm vm = (ref instanceof VmRef r ? vms.find(r) : Optional.<Vm>empty()).orElseThrow(() -> invalid("no such VM"));
        destroy(vm);
    }

    /** VM_DESTROY: everything is unmapped and the pool's reference dropped. */
    private void destroy(Vm vm) {
        try (var guard = vm.lock()) {
            if (!vm.markDestroyed()) {
                return;
            }
            try {
                vm.unmapAll(spaces);
            } catch (MmuError e) {
                /* The AS would not lock: the mappings stay until the last reference frees them. */
            }
        }
        vmPut(vm.ref());
    }

    @Override
    public int vmGetState(UabiCall call, int vmId) {
        Vm vm = require(lookupVm(call.file(), vmId));
        return vm.usability() == Vm.Usability.UNUSABLE ? PanthorIoctls.DRM_PANTHOR_VM_STATE_UNUSABLE
                : PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE;
    }

    @Override
    public VmRef lookupVm(UabiFile file, int vmId) {
        Object ref = file.vms().get(vmId);
        return ref instanceof VmRef r && vms.find(r).isPresent() ? r : null;
    }

    @Override
    public void fileClosed(UabiFile file) {
        for (Integer id : file.vms().snapshot().keySet()) {
            Object ref = file.vms().remove(id);
            if (ref instanceof VmRef r) {
                vms.find(r).ifPresent(this::destroy);
            }
        }
    }

    @Override
    public void vmBind(UabiCall call, DrmPanthorVmBind args, List<DrmPanthorVmBindOp> ops) {
        Vm vm = require(lookupVm(call.file(), args.vmId()));
        if ((args.flags() & PanthorIoctls.DRM_PANTHOR_VM_BIND_ASYNC) != 0) {
            atEdge(() -> bindQueues.submit(call, vm, ops));
            return;
        }
        for (int i = 0; i < ops.size(); i++) {
            try {
                bindSync(call.file(), vm, ops.get(i));
            } catch (MmuError e) {
                throw new VmBindException(errno(e.kind()), i);
            } catch (ErrnoException e) {
                throw new VmBindException(e.errno(), i);
            }
        }
    }

    /** {@code panthor_vm_bind_exec_sync_op()}: no syncs; an empty op does nothing. */
    private void bindSync(UabiFile file, Vm vm, DrmPanthorVmBindOp raw) {
        if (raw.syncs().count() != 0) {
            throw MmuError.invalid("syncs on a synchronous bind");
        }
        if (raw.size() == 0) {
            return;
        }
        try (PreparedOp op = PreparedOp.prepare(file, vm, raw)) {
            execute(vm, op, false);
        }
    }

    /**
     * {@code panthor_vm_exec_op()}: runs a prepared op under the VM's lock. A MAP on an unusable
     * or destroyed VM is refused; a failing op of an asynchronous bind makes the VM unusable.
     */
    private void execute(Vm vm, PreparedOp prepared, boolean unusableOnFailure) {
        BindOp op = prepared.op();
        if (op instanceof BindOp.SyncOnly) {
            return;
        }
        try (var guard = vm.lock()) {
            try {
                if (op instanceof BindOp.Map map) {
                    requireMappable(vm);
                    GemObject bo = prepared.bo().orElseThrow();
                    vm.map(new Mapping(map.va(), map.size(), new Mapping.Backing.Bo(bo), map.boOffset(), map.mapFlags()),
                            prepared.pages(), (int) (map.boOffset() / Lpae.SZ_4K), spaces);
                    prepared.handOverBo();
                } else if (op instanceof BindOp.MapSparse sparse) {
                    requireMappable(vm);
                    vm.mapSparse(new Mapping(sparse.va(), sparse.size(), new Mapping.Backing.Sparse(), 0,
                            sparse.mapFlags()), spaces);
                } else if (op instanceof BindOp.Unmap unmap) {
                    vm.unmap(unmap.va(), unmap.size(), spaces);
                }
            } catch (MmuError | ErrnoException e) {
                if (unusableOnFailure) {
                    vm.setUsability(Vm.Usability.UNUSABLE);
                }
                throw e;
            }
        }
    }

    /** Runs every VM's bind queue until nothing is ready (tests and benchmarks without a slot). */
    public void flushBindQueues() {
        bindQueues.flush();
    }

    private static void requireMappable(Vm vm) {
        if (vm.usability() == Vm.Usability.UNUSABLE || vm.lifecycle() == Vm.Lifecycle.DESTROYED) {
            throw MmuError.invalid("VM unusable or destroyed");
        }
    }

    // ---------------------------------------------------------------- kernel VM services

    /**
     * {@code panthor_fw_vm()}. The firmware boots before any MMU implementation, so AS0 and the
     * MCU's page tables belong to the firmware layer's interim {@code FwMcuVm}. The first call
     * names them here: a VM for the MCU (the 4 GiB MCU range, kernel BOs in the shared region)
     * over the level-0 table AS0's TRANSTAB points at, pinned to AS0 and always active. It owns
     * only the table pages it adds itself; null while AS0 is not set up.
     */
    @Override
    public VmRef mcuVm() {
        synchronized (mcuLock) {
            Optional<Vm> known = vms.all().stream().filter(Vm::forMcu).findFirst();
            if (known.isPresent()) {
                return known.get().ref();
            }
            long root = regs.translationTable(0);
            if (root == 0) {
                return null;
            }
            VmLayout layout = new VmLayout(vaBits, 0, CsfLayout.CSF_MCU_SHARED_REGION_START,
                    CsfLayout.CSF_MCU_SHARED_REGION_SIZE);
            Vm vm = vms.add(key -> new Vm(key, true, layout, PageTable.adopt(memory, pages, vaBits, root, List.of()),
                    pages));
            spaces.pinMcu(vm);
            return vm.ref();
        }
    }

    @Override
    public void vmGet(VmRef ref) {
        Vm vm = require(ref);
        try (var guard = vm.lock()) {
            vm.get();
        }
    }

    /** The last reference frees the AS, the mappings' backing and the page tables. */
    @Override
    public void vmPut(VmRef ref) {
        Optional<Vm> found = vms.find(ref);
        if (found.isEmpty()) {
            return;
        }
        Vm vm = found.get();
        try (var guard = vm.lock()) {
            if (!vm.put()) {
                return;
            }
            if (vm.forMcu()) {
                /* The MCU VM lives as long as the device (AS0 and its tables are FwMcuVm's). */
                vm.get();
                return;
            }
            spaces.release(vm);
            vm.release();
            vms.remove(vm);
            bindQueues.remove(vm);
        }
    }

    @Override
    public KernelMapping kernelBoCreate(VmRef ref, long size, int flags, long gpuVa) {
        Vm vm = vms.find(ref).orElse(null);
        if (vm == null || size <= 0 || size % Lpae.SZ_4K != 0) {
            throw invalid("bad kernel BO");
        }
        return atEdge(() -> {
            try (var guard = vm.lock()) {
                long va = gpuVa == KERNEL_AUTO_VA ? kernelFirstFit(vm, size) : checkKernelVa(vm, gpuVa, size);
                long[] phys = pages.allocPages((int) (size / Lpae.SZ_4K));
                try {
                    vm.map(new Mapping(va, size, new Mapping.Backing.KernelPages(phys), 0, flags), phys, 0, spaces);
                } catch (MmuError e) {
                    pages.freePages(phys);
                    throw e;
                }
                return new KernelMapping(memory, phys, va);
            }
        });
    }

    /** The first kernel-range VA with room for {@code size}; in the MCU VM, past the firmware's own mappings too. */
    private static long kernelFirstFit(Vm vm, long size) {
        VmLayout layout = vm.layout();
        long va = layout.kernelVaStart();
        while (true) {
            for (Mapping m : vm.mappings().overlapping(layout.kernelVaStart(), layout.kernelVaSize())) {
                if (m.va() >= va + size) {
                    break;
                }
                if (m.end() > va) {
                    va = m.end();
                }
            }
            if (va + size > layout.kernelVaEnd()) {
                throw new MmuError(MmuError.Kind.OUT_OF_MEMORY, "kernel VA range full");
            }
            long busy = vm.forMcu() ? firstMappedInTables(vm, va, size) : -1;
            if (busy < 0) {
                return va;
            }
            va = busy + Lpae.SZ_4K;
        }
    }

    private static long firstMappedInTables(Vm vm, long va, long size) {
        for (long page = va; page < va + size; page += Lpae.SZ_4K) {
            if (vm.pageTable().translate(page).isPresent()) {
                return page;
            }
        }
        return -1;
    }

    private static long checkKernelVa(Vm vm, long va, long size) {
        if (va % Lpae.SZ_4K != 0 || !vm.mappings().overlapping(va, size).isEmpty()
                || Long.compareUnsigned(va + size, vm.layout().fullRange()) > 0) {
            throw MmuError.invalid("kernel VA misaligned, busy or out of range");
        }
        return va;
    }

    @Override
    public void kernelBoDestroy(VmRef ref, long gpuVa) {
        Vm vm = require(ref);
        atEdge(() -> {
            try (var guard = vm.lock()) {
                if (vm.lifecycle() == Vm.Lifecycle.DESTROYED) {
                    return; // VM_DESTROY unmapped the whole range already, kernel BOs too
                }
                Mapping m = vm.mappings().at(gpuVa).filter(Mapping::isKernel)
                        .orElseThrow(() -> MmuError.invalid("no kernel BO there"));
                vm.unmap(m.va(), m.size(), spaces);
            }
        });
    }

    @Override
    public int vmActive(VmRef ref) {
        Optional<Vm> vm = vms.find(ref);
        if (vm.isEmpty()) {
            return -Errno.EINVAL;
        }
        try {
            spaces.activate(vm.get());
            return 0;
        } catch (MmuError e) {
            return -errno(e.kind());
        }
    }

    @Override
    public void vmIdle(VmRef ref) {
        vms.find(ref).ifPresent(spaces::idle);
    }

    @Override
    public int vmAs(VmRef ref) {
        return vms.find(ref).map(vm -> spaces.slotOf(vm).orElse(-1)).orElse(-1);
    }

    @Override
    public boolean vmHasUnhandledFaults(VmRef ref) {
        return vms.find(ref).map(Vm::unhandledFault).orElse(false);
    }

    @Override
    public boolean vmIsUnusable(VmRef ref) {
        return vms.find(ref).map(vm -> vm.usability() == Vm.Usability.UNUSABLE).orElse(false);
    }

    // ---------------------------------------------------------------- device hooks

    @Override
    public int irqMask() {
        return spaces.irqMask();
    }

    /**
     * Page faults on user address spaces: each is disabled and its VM marked (AS0 and the
     * first half of the IRQ are the firmware layer's), then the scheduler is told, if there
     * is one: an IRQ handler never waits for a scheduler to arrive.
     */
    @Override
    public void irq(int status) {
        List<Vm> faulted = spaces.pageFaults(status);
        DriverSubsystems subsys = subsystems;
        if (faulted.isEmpty() || subsys == null || subsys.sched().info().status() != SlotStatus.ACTIVE) {
            return;
        }
        for (Vm vm : faulted) {
            subsys.sched().runIfPresent(s -> s.reportMmuFault(vm.ref()));
        }
    }

    /** {@code panthor_mmu_pre_reset()}: the bind queues stop. */
    @Override
    public void preReset() {
        bindQueues.stop();
    }

    /** {@code panthor_mmu_post_reset()}: AS assignments forgotten (re-made lazily), bind queues restarted. */
    @Override
    public void postReset() {
        spaces.forgetAll();
        bindQueues.restart();
    }

    @Override
    public void suspend() {
        spaces.disableAll();
    }

    @Override
    public void resume() {
        spaces.clearFaults();
    }

    @Override
    public void unplug() {
    }

    // ---------------------------------------------------------------- introspection

    @Override
    public List<VmInfo> vms() {
        List<VmInfo> out = new ArrayList<>();
        for (Vm vm : vms.all()) {
            try (var guard = vm.lock()) {
                String state = vm.usability() == Vm.Usability.UNUSABLE ? "unusable"
                        : vm.unhandledFault() ? "faulted" : "usable";
                out.add(new VmInfo(vm.ref(), vm.clientId(), vm.handle(), vm.layout().userVaRange(),
                        vm.layout().kernelVaStart(), vm.mappings().size(), vm.mappings().mappedBytes(),
                        vm.pageTable().tablePageCount(), spaces.slotOf(vm).orElse(-1), vm.refs(), state));
            }
        }
        return out;
    }

    @Override
    public List<AsSlotInfo> addressSpaces() {
        List<AsSlotInfo> out = new ArrayList<>();
        for (MmuState.AsSlotState s : spaces.export()) {
            out.add(new AsSlotInfo(s.as(), s.vmKey() < 0 ? null : new VmRef(s.vmKey()), s.activeCount() > 0, s.faulted(),
                    s.lruOrder()));
        }
        return out;
    }

    @Override
    public List<WalkLine> walk(VmRef ref, long va) {
        Vm vm = require(ref);
        List<WalkLine> out = new ArrayList<>();
        try (var guard = vm.lock()) {
            for (PageTable.Step step : vm.pageTable().walk(va)) {
                out.add(new WalkLine(step.level(), step.tableAddress(), step.index(), step.descriptor(),
                        meaning(step.level(), step.descriptor())));
            }
        }
        return out;
    }

    private static String meaning(int level, long pte) {
        if (!Lpae.isValid(pte)) {
            return "invalid";
        }
        if (Lpae.isTable(pte, level)) {
            return "table";
        }
        return (level == 3 ? "page 4K" : level == 2 ? "block 2M" : "block 1G")
                + ((pte & Lpae.PTE_AP_RDONLY) != 0 ? " ro" : " rw")
                + ((pte & Lpae.PTE_XN) != 0 ? " xn" : "");
    }

    /** Hardware timeouts ignored so far (AS disable, flush after an update). */
    public long hardwareFailures() {
        return spaces.hardwareFailures();
    }

    // ---------------------------------------------------------------- state hand-over

    @Override
    public MmuState exportState() {
        List<MmuState.VmState> states = new ArrayList<>();
        long nextKey = vms.nextKey();
        for (Vm vm : vms.all()) {
            try (var guard = vm.lock()) {
                List<MmuState.MappingState> maps = new ArrayList<>();
                for (Mapping m : vm.mappings().all()) {
                    maps.add(new MmuState.MappingState(m.va(), m.size(), m.bo().orElse(null), m.offset(), m.flags(),
                            m.isKernel()));
                }
                VmLayout l = vm.layout();
                states.add(new MmuState.VmState(vm.key(), vm.forMcu(), vm.clientId(), vm.handle(), l.userVaRange(),
                        l.kernelVaStart(), l.kernelVaSize(), vm.pageTable().root(), vm.pageTable().tablePages(), maps,
                        vm.refs(), vm.usability() == Vm.Usability.UNUSABLE, vm.unhandledFault(), bindQueues.export(vm)));
            }
        }
        return new MmuState(MmuState.VERSION, nextKey, states, spaces.export(), spaces.sequence());
    }

    /**
     * Adopts VMs, page tables (where they are in GPU memory: nothing is allocated, written or
     * remapped, no register is touched) and the AS table. A kernel BO mapping's pages are read
     * back from the adopted tables. The idle order becomes the activation order (see
     * {@link AddressSpaces#restore}).
     */
    @Override
    public void importState(MmuState state) throws IncompatibleStateException {
        if (state.version() != MmuState.VERSION) {
            throw new IncompatibleStateException("MmuState version " + state.version());
        }
        if (state.addressSpaces().size() > asCount) {
            throw new IncompatibleStateException("more address spaces than AS_PRESENT");
        }
        Map<Long, Vm> adopted = new HashMap<>();
        for (MmuState.VmState v : state.vms()) {
            for (MmuState.QueuedBind qb : v.queuedBinds()) {
                Adoption.checkQueuedBind(qb);
            }
            adopted.put(v.key(), Adoption.vm(v, memory, pages, vaBits));
        }
        Map<Vm, List<BindJob>> queued = new IdentityHashMap<>();
        for (MmuState.VmState v : state.vms()) {
            Vm vm = adopted.get(v.key());
            List<BindJob> jobs = new ArrayList<>();
            for (MmuState.QueuedBind qb : v.queuedBinds()) {
                jobs.add(Adoption.job(vm, qb));
            }
            queued.put(vm, jobs);
        }
        vms.replace(adopted, state.nextVmKey());
        spaces.restore(state.addressSpaces(), state.lruClock(), adopted::get);
        owner = true;
        bindQueues.adopt(queued);
        sweepClosedFilesLater(adopted.values());
    }

    /**
     * After an import: the VMs of files that closed while the state was parked (their postclose
     * found no MMU) are destroyed, by a work item entering through the slot once the swap is over
     * (an import must export what it imported).
     */
    private void sweepClosedFilesLater(java.util.Collection<Vm> adopted) {
        if (clientOpen == null) {
            return;
        }
        Map<Long, Integer> candidates = new HashMap<>();
        for (Vm vm : adopted) {
            if (!vm.forMcu() && vm.clientId() != 0 && vm.handle() != 0) {
                candidates.put(vm.key(), vm.clientId());
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        bindQueues.later(() -> {
            java.util.Set<Integer> closed = new java.util.HashSet<>();
            for (int clientId : candidates.values()) {
                if (!clientOpen.test(clientId)) {
                    closed.add(clientId);
                }
            }
            if (closed.isEmpty()) {
                return;
            }
            Runnable sweep = () -> {
                for (Map.Entry<Long, Integer> c : candidates.entrySet()) {
                    Optional<Vm> vm = vms.find(new VmRef(c.getKey()));
                    if (vm.isPresent() && closed.contains(c.getValue()) && vm.get().handle() != 0) {
                        destroy(vm.get());
                    }
                }
            };
            DriverSubsystems subsys = subsystems;
            if (subsys == null) {
                if (owner) {
                    sweep.run();
                }
                return;
            }
            try {
                subsys.mmu().run(m -> {
                    if (m == this && owner) {
                        sweep.run();
                    }
                });
            } catch (SubsystemUnavailableException e) {
                /* parked again: the next owner sweeps */
            }
        });
    }

    /** Forgets everything without freeing or signalling anything: the next owner has it. */
    @Override
    public void releaseState() {
        bindQueues.forget();
        owner = false;
        vms.replace(Map.of(), vms.nextKey());
        spaces.forget();
    }
}
