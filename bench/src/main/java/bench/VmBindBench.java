package bench;

import driver.core.kernel.GemObject;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.UabiCall;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import driver.mmu.cstyle.PanthorMmu;
import driver.mmu.rewritten.RewrittenMmu;
import hw.model.api.VirtualTime;
import hw.model.internal.GpuModel;
import hw.model.regs.MaliRegs;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import panthor.testkit.DriverHarness;
import panthor.testkit.mmu.StubUabiCall;
import panthor.testkit.mmu.StubUabiFile;

/**
 * VM_BIND throughput: one invocation maps a BO range and unmaps it again (two synchronous
 * binds). With {@code as=bound} the VM holds an address space, so every bind also runs the
 * hardware sequence (AS LOCK, page-table update, cache flush, UNLOCK); with {@code unbound}
 * only the page tables are written. Scores are pages (or blocks) mapped and unmapped per
 * second. Goal (issue 5): at least 1 M 4 KiB pages per second, the order of
 * Linux's io-pgtable.
 *
 * <ul>
 *   <li>{@code map4k}: 512 pages of 4 KiB (a 2 MiB BO bound at a VA that is not 2 MiB aligned,
 *       so io-pgtable cannot use blocks), through the {@link Mmu} contract.</li>
 *   <li>{@code map2m}: 32 blocks of 2 MiB (a 64 MiB physically contiguous, 2 MiB aligned BO at
 *       a 2 MiB aligned VA), through the contract.</li>
 *   <li>{@code map4kUabi}: the 512-page bind through the UABI byte path (a simulated process's
 *       {@code ioctl(DRM_IOCTL_PANTHOR_VM_BIND)}, the op array copied in from its memory, the
 *       mmu slot) in the whole driver ({@link DriverHarness}).</li>
 * </ul>
 *
 * {@code impl} names the MMU implementation ({@link #newMmu}); another implementation is
 * measured by adding its name there and to the {@code @Param} list.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VmBindBench {

    static final long SZ_4K = Lpae.SZ_4K;
    static final long SZ_2M = Lpae.SZ_2M;
    static final int PAGES = 512;
    static final int BLOCKS = 32;
    /** Not 2 MiB aligned: every page is a level-3 entry. */
    static final long VA_4K = 0x1000_1000L;
    static final long VA_2M = 0x4000_0000L;

    @Param({"cstyle", "rewritten"})
    public String impl;

    /**
     * {@code bound}: the VM holds an address space, so each bind runs the hardware sequence;
     * {@code unbound}: it has none (an idle or suspended GPU), page tables only.
     */
    @Param({"bound", "unbound"})
    public String as;

    private GpuModel model;
    private Mmu mmu;
    private StubUabiFile file;
    private UabiCall call;
    private DrmPanthorVmBind bind;
    private List<DrmPanthorVmBindOp> map4k;
    private List<DrmPanthorVmBindOp> unmap4k;
    private List<DrmPanthorVmBindOp> map2m;
    private List<DrmPanthorVmBindOp> unmap2m;

    private DriverHarness harness;
    private UserProcess process;
    private int fd;
    private long mapArgs;
    private long unmapArgs;

    /** The implementation named {@code impl}, over {@code model}'s registers and memory. */
    static Mmu newMmu(String impl, GpuModel model, PageAllocator pages) {
        int mmuFeatures = model.mmio().read32(MaliRegs.GPU_MMU_FEATURES);
        int asPresent = model.mmio().read32(MaliRegs.GPU_AS_PRESENT);
        return switch (impl) {
            case "cstyle" -> new PanthorMmu(model.mmio(), model.memory(), model.clock(), pages, mmuFeatures, asPresent);
            case "rewritten" -> new RewrittenMmu(model.mmio(), model.memory(), model.clock(), pages, mmuFeatures,
                    asPresent);
            default -> throw new IllegalArgumentException("unknown MMU implementation " + impl);
        };
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        model = new GpuModel();
        model.clock().setMode(VirtualTime.Mode.DETERMINISTIC);
        PageAllocator pages = new PageAllocator(model.memory());
        GemObject bo2m = new GemObject(pages, BLOCKS * SZ_2M, 0, null, false, null);
        long[] p = bo2m.pages();
        if (p[0] % SZ_2M != 0 || p[p.length - 1] != p[0] + (p.length - 1) * SZ_4K) {
            throw new IllegalStateException("the 64 MiB BO is not contiguous and 2 MiB aligned");
        }
        GemObject bo4k = new GemObject(pages, PAGES * SZ_4K, 0, null, false, null);
        bo4k.pages();
        mmu = newMmu(impl, model, pages);
        mmu.importState(MmuState.initial(Integer.bitCount(model.mmio().read32(MaliRegs.GPU_AS_PRESENT))));
        file = new StubUabiFile(1, "vmbind-bench");
        call = new StubUabiCall(file);
        int h2m = file.addGem(bo2m);
        int h4k = file.addGem(bo4k);
        int vmId = mmu.vmCreate(call, DrmPanthorVmCreate.ZERO).id();
        VmRef vm = mmu.lookupVm(file, vmId);
        if (as.equals("bound") && mmu.vmActive(vm) != 0) {
            throw new IllegalStateException("no address space");
        }
        bind = new DrmPanthorVmBind(vmId, 0, DrmPanthorObjArray.EMPTY);
        map4k = List.of(op(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, h4k, VA_4K, PAGES * SZ_4K));
        unmap4k = List.of(op(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, VA_4K, PAGES * SZ_4K));
        map2m = List.of(op(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, h2m, VA_2M, BLOCKS * SZ_2M));
        unmap2m = List.of(op(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, VA_2M, BLOCKS * SZ_2M));
        mmu.vmBind(call, bind, map2m);
        List<WalkLine> walk = mmu.walk(vm, VA_2M + 5 * SZ_4K);
        if (walk.get(walk.size() - 1).level() != 2) {
            throw new IllegalStateException("map2m does not map 2 MiB blocks: " + walk);
        }
        mmu.vmBind(call, bind, unmap2m);
        setUpUabi();
    }

    private void setUpUabi() {
        harness = DriverHarness.start();
        GpuModel m = harness.model();
        Mmu uabiMmu = switch (impl) {
            case "cstyle" -> {
                PanthorMmu c = new PanthorMmu(harness.mmio(), harness.memory(), harness.time(), harness.drm(),
                        harness.device());
                c.setSubsystems(harness.subsystems());
                yield c;
            }
            case "rewritten" -> {
                RewrittenMmu r = new RewrittenMmu(harness.mmio(), harness.memory(), harness.time(), harness.drm(),
                        harness.device());
                r.setSubsystems(harness.subsystems());
                yield r;
            }
            default -> newMmu(impl, m, harness.pageAllocator());
        };
        harness.install("mmu", impl, uabiMmu);
        process = harness.newProcess("vmbind-bench");
        fd = process.open(driver.core.api.DrmDevice.RENDER_NODE);
        PanthorClient client = new PanthorClient(process, fd);
        int vmId = client.vmCreate(0).id();
        int bo = client.boCreate(PAGES * SZ_4K, 0, 0).handle();
        DrmPanthorObjArray mapOps = client.objArray(
                List.of(op(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, VA_4K, PAGES * SZ_4K)));
        DrmPanthorObjArray unmapOps = client.objArray(
                List.of(op(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, VA_4K, PAGES * SZ_4K)));
        mapArgs = process.allocStruct(new DrmPanthorVmBind(vmId, 0, mapOps));
        unmapArgs = process.allocStruct(new DrmPanthorVmBind(vmId, 0, unmapOps));
        VmRef vm = harness.subsystems().mmu().call(Mmu::vms).stream()
                .filter(v -> v.clientId() != 0 && v.handle() == vmId).findFirst().orElseThrow().vm();
        if (as.equals("bound")) {
            /* a runtime-PM reference, as a busy GPU holds: no autosuspend takes the AS away */
            if (harness.deviceCore().resumeAndGet() != 0 || harness.subsystems().mmu().call(x -> x.vmActive(vm)) != 0) {
                throw new IllegalStateException("no address space");
            }
        }
    }

    private static DrmPanthorVmBindOp op(int type, int handle, long va, long size) {
        return new DrmPanthorVmBindOp(type, handle, 0, va, size, DrmPanthorObjArray.EMPTY);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (mmu instanceof PanthorMmu c) {
            c.deactivate();
        } else if (mmu instanceof RewrittenMmu r) {
            r.deactivate();
        }
        model.shutdown();
        if (harness != null) {
            process.exit();
            harness.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void map4k() {
        mmu.vmBind(call, bind, map4k);
        mmu.vmBind(call, bind, unmap4k);
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void map2m() {
        mmu.vmBind(call, bind, map2m);
        mmu.vmBind(call, bind, unmap2m);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public int map4kUabi() {
        int a = process.ioctl(fd, PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, mapArgs);
        int b = process.ioctl(fd, PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, unmapArgs);
        if ((a | b) != 0) {
            throw new IllegalStateException("VM_BIND failed: " + a + ", " + b);
        }
        return a;
    }
}
