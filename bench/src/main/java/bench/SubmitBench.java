package bench;

import driver.core.api.DrmDevice;
import driver.core.kernel.TimeStepper;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import driver.mmu.cstyle.PanthorMmu;
import driver.sched.cstyle.PanthorSched;
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
import workload.internal.cs.CsBuilder;
import workload.internal.cs.JobStreams;
import workload.internal.load.LoadConfig;
import workload.internal.load.LoadEngine;
import workload.internal.load.LoadRun;
import workload.internal.load.LoadSummary;

/**
 * Jobs through the UABI byte path, C-style MMU and scheduler, on the G610 model.
 *
 * <ul>
 *   <li>{@code submitToCompletion}: one process, one group, one queue. Each operation writes a
 *       STORE job's stream through the CPU mapping of a BO, GROUP_SUBMITs it with a timeline
 *       SIGNAL, then polls SYNCOBJ_QUERY, moving deterministic virtual time 20 us at a time
 *       (with the kernel work it triggers drained) until the point signals, and checks the
 *       stored token. The score is the wall-clock cost of the whole path (ioctls, job queueing,
 *       ring writes, doorbell, firmware and interpreter, IRQ, fence signalling), not the virtual
 *       latency.</li>
 *   <li>{@code loadRun}: the {@code gpu:load} engine: {@code clients} processes on their own
 *       threads running 2,000 jobs of the standard mix in total (set-up and teardown of the
 *       processes included); the score is jobs per second. {@code time=stepped}: deterministic
 *       time, all clients on the benchmark thread, time moved 20 us when nothing progresses;
 *       {@code time=realtime}: the container's mode, one thread per client, virtual time
 *       following the wall clock.</li>
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SubmitBench {

    static final long STREAM_VA = 0x100_0000L;
    /** Virtual time moved per idle step (with the work it triggers drained). */
    static final long STEP_NANOS = 20_000L;
    static final long RESULT_VA = 0x200_0000L;

    @State(Scope.Benchmark)
    public static class OneQueue {
        DriverHarness h;
        UserProcess process;
        PanthorClient client;
        int group;
        int timeline;
        long streamCpu;
        long resultCpu;
        long point;
        long token = 1;
        final CsBuilder builder = new CsBuilder();
        TimeStepper stepper;

        @Setup(Level.Trial)
        public void setUp() {
            h = DriverHarness.start();
            install(h);
            process = h.newProcess("submit-bench");
            client = PanthorClient.open(process, DrmDevice.RENDER_NODE);
            int vm = client.vmCreate(0).id();
            DrmPanthorBoCreate streams = client.boCreate(4096, 0, 0);
            DrmPanthorBoCreate results = client.boCreate(4096, 0, 0);
            streamCpu = client.mmapBo(streams.handle(), streams.size());
            resultCpu = client.mmapBo(results.handle(), results.size());
            bind(client, vm, streams.handle(), STREAM_VA);
            bind(client, vm, results.handle(), RESULT_VA);
            long cores = h.gpuInfo().shaderPresent();
            long tiler = h.gpuInfo().tilerPresent();
            group = client.groupCreate(new DrmPanthorGroupCreate(DrmPanthorObjArray.EMPTY, Long.bitCount(cores),
                    Long.bitCount(cores), Long.bitCount(tiler), PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 0, cores,
                    cores, tiler, vm, 0), List.of(new DrmPanthorQueueCreate(0, 0, 0, 0, 64 * 1024)));
            timeline = client.syncobjCreate(0);
            stepper = new TimeStepper(h.time());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            process.exit();
            h.close();
        }
    }

    static void install(DriverHarness h) {
        h.install("mmu", "cstyle", new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device()));
        h.install("sched", "cstyle", new PanthorSched(h.subsystems(), h.deviceCore().firmwareApi(), h.time(),
                h.gpuInfo()));
    }

    static void bind(PanthorClient c, int vm, int bo, long va) {
        c.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, bo, 0, va, 4096,
                DrmPanthorObjArray.EMPTY)));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long submitToCompletion(OneQueue s) {
        long token = ++s.token;
        s.builder.reset();
        byte[] code = JobStreams.store(s.builder, RESULT_VA, token).toBytes();
        s.process.writeBytes(s.streamCpu, code);
        long point = ++s.point;
        DrmPanthorSyncOp signal = new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL
                | PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, s.timeline, point);
        s.client.groupSubmit(s.group, List.of(new DrmPanthorQueueSubmit(0, code.length, STREAM_VA, 0, 0,
                s.client.objArray(List.of(signal), DrmPanthorSyncOp.SIZE))));
        int[] handles = {s.timeline};
        long deadline = s.h.time().nowNanos() + 1_000_000_000L;
        while (s.client.syncobjQuery(handles, 0)[0] < point) {
            if (s.h.time().nowNanos() > deadline) {
                throw new IllegalStateException("job " + point + " did not complete in 1 s of virtual time");
            }
            s.stepper.advance(STEP_NANOS);
        }
        long stored = s.process.read64(s.resultCpu);
        if (stored != token) {
            throw new IllegalStateException("job " + point + " stored " + stored + ", want " + token);
        }
        return stored;
    }

    static final int LOAD_JOBS = 2000;

    @State(Scope.Benchmark)
    public static class Load {
        @Param({"1", "8"})
        int clients;

        @Param({"stepped", "realtime"})
        String time;

        DriverHarness h;
        LoadEngine engine;
        TimeStepper stepper;
        long seed;

        @Setup(Level.Trial)
        public void setUp() {
            h = "realtime".equals(time) ? DriverHarness.startRealtime() : DriverHarness.start();
            install(h);
            engine = new LoadEngine(h.drm(), h.time());
            stepper = new TimeStepper(h.time());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            h.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(LOAD_JOBS)
    public LoadSummary loadRun(Load s) {
        LoadConfig config = LoadConfig.of(s.clients, LOAD_JOBS, ++s.seed);
        LoadRun run = "realtime".equals(s.time) ? s.engine.run(config)
                : s.engine.runStepped(config, s.h::drainWork, () -> s.stepper.advance(STEP_NANOS));
        LoadSummary summary = run.summary();
        if (!summary.clean() || summary.completed() != LOAD_JOBS) {
            throw new IllegalStateException(summary.line() + " " + run.problems());
        }
        return summary;
    }
}
