package workload.internal.load;

import driver.core.api.DrmDevice;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.SegmentationFault;
import driver.core.user.UserProcess;
import hw.model.api.VirtualTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import workload.internal.cs.CsBuilder;
import workload.internal.cs.JobStreams;

/**
 * DOC: One load client: a simulated process driving the GPU the way a Mesa driver would.
 *
 * Everything goes through the UABI byte path of its own {@link UserProcess}
 * ({@link PanthorClient} writes each struct into the process's memory and issues the ioctl):
 * DEV_QUERY for the core masks and the CS register file, VM_CREATE, BO_CREATE + mmap for
 * the CPU side, VM_BIND (synchronous) for the GPU side, GROUP_CREATE, GROUP_SUBMIT, SYNCOBJ_*
 * and GROUP_GET_STATE. The command streams are built by the client's own encoder
 * ({@link CsBuilder}) and written through the CPU mapping of a BO.
 *
 * Objects. A main VM holding three BOs: the stream BO (one 512-byte stream area per job
 * context), the result BO (one 16-byte result slot per context, and a word nobody writes that
 * hang jobs wait on) and the sync BO (the client's 64-bit sync object, PRIME-exportable). One
 * group of three queues: q0 the producer (stores, loops, compute, PRODUCE: SYNC_ADD64 on the
 * sync object), q1 the consumer (waits, GPU-side SYNC_WAIT64 or kernel-side syncobj waits, on
 * q0 or on another client's q0), q2 compute. Producers never wait, so waits cannot form a
 * cycle. Each queue has a timeline syncobj; job n of a queue signals point n. With deliberate
 * faults, a victim VM (the stream and result BOs bound at the same addresses, nothing else)
 * and a victim group with one queue take the faulting jobs and a few ordinary stores; a fault
 * kills only the victim group, which the client destroys, with its VM, and re-creates on a
 * fresh VM once all its jobs are resolved.
 *
 * Between clients ({@link #connect}): the producer exports its sync BO as a dma-buf
 * (PRIME_HANDLE_TO_FD) and its q0 timeline syncobj as a syncobj fd (SYNCOBJ_HANDLE_TO_FD); the
 * fds travel to the consumer process as over a Unix socket ({@link UserProcess#sendFd}), which
 * imports them (PRIME_FD_TO_HANDLE + VM_BIND, SYNCOBJ_FD_TO_HANDLE). A consumer only waits for
 * what the producer has already submitted: the producer publishes its submitted q0 point and
 * PRODUCE count after each GROUP_SUBMIT returns (the message a real client would send), so
 * every wait is eventually satisfied.
 *
 * Checking. A job is resolved once its timeline point has signalled (SYNCOBJ_QUERY of all
 * timelines in one call, or SYNCOBJ_TIMELINE_WAIT when idle): its result slot (read through
 * the CPU mapping) must hold exactly the expected value, and a consumer's observed value must
 * be at least its target. If not, GROUP_GET_STATE tells why, and the fence error the kernel
 * gave the job follows Panthor's rule ({@code group_term_post_processing}): -EINVAL for a queue
 * in fatal_queues, else -ETIMEDOUT for a timed-out group, else -ECANCELED (user space cannot
 * read a fence error through a syncobj, so it is derived the way Panthor assigns it). A job
 * made to fail must fail with its expected error; any other failure, a wrong value, or a
 * deliberate fault that completes is unexpected. A GROUP_SUBMIT that fails fails its jobs
 * with the errno. At the end each timeline must have reached its last submitted point and the
 * sync object must equal the number of PRODUCE jobs; whatever is still unresolved after the
 * drain deadline is lost.
 *
 * A client is driven by one thread at a time ({@link #step}, {@link #awaitProgress}).
 */
final class LoadClient implements AutoCloseable {

    static final long STREAM_VA = 0x0100_0000L;
    static final long RESULT_VA = 0x0200_0000L;
    static final long SYNC_VA = 0x0300_0000L;
    static final long REMOTE_SYNC_VA = 0x0400_0000L;
    /** Never mapped in the victim VM. */
    static final long UNMAPPED_VA = 0x0700_0000L;

    static final int STREAM_BYTES = 512;
    static final int QUEUES = 3;
    static final int Q_PRODUCER = 0;
    static final int Q_CONSUMER = 1;
    static final int Q_COMPUTE = 2;
    /** Index of the victim queue's timeline. */
    static final int T_VICTIM = 3;
    static final int RING_BYTES = 32 * 1024;
    static final int MAX_SUBMITS_PER_IOCTL = 16;
    /** A few ordinary stores go to a live victim so that jobs before a fault are seen to complete. */
    static final int VICTIM_STORE_ONE_IN = 16;
    /** Faults are placed among the first jobs of an unbounded run. */
    static final int UNBOUNDED_FAULT_SPAN = 1000;

    /** What a producer has submitted, published after its GROUP_SUBMIT returned. */
    record Published(long q0Point, long producesAtPoint) {
    }

    private enum VictimState { NONE, READY, DOOMED }

    final int index;
    final String name;
    private final LoadConfig config;
    private final VirtualTime time;
    /** One draw per job: the kind sequence depends on the seed only. */
    private final Random kindRng;
    /** Parameters (queues, loop counts, targets, fault kinds). */
    private final Random rng;
    private final long quota;
    private final Consumer<String> problems;

    private UserProcess process;
    private PanthorClient client;
    private CsBuilder builder;

    private int vmId;
    private int victimVmId;
    private int streamBo;
    private int resultBo;
    private int syncBo;
    private long streamCpu;
    private long resultCpu;
    private long syncCpu;
    private long resultBytes;
    private long streamBytesMapped;
    private long hangVa;
    private int group;
    private int victimGroup;
    private int victimInstance;
    private VictimState victim = VictimState.NONE;
    private long computeMask;
    private long tilerMask;

    /** Timeline syncobj per queue: q0..q2 then the victim queue. */
    private final int[] timelines = new int[QUEUES + 1];
    private final long[] lastPoint = new long[QUEUES + 1];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Job>[] pending = new ArrayDeque[QUEUES + 1];
    private final BitSet freeContexts = new BitSet();

    private LoadClient producer;
    private int remoteTimeline;
    private volatile Published published = new Published(0, 0);
    private volatile long producesSubmitted;
    private long producesResolved;

    private final TreeSet<Long> faultAt = new TreeSet<>();
    private int faultsDue;
    private long issued;
    private boolean ready;

    final AtomicLong submitted = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong failedExpected = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    /** Jobs submitted per {@link JobKind} (by ordinal). */
    final AtomicLongArray kinds = new AtomicLongArray(JobKind.values().length);
    /** Longest submit-to-resolution time seen, in virtual nanoseconds, and the job it was. */
    final AtomicLong maxLatencyNanos = new AtomicLong();
    volatile String slowestJob = "";

    LoadClient(int index, LoadConfig config, VirtualTime time, Consumer<String> problems) {
        this.index = index;
        this.name = "load-" + index;
        this.config = config;
        this.time = time;
        this.problems = problems;
        this.kindRng = new Random(config.seed() * 1_000_003L + index);
        this.rng = new Random(~config.seed() * 998_244_353L + index);
        this.quota = config.jobsOf(index);
        for (int i = 0; i < pending.length; i++) {
            pending[i] = new ArrayDeque<>();
        }
        int faults = config.faultsOf(index);
        long span = quota > 0 ? quota : UNBOUNDED_FAULT_SPAN;
        if (quota > 0) {
            faults = (int) Math.min(faults, quota);
        }
        while (faultAt.size() < faults) {
            faultAt.add((long) rng.nextInt((int) Math.min(span, Integer.MAX_VALUE)));
        }
    }

    // ------------------------------------------------------------------ set-up

    /** Creates the process and every object it uses; an {@link IoctlException} if the driver refuses. */
    void setUp(DrmDevice drm) {
        process = drm.newProcess(name, Credentials.user());
        client = PanthorClient.open(process, DrmDevice.RENDER_NODE);
        DrmPanthorGpuInfo gpu = client.gpuInfo();
        DrmPanthorCsifInfo csif = client.csifInfo();
        computeMask = gpu.shaderPresent();
        tilerMask = gpu.tilerPresent();
        builder = new CsBuilder(csif.csRegCount());

        int contexts = config.window();
        for (int i = 0; i < contexts; i++) {
            freeContexts.set(i);
        }
        long streamBytes = pageAlign((long) contexts * STREAM_BYTES);
        resultBytes = pageAlign((long) contexts * JobStreams.SLOT_BYTES + 64);
        hangVa = RESULT_VA + resultBytes - 64;

        vmId = client.vmCreate(0).id();
        DrmPanthorBoCreate s = client.boCreate(streamBytes, 0, 0);
        DrmPanthorBoCreate r = client.boCreate(resultBytes, 0, 0);
        DrmPanthorBoCreate y = client.boCreate(4096, 0, 0);
        streamBo = s.handle();
        resultBo = r.handle();
        syncBo = y.handle();
        streamCpu = client.mmapBo(streamBo, s.size());
        resultCpu = client.mmapBo(resultBo, r.size());
        syncCpu = client.mmapBo(syncBo, y.size());
        bind(vmId, streamBo, STREAM_VA, s.size());
        bind(vmId, resultBo, RESULT_VA, r.size());
        bind(vmId, syncBo, SYNC_VA, y.size());
        group = createGroup(vmId, QUEUES);
        for (int i = 0; i < timelines.length; i++) {
            timelines[i] = client.syncobjCreate(0);
        }
        streamBytesMapped = s.size();
        if (!faultAt.isEmpty()) {
            createVictim();
        }
    }

    /**
     * A victim VM (the stream and result BOs at their usual addresses, nothing else) and a
     * one-queue group on it. Every victim instance gets a fresh VM, as a driver recovering
     * from a lost context would, so nothing of the faulted address space carries over.
     */
    private void createVictim() {
        victimVmId = client.vmCreate(0).id();
        bind(victimVmId, streamBo, STREAM_VA, streamBytesMapped);
        bind(victimVmId, resultBo, RESULT_VA, resultBytes);
        victimGroup = createGroup(victimVmId, 1);
        victim = VictimState.READY;
    }

    /** Imports {@code from}'s sync BO and q0 timeline: this client's remote consumers wait on them. */
    void connect(LoadClient from) {
        int dmabuf = from.client.primeHandleToFd(from.syncBo, DrmIoctls.DRM_CLOEXEC | DrmIoctls.DRM_RDWR);
        int syncFd = from.client.syncobjHandleToFd(from.timelines[Q_PRODUCER], 0, 0);
        try {
            int dmabufHere = from.process.sendFd(dmabuf, process);
            int syncFdHere = from.process.sendFd(syncFd, process);
            if (dmabufHere < 0 || syncFdHere < 0) {
                throw new IoctlException("sendmsg(SCM_RIGHTS)", -Math.min(dmabufHere, syncFdHere));
            }
            try {
                int imported = client.primeFdToHandle(dmabufHere);
                bind(vmId, imported, REMOTE_SYNC_VA, 4096);
                remoteTimeline = client.syncobjFdToHandle(syncFdHere, 0, 0, 0);
            } finally {
                process.close(dmabufHere);
                process.close(syncFdHere);
            }
        } finally {
            from.process.close(dmabuf);
            from.process.close(syncFd);
        }
        producer = from;
    }

    /** Everything is set up; jobs may be submitted. */
    void markReady() {
        ready = true;
    }

    private void bind(int vm, int bo, long va, long size) {
        client.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
                | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, 0, va, size, DrmPanthorObjArray.EMPTY)));
    }

    private int createGroup(int vm, int queues) {
        List<DrmPanthorQueueCreate> qs = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            qs.add(new DrmPanthorQueueCreate(0, 0, 0, 0, RING_BYTES));
        }
        DrmPanthorGroupCreate args = new DrmPanthorGroupCreate(DrmPanthorObjArray.EMPTY, Long.bitCount(computeMask),
                Long.bitCount(computeMask), Long.bitCount(tilerMask), PanthorIoctls.PANTHOR_GROUP_PRIORITY_MEDIUM, 0,
                computeMask, computeMask, tilerMask, vm, 0);
        return client.groupCreate(args, qs);
    }

    private static long pageAlign(long n) {
        return (n + 4095) & ~4095L;
    }

    // ------------------------------------------------------------------ driving

    /** Whether every job of the quota was submitted (never for an unbounded run). */
    boolean quotaDone() {
        return quota > 0 && issued >= quota;
    }

    int outstanding() {
        int n = 0;
        for (ArrayDeque<Job> q : pending) {
            n += q.size();
        }
        return n;
    }

    /**
     * Resolves what has completed and, if {@code submit}, submits more up to the window.
     * Returns whether anything happened.
     */
    boolean step(boolean submit) {
        boolean progress = poll();
        progress |= maintainVictim();
        if (submit && ready) {
            progress |= submitMore();
        }
        return progress;
    }

    /** Blocks (in SYNCOBJ_TIMELINE_WAIT) until the oldest job of some queue signals, at most {@code nanos}. */
    void awaitProgress(long nanos) {
        int n = 0;
        for (ArrayDeque<Job> q : pending) {
            if (!q.isEmpty()) {
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        int[] handles = new int[n];
        long[] points = new long[n];
        int k = 0;
        for (int i = 0; i < pending.length; i++) {
            if (!pending[i].isEmpty()) {
                handles[k] = timelines[i];
                points[k++] = pending[i].peekFirst().point;
            }
        }
        try {
            client.syncobjTimelineWait(handles, points, time.nowNanos() + Math.max(1, nanos), 0);
        } catch (IoctlException e) {
            if (e.errno() != Errno.ETIME) {
                problem("SYNCOBJ_TIMELINE_WAIT failed: " + Errno.name(e.errno()));
            }
        }
    }

    private boolean poll() {
        if (outstanding() == 0) {
            return false;
        }
        long[] signalled;
        try {
            signalled = client.syncobjQuery(timelines, 0);
        } catch (IoctlException e) {
            problem("SYNCOBJ_QUERY failed: " + Errno.name(e.errno()));
            return false;
        }
        boolean progress = false;
        for (int q = 0; q < pending.length; q++) {
            ArrayDeque<Job> queue = pending[q];
            while (!queue.isEmpty() && queue.peekFirst().point <= signalled[q]) {
                resolve(queue.pollFirst());
                progress = true;
            }
        }
        return progress;
    }

    private void resolve(Job job) {
        long slot = resultCpu + (long) job.context * JobStreams.SLOT_BYTES;
        long value = process.read64(slot);
        long observed = process.read64(slot + 8);
        boolean effect = value == job.expectedValue && (job.minObserved < 0 || Long.compareUnsigned(observed, job.minObserved) >= 0);
        if (job.kind == JobKind.PRODUCE && effect) {
            producesResolved++;
        }
        if (effect && !job.kind.fault()) {
            finish(job, Job.Outcome.COMPLETED);
            completed.incrementAndGet();
            return;
        }
        int handle = job.victimInstance >= 0 ? victimGroup : group;
        int error;
        if (job.victimInstance >= 0 && job.victimInstance != victimInstance) {
            error = -1;
        } else {
            error = fenceError(handle, job.victimInstance >= 0 ? 0 : job.queue);
        }
        if (error == 0) {
            if (job.kind.fault()) {
                finish(job, Job.Outcome.COMPLETED);
                completed.incrementAndGet();
                unexpected.incrementAndGet();
                problem(job + ": deliberate fault did not fail the group");
            } else {
                finish(job, Job.Outcome.FAILED);
                failed.incrementAndGet();
                unexpected.incrementAndGet();
                problem(String.format("%s: signalled with slot 0x%x (want 0x%x), observed %d (want >= %d), group alive",
                        job, value, job.expectedValue, observed, job.minObserved));
            }
            return;
        }
        finish(job, Job.Outcome.FAILED);
        failed.incrementAndGet();
        if (job.kind.fault() && error == job.expectedError) {
            failedExpected.incrementAndGet();
        } else {
            unexpected.incrementAndGet();
            problem(job + ": failed with " + (error < 0 ? "an unknown error" : "-" + Errno.name(error))
                    + (job.kind.fault() ? " (expected -" + Errno.name(job.expectedError) + ")" : ""));
        }
    }

    /** The fence error Panthor gives jobs of {@code queue} in group {@code handle}: 0 while the group is alive. */
    private int fenceError(int handle, int queue) {
        DrmPanthorGroupGetState st;
        try {
            st = client.groupGetState(handle);
        } catch (IoctlException e) {
            return -1;
        }
        if ((st.fatalQueues() & (1 << queue)) != 0) {
            return Errno.EINVAL;
        }
        if ((st.state() & PanthorIoctls.DRM_PANTHOR_GROUP_STATE_TIMEDOUT) != 0) {
            return Errno.ETIMEDOUT;
        }
        if (st.state() != 0) {
            return Errno.ECANCELED;
        }
        return 0;
    }

    private void finish(Job job, Job.Outcome outcome) {
        if (job.outcome != Job.Outcome.PENDING) {
            throw new IllegalStateException(job + " resolved twice");
        }
        job.outcome = outcome;
        freeContexts.set(job.context);
        long latency = time.nowNanos() - job.submitNanos;
        if (job.submitNanos > 0 && latency > maxLatencyNanos.get()) {
            maxLatencyNanos.set(latency);
            slowestJob = job.toString();
        }
    }

    /** Re-creates a victim group whose deliberate fault has been resolved. */
    private boolean maintainVictim() {
        if (victim != VictimState.DOOMED || !pending[T_VICTIM].isEmpty()) {
            return false;
        }
        try {
            client.groupDestroy(victimGroup);
            client.vmDestroy(victimVmId);
            createVictim();
            victimInstance++;
        } catch (IoctlException e) {
            problem("re-creating the victim group failed: " + Errno.name(e.errno()));
            victim = VictimState.NONE;
            faultsDue = 0;
            faultAt.clear();
        }
        return true;
    }

    // ------------------------------------------------------------------ submitting

    private boolean submitMore() {
        List<Job> mainJobs = new ArrayList<>();
        List<Job> victimJobs = new ArrayList<>();
        Published remote = producer == null ? null : producer.published;
        long remoteProduces = producer == null ? 0 : producer.producesSubmitted;
        long q0Point = lastPoint[Q_PRODUCER];
        long producesBefore = producesSubmitted;
        long producesAtQ0Point = published.producesAtPoint();
        List<DrmPanthorQueueSubmit> mainSubmits = new ArrayList<>();
        List<DrmPanthorQueueSubmit> victimSubmits = new ArrayList<>();
        long[] point = lastPoint.clone();
        long produces = producesBefore;
        long producesAtPoint = producesAtQ0Point;

        while (mainSubmits.size() + victimSubmits.size() < MAX_SUBMITS_PER_IOCTL && !freeContexts.isEmpty()
                && (quota == 0 || issued < quota)) {
            if (!faultAt.isEmpty() && faultAt.first() <= issued) {
                faultAt.pollFirst();
                faultsDue++;
            }
            long remaining = quota == 0 ? Long.MAX_VALUE : quota - issued;
            JobKind kind;
            boolean onVictim = false;
            if (faultsDue > 0 && victim == VictimState.READY) {
                kind = pickFault();
                onVictim = true;
                faultsDue--;
            } else if (faultsDue > 0 && remaining <= faultsDue) {
                break;
            } else {
                kind = pickKind(remote, remoteProduces, produces, q0Point);
                onVictim = victim == VictimState.READY && kind == JobKind.STORE && rng.nextInt(VICTIM_STORE_ONE_IN) == 0;
            }
            int ctx = freeContexts.nextSetBit(0);
            freeContexts.clear(ctx);
            long seq = issued++;
            long token = ((long) (index + 1) << 40) | (seq & 0xff_ffff_ffffL);
            long slotVa = RESULT_VA + (long) ctx * JobStreams.SLOT_BYTES;
            long slotCpu = resultCpu + (long) ctx * JobStreams.SLOT_BYTES;
            process.write64(slotCpu, 0);
            process.write64(slotCpu + 8, 0);
            builder.reset();
            long expected = token;
            long minObserved = -1;
            int expectedError = 0;
            int queue;
            List<DrmPanthorSyncOp> waits = new ArrayList<>();
            switch (kind) {
                case STORE -> {
                    JobStreams.store(builder, slotVa, token);
                    queue = onVictim ? 0 : rng.nextInt(QUEUES);
                }
                case LOOP -> {
                    int iterations = 1 + rng.nextInt(32);
                    int step = 1 + rng.nextInt(1000);
                    JobStreams.loop(builder, slotVa, token, iterations, step);
                    expected = JobStreams.loopResult(token, iterations, step);
                    queue = rng.nextBoolean() ? Q_PRODUCER : Q_COMPUTE;
                }
                case COMPUTE -> {
                    JobStreams.compute(builder, slotVa, token, 64, 1 + rng.nextInt(8));
                    queue = rng.nextBoolean() ? Q_COMPUTE : Q_PRODUCER;
                }
                case PRODUCE -> {
                    JobStreams.produce(builder, slotVa, token, SYNC_VA);
                    queue = Q_PRODUCER;
                    produces++;
                }
                case CONSUME_GPU -> {
                    long target = 1 + (long) (rng.nextDouble() * producesBefore);
                    target = Math.min(Math.max(target, 1), producesBefore);
                    JobStreams.consumeGpu(builder, slotVa, token, SYNC_VA, target);
                    minObserved = target;
                    queue = Q_CONSUMER;
                }
                case CONSUME_KERNEL -> {
                    JobStreams.consumeKernel(builder, slotVa, token, SYNC_VA);
                    waits.add(timelineOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_WAIT, timelines[Q_PRODUCER], q0Point));
                    minObserved = producesAtQ0Point;
                    queue = Q_CONSUMER;
                }
                case CONSUME_REMOTE_GPU -> {
                    long target = 1 + (long) (rng.nextDouble() * remoteProduces);
                    target = Math.min(Math.max(target, 1), remoteProduces);
                    JobStreams.consumeGpu(builder, slotVa, token, REMOTE_SYNC_VA, target);
                    minObserved = target;
                    queue = Q_CONSUMER;
                }
                case CONSUME_REMOTE_KERNEL -> {
                    JobStreams.consumeKernel(builder, slotVa, token, REMOTE_SYNC_VA);
                    waits.add(timelineOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_WAIT, remoteTimeline, remote.q0Point()));
                    minObserved = remote.producesAtPoint();
                    queue = Q_CONSUMER;
                }
                case FAULT_MMU -> {
                    JobStreams.faultMmu(builder, UNMAPPED_VA, token);
                    expectedError = Errno.EINVAL;
                    queue = 0;
                }
                case FAULT_INVALID -> {
                    JobStreams.faultInvalid(builder);
                    expectedError = Errno.EINVAL;
                    queue = 0;
                }
                case FAULT_HANG -> {
                    JobStreams.faultHang(builder, hangVa);
                    expectedError = Errno.ETIMEDOUT;
                    queue = 0;
                }
                default -> throw new IllegalStateException(kind.toString());
            }
            byte[] code = builder.toBytes();
            long streamVa = STREAM_VA + (long) ctx * STREAM_BYTES;
            process.writeBytes(streamCpu + (long) ctx * STREAM_BYTES, code);
            int timeline = onVictim ? T_VICTIM : queue;
            Job job = new Job(seq, kind, queue, token, expected, minObserved, expectedError, ctx,
                    onVictim ? victimInstance : -1);
            job.point = ++point[timeline];
            if (queue == Q_PRODUCER && !onVictim) {
                producesAtPoint = produces;
            }
            List<DrmPanthorSyncOp> syncs = new ArrayList<>(waits);
            syncs.add(timelineOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL, timelines[timeline], job.point));
            DrmPanthorQueueSubmit submit = new DrmPanthorQueueSubmit(queue, code.length, streamVa, 0, 0,
                    client.objArray(syncs, DrmPanthorSyncOp.SIZE));
            if (onVictim) {
                victimJobs.add(job);
                victimSubmits.add(submit);
                if (kind.fault()) {
                    victim = VictimState.DOOMED;
                }
            } else {
                mainJobs.add(job);
                mainSubmits.add(submit);
            }
        }
        if (mainJobs.isEmpty() && victimJobs.isEmpty()) {
            return false;
        }
        // Both batches' sync arrays live in the client's arena until the next typed call returns,
        // so the second GROUP_SUBMIT would find them freed: submit the victim batch with its own
        // arrays rebuilt after the first call.
        submitBatch(group, mainJobs, mainSubmits, false);
        if (!victimJobs.isEmpty()) {
            List<DrmPanthorQueueSubmit> rebuilt = new ArrayList<>();
            for (int i = 0; i < victimJobs.size(); i++) {
                Job j = victimJobs.get(i);
                DrmPanthorQueueSubmit s = victimSubmits.get(i);
                rebuilt.add(s.withSyncs(client.objArray(List.of(timelineOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL,
                        timelines[T_VICTIM], j.point)), DrmPanthorSyncOp.SIZE)));
            }
            submitBatch(victimGroup, victimJobs, rebuilt, true);
        }
        long lastQ0 = lastPoint[Q_PRODUCER];
        if (lastQ0 != q0Point) {
            published = new Published(lastQ0, producesAtPoint);
        }
        return true;
    }

    private void submitBatch(int handle, List<Job> jobs, List<DrmPanthorQueueSubmit> submits, boolean onVictim) {
        if (jobs.isEmpty()) {
            return;
        }
        submitted.addAndGet(jobs.size());
        long now = time.nowNanos();
        for (Job j : jobs) {
            j.submitNanos = now;
            kinds.incrementAndGet(j.kind.ordinal());
        }
        try {
            client.groupSubmit(handle, submits);
        } catch (IoctlException e) {
            for (Job j : jobs) {
                finish(j, Job.Outcome.FAILED);
                failed.incrementAndGet();
                unexpected.incrementAndGet();
            }
            problem("GROUP_SUBMIT of " + jobs.size() + " jobs failed: -" + Errno.name(e.errno()));
            if (onVictim) {
                victim = VictimState.DOOMED;
            }
            return;
        }
        for (Job j : jobs) {
            int timeline = onVictim ? T_VICTIM : j.queue;
            pending[timeline].addLast(j);
            lastPoint[timeline] = j.point;
            if (j.kind == JobKind.PRODUCE) {
                producesSubmitted++;
            }
        }
    }

    private JobKind pickFault() {
        return switch (config.faultMix() == LoadConfig.FaultMix.HANGS ? 2
                : rng.nextInt(config.faultMix() == LoadConfig.FaultMix.WITH_HANGS ? 3 : 2)) {
            case 0 -> JobKind.FAULT_MMU;
            case 1 -> JobKind.FAULT_INVALID;
            default -> JobKind.FAULT_HANG;
        };
    }

    /** The job mix (weights out of 100), falling back to STORE when a consumer has nothing to wait for. */
    private JobKind pickKind(Published remote, long remoteProduces, long producesBefore, long q0Point) {
        int r = kindRng.nextInt(100);
        JobKind kind;
        if (r < 20) {
            kind = JobKind.STORE;
        } else if (r < 35) {
            kind = JobKind.LOOP;
        } else if (r < 50) {
            kind = JobKind.COMPUTE;
        } else if (r < 70) {
            kind = JobKind.PRODUCE;
        } else if (r < 80) {
            kind = producesSubmitted > 0 ? JobKind.CONSUME_GPU : JobKind.STORE;
        } else if (r < 90) {
            kind = q0Point > 0 ? JobKind.CONSUME_KERNEL : JobKind.STORE;
        } else if (r < 95) {
            kind = remoteProduces > 0 ? JobKind.CONSUME_REMOTE_GPU : JobKind.STORE;
        } else {
            kind = remote != null && remote.q0Point() > 0 ? JobKind.CONSUME_REMOTE_KERNEL : JobKind.STORE;
        }
        return kind;
    }

    private static DrmPanthorSyncOp timelineOp(int direction, int handle, long point) {
        return new DrmPanthorSyncOp(direction | PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, handle, point);
    }

    // ------------------------------------------------------------------ the end

    /**
     * Counts what is still unresolved as lost, then checks the kernel's view: every timeline
     * at its last submitted point, the sync object equal to the PRODUCE jobs that completed.
     */
    void finishRun() {
        int left = outstanding();
        if (left > 0) {
            lost.addAndGet(left);
            StringBuilder sb = new StringBuilder(name + ": " + left + " jobs lost:");
            for (ArrayDeque<Job> q : pending) {
                int shown = 0;
                for (Job j : q) {
                    if (shown++ < 4) {
                        sb.append(' ').append(j);
                    }
                }
            }
            problem(sb.toString());
            return;
        }
        try {
            long[] points = client.syncobjQuery(timelines, 0);
            for (int i = 0; i < points.length; i++) {
                if (points[i] != lastPoint[i]) {
                    unexpected.incrementAndGet();
                    problem(name + ": timeline " + i + " at point " + points[i] + ", last submitted " + lastPoint[i]);
                }
            }
            long counter = process.read64(syncCpu);
            if (counter != producesResolved) {
                unexpected.incrementAndGet();
                problem(name + ": sync object holds " + counter + ", " + producesResolved + " PRODUCE jobs completed");
            }
        } catch (IoctlException | SegmentationFault e) {
            unexpected.incrementAndGet();
            problem(name + ": final check failed: " + e.getMessage());
        }
    }

    private void problem(String message) {
        problems.accept(name + ": " + message);
    }

    /** Ends the process: the driver closes the file, destroying its groups, VMs and syncobjs. */
    @Override
    public void close() {
        if (process != null) {
            process.exit();
        }
    }
}
