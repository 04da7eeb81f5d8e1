package driver.sched.cstyle;

import static hw.model.csf.CsfLayout.*;
import static hw.model.regs.MaliRegs.EXCEPTION_CS_UNRECOVERABLE;
import static hw.model.regs.MaliRegs.JOB_INT_GLOBAL_IF;

import driver.core.api.GpuInfo;
import driver.core.api.PanthorDevice;
import driver.core.fw.PanthorFirmware;
import driver.core.kernel.DelayedWork;
import driver.core.kernel.DmaFence;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.Syncobj;
import driver.core.kernel.WorkQueue;
import driver.core.slot.IncompatibleStateException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.coredump.CoredumpSnapshot;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.sched.CsgSlotInfo;
import driver.core.subsys.sched.GroupInfo;
import driver.core.subsys.sched.QueueInfo;
import driver.core.subsys.sched.Sched;
import driver.core.subsys.sched.SchedState;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: panthor_sched.c, C style.
 *
 * {@code struct panthor_scheduler} and the functions of {@code panthor_sched.c} with their C
 * names in camelCase ({@code tick_work} → {@link #tickWork}, {@code queue_run_job} →
 * {@link #queueRunJobLocked}). Internal functions return 0 or a negative errno; the contract
 * methods throw {@link ErrnoException}. Groups ({@link PanthorGroup}) hold 1..N queues
 * ({@link PanthorQueue}) with a kernel ring buffer each; jobs ({@link PanthorJob}) are pushed
 * into the ring as Panthor's fixed instruction sequence (MOV32 flush id, FLUSH_CACHE2,
 * MOV48/MOV32 stream address and size, WAIT, CALL, MOV48 sync address, MOV48 1, WAIT all,
 * SYNC_ADD64 with error propagation, ERROR_BARRIER, NOPs to {@value #NUM_INSTRS_PER_SLOT}
 * instructions, two 64-byte cachelines), the queue's doorbell is rung, and the job's done fence
 * signals when the queue's 64-bit sync object reaches the job's seqno (CSG_SYNC_UPDATE →
 * {@link #syncUpdWork}).
 *
 * <p>Scheduling: the firmware runs at most {@code csg_slot_count} groups; {@link #tickWork}
 * (every {@value #TICK_PERIOD_MS} ms while groups are left out, stopped when everything fits)
 * refreshes the resident groups' status (STATUS_UPDATE), picks the groups to run (priority
 * high to low: non-idle groups, then idle ones if slots remain; on a full tick groups waiting
 * for a slot go before resident ones of the same priority, which rotates them; on a
 * mid-timeslice tick only REALTIME groups preempt; groups whose VM would need an address space
 * beyond the AS slots are skipped), suspends (or terminates, if they can't run) the evicted,
 * updates the survivors' CSG priority (ENDPOINT_CONFIG), binds new groups to free slots
 * ({@code panthor_vm_active()}, -EBUSY leaves the group waiting) and programs them
 * (CS slots, endpoint request, allow masks, suspend buffers, START or RESUME), then reports
 * busy/idle to devfreq and holds a runtime-PM reference while non-idle groups are resident.
 *
 * <p>Faults: a CS_FATAL makes the queue fatal (CS_UNRECOVERABLE schedules a reset), a
 * CS_FAULT fails the in-flight jobs that cover the faulting extract with -EINVAL (the stream
 * runs on to its ERROR_BARRIER), a progress-timer event or a 5 s job timeout (virtual time, per
 * queue, paused while the group is off its slot) times the group out, an MMU fault kills the
 * groups of the faulted VM. A dead group is terminated by the next tick; its in-flight fences
 * fail (-EINVAL fatal queue, -ETIMEDOUT timed out, else -ECANCELED), its sync objects are forced
 * to the last seqno with status ~0, jobs not yet in the ring fail -ECANCELED and later submits
 * are refused (EINVAL).
 *
 * <p>Locking: {@link #lock} ({@code sched->lock}) serialises everything; Panthor's finer locks
 * ({@code group->fatal_lock}, {@code fence_ctx.lock}, {@code sched->reset.lock}) are folded
 * into it. Lock order: {@code sched->lock} → the MMU's locks (through the mmu slot) → fence
 * locks. Fence callbacks only queue work. Work items ({@code tick_work},
 * {@code sync_upd_work}, {@code fw_events_work}, the job timeouts and drm_sched's run-job work)
 * run on one ordered work queue and enter through the sched slot.
 *
 * <p>Simplified (see driver.sched/README.md): the runnable/idle/waiting lists are a pick
 * sorted by priority, idleness and a round-robin stamp; groups blocked on sync waits are
 * woken optimistically on any sync update instead of evaluating their wait condition;
 * dependency errors do not propagate; no protected mode, no tiler OOM.
 */
@Component(service = Sched.class, property = {"subsystem=sched", "impl=cstyle", "service.ranking:Integer=0"})
public final class PanthorSched implements Sched {

    static final long JOB_TIMEOUT_MS = 5000;
    static final long TICK_PERIOD_MS = 10;
    /** Per-request firmware timeout (CSG state changes, STATUS_UPDATE). */
    static final long CSG_REQ_TIMEOUT_MS = 100;
    static final int MAX_CSG_PRIO = 0xf;
    static final int CSF_MAX_QUEUE_PRIO = 0xf;
    static final int PANTHOR_CSG_PRIORITY_COUNT = 4;
    static final int MAX_GROUPS_PER_POOL = 128;
    /** Ring instructions per job: 16 × 8 bytes, two 64-byte cachelines. */
    static final int NUM_INSTRS_PER_SLOT = 16;
    static final int JOB_RING_BYTES = NUM_INSTRS_PER_SLOT * 8;
    static final int SZ_4K = 4096;
    static final int SZ_64K = 65536;
    /** {@code sizeof(struct panthor_syncobj_64b)}: seqno u64, status u32, pad u32. */
    static final int SYNCOBJ_64B_SIZE = 16;
    static final int SYNCOBJ_SEQNO = 0;
    static final int SYNCOBJ_STATUS = 8;
    /** Offset of the output page inside a queue's interface memory. */
    static final int IFACE_OUTPUT = SZ_4K;
    static final int DRM_PANTHOR_BO_NO_MMAP = 1;
    static final int KBO_MAP_FLAGS = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
            | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
    static final int PANTHOR_GROUP_PRIORITY_REALTIME = PanthorIoctls.PANTHOR_GROUP_PRIORITY_REALTIME;

    final DriverSubsystems subsystems;
    final PanthorFirmware fw;
    final VirtualTime time;
    final GpuInfo gpuInfo;
    final PanthorHeap heaps;

    /* sched->lock */
    final ReentrantLock lock = new ReentrantLock();
    /** Every group by (client, handle), in creation order. */
    final Map<Long, PanthorGroup> groups = new LinkedHashMap<>();
    /** {@code sched->csg_slots[].group}. */
    PanthorGroup[] csgSlots = new PanthorGroup[0];
    int csgSlotCount;
    int csSlotCount;
    int asSlotCount;
    int csRegCount;
    int unpreservedCsRegCount;
    int sbSlotCount;

    WorkQueue wq;
    DelayedWork tickWork;
    WorkQueue.Work fwEventsWork;
    WorkQueue.Work syncUpdWork;
    WorkQueue.Work runJobWork;
    WorkQueue.Work postImportWork;
    /** The done fences of the last GROUP_SUBMIT batch (introspection for tests). */
    volatile List<DmaFence> lastSubmitFences = List.of();
    final AtomicInteger fwEvents = new AtomicInteger();
    /** {@code sched->resched_target}: virtual time of the next full tick, -1 if stopped. */
    long reschedTarget = -1;
    /** {@code sched->last_tick}. */
    long lastTick;
    long rrClock;
    /** {@code sched->pm.has_ref}. */
    boolean pmHasRef;
    boolean resetInProgress;
    boolean resetPending;
    /** Between importState and releaseState. */
    volatile boolean owner;

    @Activate
    public PanthorSched(@Reference DriverSubsystems subsystems, @Reference PanthorFirmware fw,
                        @Reference VirtualTime time, @Reference PanthorDevice device) {
        this(subsystems, fw, time, device.gpuInfo());
    }

    /** The plain constructor (tests, the harness). Inert until {@link #importState}. */
    public PanthorSched(DriverSubsystems subsystems, PanthorFirmware fw, VirtualTime time, GpuInfo gpuInfo) {
        this.subsystems = subsystems;
        this.fw = fw;
        this.time = time;
        this.gpuInfo = gpuInfo;
        this.heaps = new PanthorHeap(subsystems, gpuInfo.l2Features());
    }

    /** {@code destroy_workqueue(sched->wq)} when the component goes (the slot took the state already). */
    @Deactivate
    public void deactivate() {
        WorkQueue q = wq;
        if (q != null) {
            q.destroy();
        }
    }

    @Override
    public String impl() {
        return "cstyle";
    }

    private static ErrnoException errno(int ret) {
        return new ErrnoException(-ret);
    }

    // ------------------------------------------------------------------ slot plumbing

    /**
     * Runs {@code fn} through the sched slot if this instance still owns the state. It never
     * waits for a parked slot: the state's next owner re-arms its own work, and this
     * instance's {@link #deactivate} drains the queue that runs this.
     */
    private void viaSlot(Runnable fn) {
        try {
            subsystems.sched().runIfPresent(s -> {
                if (s == this && owner) {
                    fn.run();
                }
            });
        } catch (RuntimeException e) {
            if (owner) {
                fw.logErr("panthor sched work failed: %s", e);
            }
        }
    }

    private <R> R mmuCall(java.util.function.Function<Mmu, R> fn) {
        return subsystems.mmu().call(fn::apply);
    }

    private void mmuRun(java.util.function.Consumer<Mmu> fn) {
        subsystems.mmu().run(fn::accept);
    }

    private void devfreqRecord(boolean busy) {
        try {
            subsystems.devfreq().run(d -> {
                if (busy) {
                    d.recordBusy();
                } else {
                    d.recordIdle();
                }
            });
        } catch (RuntimeException ignored) {
            // devfreq is optional
        }
    }

    private void setupWork() {
        if (wq == null) {
            wq = new WorkQueue("panthor-csf-sched", time);
            tickWork = new DelayedWork(time, () -> viaSlot(this::tickWorkFn));
            fwEventsWork = new WorkQueue.Work(() -> viaSlot(this::processFwEventsWork));
            syncUpdWork = new WorkQueue.Work(() -> viaSlot(this::syncUpdWorkFn));
            runJobWork = new WorkQueue.Work(() -> viaSlot(this::runJobWorkFn));
            postImportWork = new WorkQueue.Work(() -> viaSlot(this::schedQueueTickNow));
        }
    }

    /** {@code sched_queue_delayed_work(sched, tick, delay)}: re-arms to the earlier deadline. */
    void schedQueueTick(long delayNanos) {
        if (!owner) {
            return;
        }
        long when = time.nowNanos() + Math.max(0, delayNanos);
        if (tickDeadline >= 0 && tickDeadline <= when && tickWork.isPending()) {
            return;
        }
        tickDeadline = when;
        tickWork.modDelayedWork(wq, Math.max(0, delayNanos));
    }

    void schedQueueTickNow() {
        schedQueueTick(0);
    }

    void schedQueueSyncUpd() {
        if (owner) {
            wq.queueWork(syncUpdWork);
        }
    }

    void schedQueueRunJob() {
        if (owner) {
            wq.queueWork(runJobWork);
        }
    }

    // ------------------------------------------------------------------ group helpers

    /** {@code group_can_run()}. */
    static boolean groupCanRun(PanthorGroup group) {
        return group.state != PanthorGroup.PANTHOR_CS_GROUP_TERMINATED
                && group.state != PanthorGroup.PANTHOR_CS_GROUP_UNKNOWN_STATE
                && !group.destroyed && group.fatalQueues == 0 && !group.timedout;
    }

    private PanthorGroup groupFromHandle(UabiFile file, int handle) {
        if (file.groups().get(handle) == null) {
            return null;
        }
        PanthorGroup g = groups.get(PanthorGroup.key(file.clientId(), handle));
        return g == null || g.destroyed ? null : g;
    }

    private int freeCsgSlot() {
        for (int i = 0; i < csgSlotCount; i++) {
            if (csgSlots[i] == null) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ GROUP_CREATE

    /** {@code group_create_queue()}: validation, ring buffer, interface pages. */
    private PanthorQueue groupCreateQueue(PanthorGroup group, DrmPanthorQueueCreate args, int index) {
        PanthorQueue queue = new PanthorQueue(index, args.priority());
        queue.ringbuf = mmuCall(m -> m.kernelBoCreate(group.vm, Integer.toUnsignedLong(args.ringbufSize()),
                KBO_MAP_FLAGS, Mmu.KERNEL_AUTO_VA));
        try {
            queue.iface = fw.allocQueueIfaceMem();
        } catch (RuntimeException e) {
            long va = queue.ringbuf.gpuVa();
            mmuRun(m -> m.kernelBoDestroy(group.vm, va));
            throw e;
        }
        queue.timeout = new DelayedWork(time, () -> viaSlot(() -> queueTimeoutWork(group, queue)));
        return queue;
    }

    /** The checks of {@code panthor_group_create()} and {@code group_create_queue()}: 0 or -EINVAL. */
    int groupCreateCheckArgs(DrmPanthorGroupCreate args, List<DrmPanthorQueueCreate> queues) {
        if (args.pad() != 0 || args.priority() >= PANTHOR_CSG_PRIORITY_COUNT) {
            return -Errno.EINVAL;
        }
        if (queues.isEmpty() || queues.size() > csSlotCount) {
            return -Errno.EINVAL;
        }
        if ((args.computeCoreMask() & ~gpuInfo.shaderPresent()) != 0
                || (args.fragmentCoreMask() & ~gpuInfo.shaderPresent()) != 0
                || (args.tilerCoreMask() & ~gpuInfo.tilerPresent()) != 0) {
            return -Errno.EINVAL;
        }
        if (Long.bitCount(args.computeCoreMask()) < args.maxComputeCores()
                || Long.bitCount(args.fragmentCoreMask()) < args.maxFragmentCores()
                || Long.bitCount(args.tilerCoreMask()) < args.maxTilerCores()) {
            return -Errno.EINVAL;
        }
        for (DrmPanthorQueueCreate q : queues) {
            if (q.pad0() != 0 || q.pad1() != 0 || q.pad2() != 0) {
                return -Errno.EINVAL;
            }
            int size = q.ringbufSize();
            if (size < SZ_4K || size > SZ_64K || Integer.bitCount(size) != 1) {
                return -Errno.EINVAL;
            }
            if (q.priority() > CSF_MAX_QUEUE_PRIO) {
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    /** {@code panthor_group_create()}. */
    @Override
    public int groupCreate(UabiCall call, DrmPanthorGroupCreate args, List<DrmPanthorQueueCreate> queueArgs) {
        UabiFile file = call.file();
        int ret = groupCreateCheckArgs(args, queueArgs);
        if (ret != 0) {
            throw errno(ret);
        }
        VmRef vm = mmuCall(m -> m.lookupVm(file, args.vmId()));
        if (vm == null) {
            throw errno(-Errno.EINVAL);
        }
        PanthorGroup group = new PanthorGroup(file.clientId(), call.caller().pid(), call.caller().comm(), vm,
                args.priority(), args.computeCoreMask(), args.fragmentCoreMask(), args.tilerCoreMask(),
                args.maxComputeCores(), args.maxFragmentCores(), args.maxTilerCores(), DmaFence.allocContext());
        mmuRun(m -> m.vmGet(vm));
        List<PanthorQueue> created = new ArrayList<>();
        try {
            group.suspendBuf = fw.allocSuspendBufMem(FW_SUSPEND_SIZE);
            group.protmSuspendBuf = fw.allocSuspendBufMem(FW_PROTM_SUSPEND_SIZE);
            long syncSize = ((long) queueArgs.size() * SYNCOBJ_64B_SIZE + SZ_4K - 1) & ~(long) (SZ_4K - 1);
            group.syncobjs = mmuCall(m -> m.kernelBoCreate(vm, syncSize, KBO_MAP_FLAGS, Mmu.KERNEL_AUTO_VA));
            for (int i = 0; i < queueArgs.size(); i++) {
                created.add(groupCreateQueue(group, queueArgs.get(i), i));
            }
            group.queues = created.toArray(new PanthorQueue[0]);
            group.idleQueues = group.allQueuesMask();
            lock.lock();
            try {
                /* The pool holds a handle-independent key (the group's fence context), not the group. */
                group.handle = file.groups().alloc(Long.valueOf(group.fenceContext));
                groups.put(group.key(), group);
                group.rrStamp = ++rrClock;
            } finally {
                lock.unlock();
            }
            return group.handle;
        } catch (RuntimeException e) {
            group.queues = created.toArray(new PanthorQueue[0]);
            groupFreeResources(group);
            throw e;
        }
    }

    /** Frees a group's GPU memory and its VM reference ({@code group_release_work()}). */
    private void groupFreeResources(PanthorGroup group) {
        if (group.released) {
            return;
        }
        group.released = true;
        for (PanthorQueue queue : group.queues) {
            if (queue.timeout != null) {
                queue.timeout.cancel();
            }
            if (queue.ringbuf != null) {
                long va = queue.ringbuf.gpuVa();
                mmuRun(m -> m.kernelBoDestroy(group.vm, va));
                queue.ringbuf = null;
            }
            fw.freeFwMem(queue.iface);
            queue.iface = null;
        }
        if (group.syncobjs != null) {
            long va = group.syncobjs.gpuVa();
            mmuRun(m -> m.kernelBoDestroy(group.vm, va));
            group.syncobjs = null;
        }
        fw.freeFwMem(group.suspendBuf);
        fw.freeFwMem(group.protmSuspendBuf);
        group.suspendBuf = null;
        group.protmSuspendBuf = null;
        mmuRun(m -> m.vmPut(group.vm));
    }

    // ------------------------------------------------------------------ GROUP_DESTROY

    /** {@code panthor_group_destroy()}. */
    @Override
    public void groupDestroy(UabiCall call, int groupHandle) {
        lock.lock();
        try {
            PanthorGroup group = groupFromHandle(call.file(), groupHandle);
            if (group == null) {
                throw errno(-Errno.EINVAL);
            }
            call.file().groups().remove(groupHandle);
            groupDestroyLocked(group);
        } finally {
            lock.unlock();
        }
    }

    private void groupDestroyLocked(PanthorGroup group) {
        group.destroyed = true;
        if (group.csgId >= 0) {
            /* The tick terminates it, then releases it. */
            schedQueueTickNow();
        } else {
            groupTermPostProcessingLocked(group);
            groupReleaseLocked(group);
        }
    }

    /** {@code group_release()}: frees the group once it is dead and off its slot. */
    void groupReleaseLocked(PanthorGroup group) {
        if (!group.destroyed || group.csgId >= 0) {
            return;
        }
        groupTermPostProcessingLocked(group);
        groupFreeResources(group);
        groups.remove(group.key());
    }

    /** {@code group_term_post_processing()}: fail every fence of a dead group. */
    void groupTermPostProcessingLocked(PanthorGroup group) {
        if (group.termProcessed) {
            return;
        }
        group.termProcessed = true;
        for (PanthorQueue queue : group.queues) {
            int bit = 1 << queue.index;
            int err = (group.fatalQueues & bit) != 0 ? -Errno.EINVAL
                    : group.timedout ? -Errno.ETIMEDOUT : -Errno.ECANCELED;
            if (queue.timeout != null) {
                queue.timeout.cancel();
            }
            queue.timeoutDeadline = -1;
            queue.timeoutRemaining = -1;
            for (PanthorJob job : queue.inFlight) {
                job.doneFence.signalWithError(err);
            }
            queue.inFlight.clear();
            for (PanthorJob job : queue.pending) {
                job.doneFence.signalWithError(-Errno.ECANCELED);
            }
            queue.pending.clear();
            if (group.syncobjs != null) {
                /* Manually update the syncobj seqno to unblock waiters. */
                group.syncobjs.write32(queue.index * SYNCOBJ_64B_SIZE + SYNCOBJ_STATUS, ~0);
                group.syncobjs.write64(queue.index * SYNCOBJ_64B_SIZE + SYNCOBJ_SEQNO, queue.seqno);
            }
            queue.syncSeqno = queue.seqno;
        }
        if (group.state != PanthorGroup.PANTHOR_CS_GROUP_UNKNOWN_STATE) {
            group.state = PanthorGroup.PANTHOR_CS_GROUP_TERMINATED;
        }
    }

    // ------------------------------------------------------------------ GROUP_GET_STATE

    @Override
    public DrmPanthorGroupGetState groupGetState(UabiCall call, DrmPanthorGroupGetState args) {
        if (args.pad() != 0) {
            throw errno(-Errno.EINVAL);
        }
        lock.lock();
        try {
            PanthorGroup group = groupFromHandle(call.file(), args.groupHandle());
            if (group == null) {
                throw errno(-Errno.EINVAL);
            }
            int state = 0;
            if (group.timedout) {
                state |= PanthorIoctls.DRM_PANTHOR_GROUP_STATE_TIMEDOUT;
            }
            if (group.fatalQueues != 0) {
                state |= PanthorIoctls.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
            }
            if (group.innocent) {
                state |= PanthorIoctls.DRM_PANTHOR_GROUP_STATE_INNOCENT;
            }
            return new DrmPanthorGroupGetState(args.groupHandle(), state, group.fatalQueues, 0);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ GROUP_SUBMIT

    /** One validated queue submit of a batch, before anything is armed. */
    private record SubmitCtxJob(DrmPanthorQueueSubmit args, List<DrmPanthorSyncOp> syncOps,
                                List<Syncobj> syncobjs) {
    }

    /** {@code panthor_job_create()}'s checks: 0 or -EINVAL. */
    static int jobCheckArgs(DrmPanthorQueueSubmit qsubmit, PanthorGroup group) {
        if (qsubmit.pad() != 0) {
            return -Errno.EINVAL;
        }
        /* If stream_addr is zero, so stream_size should be. */
        if ((qsubmit.streamSize() == 0) != (qsubmit.streamAddr() == 0)) {
            return -Errno.EINVAL;
        }
        /* 64-byte aligned address, 8-byte aligned size. */
        if ((qsubmit.streamAddr() & 63) != 0 || (qsubmit.streamSize() & 7) != 0) {
            return -Errno.EINVAL;
        }
        /* bits 24:30 must be zero. */
        if ((qsubmit.latestFlush() & 0x7F00_0000) != 0) {
            return -Errno.EINVAL;
        }
        if (Integer.compareUnsigned(qsubmit.queueIndex(), group.queueCount()) >= 0) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * {@code panthor_ioctl_group_submit()}: every job and sync op is checked and every syncobj
     * looked up before anything is armed (all or nothing); then the jobs get their
     * dependencies (earlier signals of the batch satisfy later waits), enter their queues, and
     * the SIGNAL syncobjs get the done fences.
     */
    @Override
    public void groupSubmit(UabiCall call, int groupHandle, List<DrmPanthorQueueSubmit> submits) {
        UabiFile file = call.file();
        List<SubmitCtxJob> ctx = new ArrayList<>();
        List<Syncobj> refs = new ArrayList<>();
        boolean pmRef = false;
        try {
            PanthorGroup group;
            lock.lock();
            try {
                group = groupFromHandle(file, groupHandle);
            } finally {
                lock.unlock();
            }
            if (group == null) {
                throw errno(-Errno.EINVAL);
            }
            for (DrmPanthorQueueSubmit qsubmit : submits) {
                int ret = jobCheckArgs(qsubmit, group);
                if (ret != 0) {
                    throw errno(ret);
                }
                List<DrmPanthorSyncOp> ops = call.copySyncOps(qsubmit.syncs());
                List<Syncobj> objs = new ArrayList<>();
                for (DrmPanthorSyncOp op : ops) {
                    call.checkSyncOp(op);
                    Syncobj obj = file.lookupSyncobj(op.handle());
                    if (obj == null) {
                        throw errno(-Errno.EINVAL);
                    }
                    refs.add(obj);
                    objs.add(obj);
                }
                ctx.add(new SubmitCtxJob(qsubmit, ops, objs));
            }
            if (mmuCall(m -> m.vmIsUnusable(group.vm))) {
                throw errno(-Errno.EINVAL);
            }
            /* queue_run_job() resumes the device before it takes sched->lock. */
            pmRef = fw.resumeAndGet() == 0;
            lock.lock();
            try {
                if (!groupCanRun(group) || group.destroyed) {
                    throw errno(-Errno.EINVAL);
                }
                /* Dependencies: an earlier job's signal op satisfies a later wait on the same point. */
                Map<String, DmaFence> batchSignals = new HashMap<>();
                List<PanthorJob> jobs = new ArrayList<>();
                for (SubmitCtxJob c : ctx) {
                    List<DmaFence> deps = new ArrayList<>();
                    for (int i = 0; i < c.syncOps().size(); i++) {
                        DrmPanthorSyncOp op = c.syncOps().get(i);
                        if ((op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL) != 0) {
                            continue;
                        }
                        DmaFence f = batchSignals.get(op.handle() + ":" + op.timelineValue());
                        if (f == null) {
                            try {
                                f = c.syncobjs().get(i).findFence(op.timelineValue());
                            } catch (Syncobj.NoFenceException e) {
                                throw errno(-Errno.EINVAL);
                            }
                        }
                        if (!f.isSignaled()) {
                            deps.add(f);
                        }
                    }
                    PanthorQueue queue = group.queues[c.args().queueIndex()];
                    PanthorJob job = new PanthorJob(group, queue.index, c.args().streamAddr(), c.args().streamSize(),
                            c.args().latestFlush(), new DmaFence(group.fenceContext, ++queue.submitted, time::nowNanos),
                            deps);
                    jobs.add(job);
                    for (DrmPanthorSyncOp op : c.syncOps()) {
                        if ((op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL) != 0) {
                            batchSignals.put(op.handle() + ":" + op.timelineValue(), job.doneFence);
                        }
                    }
                }
                /* Nothing can fail after this point. */
                lastSubmitFences = jobs.stream().map(j -> j.doneFence).toList();
                for (PanthorJob job : jobs) {
                    PanthorQueue queue = group.queues[job.queueIdx];
                    queue.pending.add(job);
                    for (DmaFence dep : job.deps) {
                        dep.addCallback(f -> schedQueueRunJob());
                    }
                }
                for (int j = 0; j < jobs.size(); j++) {
                    SubmitCtxJob c = ctx.get(j);
                    for (int i = 0; i < c.syncOps().size(); i++) {
                        DrmPanthorSyncOp op = c.syncOps().get(i);
                        if ((op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL) == 0) {
                            continue;
                        }
                        Syncobj obj = c.syncobjs().get(i);
                        if ((op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK)
                                == PanthorIoctls.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ) {
                            obj.addPoint(jobs.get(j).doneFence, op.timelineValue());
                        } else {
                            obj.replaceFence(jobs.get(j).doneFence);
                        }
                    }
                }
                for (PanthorQueue queue : group.queues) {
                    queuePushReadyLocked(group, queue);
                }
            } finally {
                lock.unlock();
            }
        } finally {
            for (Syncobj obj : refs) {
                obj.put();
            }
            if (pmRef) {
                fw.putAutosuspend();
            }
        }
    }

    /** drm_sched's run-job loop for one queue: jobs in order, while deps are met and the ring has room. */
    void queuePushReadyLocked(PanthorGroup group, PanthorQueue queue) {
        while (!queue.pending.isEmpty()) {
            PanthorJob job = queue.pending.peek();
            if (!job.depsSignaled()) {
                return;
            }
            if (queueRunJobLocked(group, queue, job) == -Errno.EBUSY) {
                return;
            }
            queue.pending.poll();
        }
    }

    private void runJobWorkFn() {
        lock.lock();
        try {
            boolean ready = false;
            for (PanthorGroup group : groups.values()) {
                for (PanthorQueue queue : group.queues) {
                    if (!queue.pending.isEmpty() && queue.pending.peek().depsSignaled()) {
                        ready = true;
                    }
                }
            }
            if (!ready) {
                return;
            }
        } finally {
            lock.unlock();
        }
        boolean pmRef = fw.resumeAndGet() == 0;
        lock.lock();
        try {
            for (PanthorGroup group : new ArrayList<>(groups.values())) {
                for (PanthorQueue queue : group.queues) {
                    if (!queue.pending.isEmpty()) {
                        queuePushReadyLocked(group, queue);
                    }
                }
            }
        } finally {
            lock.unlock();
            if (pmRef) {
                fw.putAutosuspend();
            }
        }
    }

    /**
     * {@code queue_run_job()}: writes the job's instructions in the ring, publishes the insert
     * pointer, rings the doorbell if the group is resident (else schedules it). Returns 0,
     * -EBUSY when the ring is full (the job stays queued), or the error the job failed with.
     * The caller holds a runtime-PM reference (taken before {@link #lock}, as the C does).
     */
    int queueRunJobLocked(PanthorGroup group, PanthorQueue queue, PanthorJob job) {
        if (!groupCanRun(group)) {
            job.doneFence.signalWithError(-Errno.ECANCELED);
            return -Errno.ECANCELED;
        }
        if (job.streamSize == 0) {
            /* A sync point: done when the job before it is. */
            job.seqno = queue.seqno;
            job.ringStart = queue.insert;
            job.ringEnd = queue.insert;
            queue.inFlight.add(job);
            queueCheckJobCompletionLocked(group, queue);
            return 0;
        }
        long oldest = queue.insert;
        for (PanthorJob j : queue.inFlight) {
            if (j.ringEnd > j.ringStart) {
                oldest = j.ringStart;
                break;
            }
        }
        if (queue.insert + JOB_RING_BYTES - oldest > queue.ringbufSize()) {
            return -Errno.EBUSY;
        }
        {
            long addrReg = csRegCount - unpreservedCsRegCount;
            long valReg = addrReg + 2;
            long syncAddr = group.syncobjs.gpuVa() + (long) queue.index * SYNCOBJ_64B_SIZE;
            long waitallMask = (1L << sbSlotCount) - 1;
            job.seqno = ++queue.seqno;
            long[] instrs = {
                /* MOV32 rX+2, cs.latest_flush */
                (2L << 56) | (valReg << 48) | (job.latestFlush & 0xFFFF_FFFFL),
                /* FLUSH_CACHE2.clean_inv_all.no_wait.signal(0) rX+2 */
                (36L << 56) | (0L << 48) | (valReg << 40) | (0L << 16) | 0x233,
                /* MOV48 rX:rX+1, cs.start */
                (1L << 56) | (addrReg << 48) | (job.streamAddr & 0xFFFF_FFFF_FFFFL),
                /* MOV32 rX+2, cs.size */
                (2L << 56) | (valReg << 48) | (job.streamSize & 0xFFFF_FFFFL),
                /* WAIT(0) => waits for FLUSH_CACHE2 instruction */
                (3L << 56) | (1L << 16),
                /* CALL rX:rX+1, rX+2 */
                (32L << 56) | (addrReg << 40) | (valReg << 32),
                /* MOV48 rX:rX+1, sync_addr */
                (1L << 56) | (addrReg << 48) | (syncAddr & 0xFFFF_FFFF_FFFFL),
                /* MOV48 rX+2, #1 */
                (1L << 56) | (valReg << 48) | 1,
                /* WAIT(all) */
                (3L << 56) | (waitallMask << 16),
                /* SYNC_ADD64.system_scope.propage_err.nowait rX:rX+1, rX+2 */
                (51L << 56) | (0L << 48) | (addrReg << 40) | (valReg << 32) | (0L << 16) | 1,
                /* ERROR_BARRIER, so we can recover from faults at job boundaries. */
                (47L << 56),
            };
            long ringMask = queue.ringbufSize() - 1;
            for (int i = 0; i < NUM_INSTRS_PER_SLOT; i++) {
                long word = i < instrs.length ? instrs[i] : 0L;
                queue.ringbuf.write64((queue.insert + 8L * i) & ringMask, word);
            }
            job.ringStart = queue.insert;
            queue.insert += JOB_RING_BYTES;
            job.ringEnd = queue.insert;
            queue.iface.write64(RINGBUF_INPUT_INSERT, queue.insert);
            queue.inFlight.add(job);
            int bit = 1 << queue.index;
            group.idleQueues &= ~bit;
            group.blockedQueues &= ~bit;
            if (queue.timeoutDeadline < 0 && queue.timeoutRemaining < 0) {
                if (group.csgId >= 0) {
                    queueArmTimeoutLocked(queue, JOB_TIMEOUT_MS * VirtualTime.NANOS_PER_MS);
                } else {
                    queue.timeoutRemaining = JOB_TIMEOUT_MS * VirtualTime.NANOS_PER_MS;
                }
            }
            if (group.csgId >= 0) {
                fw.ringDoorbell(queue.doorbellId);
                if (!pmHasRef) {
                    if (fw.resumeAndGet() == 0) {
                        pmHasRef = true;
                    }
                }
            } else {
                groupScheduleLocked(group);
            }
            devfreqRecord(true);
            return 0;
        }
    }

    /** {@code group_schedule_locked()}: a tick now if a slot is free or the group is real-time, else at the next period. */
    void groupScheduleLocked(PanthorGroup group) {
        if (freeCsgSlot() >= 0 || group.priority == PANTHOR_GROUP_PRIORITY_REALTIME) {
            schedQueueTickNow();
            return;
        }
        if (reschedTarget < 0) {
            long now = time.nowNanos();
            reschedTarget = Math.max(now, lastTick + TICK_PERIOD_MS * VirtualTime.NANOS_PER_MS);
            schedQueueTick(reschedTarget - now);
        }
    }

    // ------------------------------------------------------------------ job completion, timeouts

    /** {@code queue_check_job_completion()}: signals the jobs the sync object has reached. */
    void queueCheckJobCompletionLocked(PanthorGroup group, PanthorQueue queue) {
        if (group.syncobjs == null) {
            return;
        }
        long seqno = group.syncobjs.read64(queue.index * SYNCOBJ_64B_SIZE + SYNCOBJ_SEQNO);
        if (Long.compareUnsigned(seqno, queue.syncSeqno) > 0) {
            queue.syncSeqno = seqno;
        }
        boolean progress = false;
        while (!queue.inFlight.isEmpty() && queue.inFlight.peek().seqno <= queue.syncSeqno) {
            PanthorJob job = queue.inFlight.poll();
            if (job.ringEnd > job.ringStart) {
                progress = true;
                queue.completed++;
            }
            job.doneFence.signal();
        }
        if (progress) {
            if (queue.hasRingWork()) {
                if (queue.timeoutDeadline >= 0) {
                    queueArmTimeoutLocked(queue, JOB_TIMEOUT_MS * VirtualTime.NANOS_PER_MS);
                } else if (queue.timeoutRemaining >= 0) {
                    queue.timeoutRemaining = JOB_TIMEOUT_MS * VirtualTime.NANOS_PER_MS;
                }
            } else {
                queueStopTimeoutLocked(queue);
            }
            if (!queue.pending.isEmpty()) {
                schedQueueRunJob();
            }
        }
    }

    void queueArmTimeoutLocked(PanthorQueue queue, long delayNanos) {
        queue.timeoutRemaining = -1;
        queue.timeoutDeadline = time.nowNanos() + delayNanos;
        queue.timeout.modDelayedWork(wq, delayNanos);
    }

    void queueStopTimeoutLocked(PanthorQueue queue) {
        queue.timeout.cancel();
        queue.timeoutDeadline = -1;
        queue.timeoutRemaining = -1;
    }

    /** {@code queue_suspend_timeout()}: keep the remainder while the group is off its slot. */
    void queueSuspendTimeoutLocked(PanthorQueue queue) {
        if (queue.timeoutDeadline >= 0) {
            queue.timeout.cancel();
            queue.timeoutRemaining = Math.max(0, queue.timeoutDeadline - time.nowNanos());
            queue.timeoutDeadline = -1;
        }
    }

    /** {@code queue_resume_timeout()}. */
    void queueResumeTimeoutLocked(PanthorQueue queue) {
        if (queue.timeoutRemaining >= 0) {
            queueArmTimeoutLocked(queue, queue.timeoutRemaining);
        }
    }

    /** {@code queue_timedout_job()}: the group is timed out and terminated. */
    void queueTimeoutWork(PanthorGroup group, PanthorQueue queue) {
        lock.lock();
        try {
            queue.timeoutDeadline = -1;
            if (!queue.hasRingWork() || group.termProcessed) {
                return;
            }
            PanthorJob job = queue.inFlight.peek();
            fw.logWarn("job timeout: pid=%d, comm=%s, seqno=%d", group.pid, group.comm, job == null ? 0 : job.seqno);
            group.timedout = true;
            groupCaptureCoredumpLocked(group, "TIMEOUT", queue.index, 0, job == null ? 0 : job.seqno);
            if (group.csgId >= 0) {
                schedQueueTickNow();
            } else {
                groupTermPostProcessingLocked(group);
                groupReleaseLocked(group);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code sync_upd_work} + {@code group_sync_upd_work}: signal fences, wake waiting groups. */
    private void syncUpdWorkFn() {
        lock.lock();
        try {
            boolean wake = false;
            for (PanthorGroup group : new ArrayList<>(groups.values())) {
                for (PanthorQueue queue : group.queues) {
                    if (!queue.inFlight.isEmpty()) {
                        queueCheckJobCompletionLocked(group, queue);
                    }
                }
                if (group.csgId < 0 && group.blockedQueues != 0 && groupCanRun(group)) {
                    /* Simplified: re-evaluated by running it, not by reading its sync objects. */
                    group.idleQueues &= ~group.blockedQueues;
                    group.blockedQueues = 0;
                    wake = true;
                }
            }
            if (wake) {
                schedQueueTickNow();
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ firmware events

    @Override
    public void reportFwEvents(int events) {
        if (!owner) {
            return;
        }
        fwEvents.getAndUpdate(e -> e | events);
        wq.queueWork(fwEventsWork);
    }

    /** {@code process_fw_events_work()}. */
    private void processFwEventsWork() {
        int events = fwEvents.getAndSet(0);
        if (events == 0 || !fw.booted() || !fw.pmActive()) {
            return;
        }
        lock.lock();
        try {
            if (resetInProgress) {
                return;
            }
            if ((events & JOB_INT_GLOBAL_IF) != 0) {
                schedProcessGlobalIrqLocked();
            }
            int csgEvents = events & ~JOB_INT_GLOBAL_IF;
            for (int csgId = 0; csgId < csgSlotCount; csgId++) {
                if ((csgEvents & (1 << csgId)) != 0) {
                    schedProcessCsgIrqLocked(csgId);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code sched_process_global_irq_locked()}. */
    void schedProcessGlobalIrqLocked() {
        PanthorFirmware.Iface glb = fw.glb();
        int req = glb.input().read32(GLB_INPUT_REQ);
        int ack = glb.output().read32(GLB_OUTPUT_ACK);
        int evts = (req ^ ack) & GLB_EVT_MASK;
        if ((evts & GLB_IDLE) != 0) {
            glb.updateReqs(GLB_INPUT_REQ, ack, GLB_IDLE);
            schedQueueTickNow();
        }
    }

    /** {@code sched_process_csg_irq_locked()}. */
    void schedProcessCsgIrqLocked(int csgId) {
        PanthorFirmware.Iface csg = fw.csg(csgId);
        int req = csg.input().read32(CSG_INPUT_REQ);
        int ack = csg.output().read32(CSG_OUTPUT_ACK);
        int csIrqReq = csg.output().read32(CSG_OUTPUT_CS_IRQ_REQ);
        int csIrqAck = csg.input().read32(CSG_INPUT_CS_IRQ_ACK);
        int csgEvents = (req ^ ack) & CSG_EVT_MASK;
        if (req == ack && csIrqReq == csIrqAck) {
            return;
        }
        csg.input().write32(CSG_INPUT_CS_IRQ_ACK, csIrqReq);
        csg.updateReqs(CSG_INPUT_REQ, ack, CSG_SYNC_UPDATE | CSG_IDLE | CSG_PROGRESS_TIMER_EVENT);
        if ((csgEvents & CSG_IDLE) != 0) {
            /* csg_slot_process_idle_event_locked() */
            schedQueueTickNow();
        }
        if ((csgEvents & CSG_PROGRESS_TIMER_EVENT) != 0) {
            csgSlotProcessProgressTimerEventLocked(csgId);
        }
        int ringCsDbMask = 0;
        int csIrqs = csIrqReq ^ csIrqAck;
        while (csIrqs != 0) {
            int csId = Integer.numberOfTrailingZeros(csIrqs);
            if (csSlotProcessIrqLocked(csgId, csId)) {
                ringCsDbMask |= 1 << csId;
            }
            csIrqs &= ~(1 << csId);
        }
        if ((csgEvents & CSG_SYNC_UPDATE) != 0) {
            csgSlotSyncUpdateLocked(csgId);
        }
        if (ringCsDbMask != 0) {
            csg.toggleReqs(CSG_INPUT_DOORBELL_REQ, CSG_OUTPUT_DOORBELL_ACK, ringCsDbMask);
        }
        fw.ringCsgDoorbells(1 << csgId);
    }

    /**
     * {@code csg_slot_sync_update_locked()}: the group's fences first ({@code group_sync_upd_work},
     * done here so that a tick queued by the same IRQ does not delay them), then the
     * scheduler-wide {@code sync_upd_work} for groups blocked on sync waits.
     */
    void csgSlotSyncUpdateLocked(int csgId) {
        PanthorGroup group = csgSlots[csgId];
        if (group != null) {
            for (PanthorQueue queue : group.queues) {
                if (!queue.inFlight.isEmpty()) {
                    queueCheckJobCompletionLocked(group, queue);
                }
            }
        }
        schedQueueSyncUpd();
    }

    /** {@code cs_slot_process_irq_locked()}: true if the CS doorbell must be rung. */
    boolean csSlotProcessIrqLocked(int csgId, int csId) {
        PanthorFirmware.Iface cs = fw.cs(csgId, csId);
        int req = cs.input().read32(CS_INPUT_REQ);
        int ack = cs.output().read32(CS_OUTPUT_ACK);
        int events = (req ^ ack) & CS_EVT_MASK;
        if ((events & CS_FATAL) != 0) {
            csSlotProcessFatalEventLocked(csgId, csId);
        }
        if ((events & CS_FAULT) != 0) {
            csSlotProcessFaultEventLocked(csgId, csId);
        }
        cs.updateReqs(CS_INPUT_REQ, ack, CS_FATAL | CS_FAULT | CS_TILER_OOM);
        return (events & (CS_FAULT | CS_TILER_OOM)) != 0;
    }

    /** {@code cs_slot_process_fatal_event_locked()}. */
    void csSlotProcessFatalEventLocked(int csgId, int csId) {
        PanthorGroup group = csgSlots[csgId];
        PanthorFirmware.Iface cs = fw.cs(csgId, csId);
        int fatal = cs.output().read32(CS_OUTPUT_FATAL);
        long info = cs.output().read64(CS_OUTPUT_FATAL_INFO);
        if ((fatal & 0xff) == EXCEPTION_CS_UNRECOVERABLE) {
            fw.scheduleReset();
            resetPending = true;
        } else if (group != null && csId < group.queueCount()) {
            group.fatalQueues |= 1 << csId;
        }
        if (group != null) {
            groupCaptureCoredumpLocked(group, "CS_FATAL", csId, fatal, info);
        }
        schedQueueTickNow();
        fw.logWarn("CSG slot %d CS slot: %d\nCS_FATAL.EXCEPTION_TYPE: 0x%x\nCS_FATAL.EXCEPTION_DATA: 0x%x\n"
                + "CS_FATAL_INFO.EXCEPTION_DATA: 0x%x", csgId, csId, fatal & 0xff, fatal >>> 8, info);
    }

    /** {@code cs_slot_process_fault_event_locked()}: the jobs covering the faulting extract fail -EINVAL. */
    void csSlotProcessFaultEventLocked(int csgId, int csId) {
        PanthorGroup group = csgSlots[csgId];
        PanthorFirmware.Iface cs = fw.cs(csgId, csId);
        int fault = cs.output().read32(CS_OUTPUT_FAULT);
        long info = cs.output().read64(CS_OUTPUT_FAULT_INFO);
        if (group != null && csId < group.queueCount()) {
            PanthorQueue queue = group.queues[csId];
            long csExtract = queue.iface.read64(IFACE_OUTPUT + RINGBUF_OUTPUT_EXTRACT);
            for (PanthorJob job : queue.inFlight) {
                if (csExtract >= job.ringEnd) {
                    continue;
                }
                if (csExtract < job.ringStart) {
                    break;
                }
                if (!job.doneFence.isSignaled()) {
                    job.doneFence.setError(-Errno.EINVAL);
                }
            }
            groupCaptureCoredumpLocked(group, "CS_FAULT", csId, fault, info);
        }
        fw.logWarn("CSG slot %d CS slot: %d\nCS_FAULT.EXCEPTION_TYPE: 0x%x\nCS_FAULT.EXCEPTION_DATA: 0x%x\n"
                + "CS_FAULT_INFO.EXCEPTION_DATA: 0x%x", csgId, csId, fault & 0xff, fault >>> 8, info);
    }

    /** {@code csg_slot_process_progress_timer_event_locked()}. */
    void csgSlotProcessProgressTimerEventLocked(int csgId) {
        PanthorGroup group = csgSlots[csgId];
        fw.logWarn("CSG slot %d progress timeout", csgId);
        if (group != null) {
            group.timedout = true;
        }
        schedQueueTickNow();
    }

    /**
     * Hands a snapshot of {@code group} to the coredump subsystem (the proposed devcoredump
     * series): per queue the ring position, the fault status of {@code csId} and the ring words
     * between extract and insert; the VM's summary.
     */
    void groupCaptureCoredumpLocked(PanthorGroup group, String reason, int csId, int status, long info) {
        List<CoredumpSnapshot.QueueSnapshot> qs = new ArrayList<>();
        for (PanthorQueue queue : group.queues) {
            long extract = queue.iface == null ? queue.extract : queue.iface.read64(IFACE_OUTPUT + RINGBUF_OUTPUT_EXTRACT);
            List<Long> ring = new ArrayList<>();
            if (queue.ringbuf != null) {
                long mask = queue.ringbufSize() - 1;
                long from = Math.max(extract, queue.insert - queue.ringbufSize());
                for (long o = from; o < queue.insert; o += 8) {
                    ring.add(queue.ringbuf.read64(o & mask));
                }
            }
            boolean faulty = queue.index == csId;
            qs.add(new CoredumpSnapshot.QueueSnapshot(queue.index, queue.ringbuf == null ? 0 : queue.ringbuf.gpuVa(),
                    queue.insert, extract, faulty ? status : 0, faulty ? info : 0, ring));
        }
        List<String> mappings = new ArrayList<>();
        try {
            for (VmInfo vi : mmuCall(Mmu::vms)) {
                if (vi.vm().equals(group.vm)) {
                    mappings.add(vi.toString());
                }
            }
        } catch (RuntimeException ignored) {
            // the snapshot goes without the VM summary
        }
        CoredumpSnapshot snapshot = new CoredumpSnapshot(reason, time.nowNanos(), group.clientId, group.pid,
                group.comm, group.handle, group.csgId, group.vm.key(), qs, mappings);
        try {
            subsystems.coredump().call(c -> c.capture(snapshot));
        } catch (RuntimeException ignored) {
            // coredump is optional
        }
    }

    @Override
    public void reportMmuFault(VmRef vm) {
        if (owner) {
            schedQueueTickNow();
        }
    }

    // ------------------------------------------------------------------ CSG slots

    /** {@code struct panthor_csg_slots_upd_ctx}. */
    static final class CsgsUpdCtx {
        final int[] req;
        final int[] mask;
        int updateMask;

        CsgsUpdCtx(int slots) {
            req = new int[slots];
            mask = new int[slots];
        }
    }

    /** {@code csgs_upd_ctx_queue_reqs()}. */
    static void csgsUpdCtxQueueReqs(CsgsUpdCtx ctx, int csgId, int value, int mask) {
        ctx.req[csgId] = (ctx.req[csgId] & ~mask) | (value & mask);
        ctx.mask[csgId] |= mask;
        ctx.updateMask |= 1 << csgId;
    }

    /** {@code csgs_upd_ctx_apply_locked()}: the slots whose requests were not acknowledged. */
    int csgsUpdCtxApplyLocked(CsgsUpdCtx ctx) {
        if (ctx.updateMask == 0) {
            return 0;
        }
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            if ((ctx.updateMask & (1 << csgId)) != 0) {
                fw.csg(csgId).updateReqs(CSG_INPUT_REQ, ctx.req[csgId], ctx.mask[csgId]);
            }
        }
        fw.ringCsgDoorbells(ctx.updateMask);
        int timedoutMask = 0;
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            if ((ctx.updateMask & (1 << csgId)) == 0) {
                continue;
            }
            int ret = fw.csgWaitAcks(csgId, ctx.mask[csgId], CSG_REQ_TIMEOUT_MS);
            if (ret >= 0 && (ret & CSG_STATE_MASK) != 0) {
                csgSlotSyncStateLocked(csgId);
            }
            if (ret < 0) {
                timedoutMask |= 1 << csgId;
            }
        }
        return timedoutMask;
    }

    /** {@code csg_slot_sync_state_locked()}: the group state from the acknowledged CSG state. */
    void csgSlotSyncStateLocked(int csgId) {
        PanthorGroup group = csgSlots[csgId];
        if (group == null) {
            return;
        }
        int state = fw.csg(csgId).output().read32(CSG_OUTPUT_ACK) & CSG_STATE_MASK;
        switch (state) {
            case CSG_STATE_START, CSG_STATE_RESUME -> group.state = PanthorGroup.PANTHOR_CS_GROUP_ACTIVE;
            case CSG_STATE_SUSPEND -> group.state = PanthorGroup.PANTHOR_CS_GROUP_SUSPENDED;
            case CSG_STATE_TERMINATE -> group.state = PanthorGroup.PANTHOR_CS_GROUP_TERMINATED;
            default -> group.state = PanthorGroup.PANTHOR_CS_GROUP_UNKNOWN_STATE;
        }
    }

    /** {@code cs_slot_sync_queue_state_locked()} for every queue: extract, idle and blocked. */
    void csgSlotSyncQueuesStateLocked(int csgId) {
        PanthorGroup group = csgSlots[csgId];
        if (group == null) {
            return;
        }
        for (PanthorQueue queue : group.queues) {
            int bit = 1 << queue.index;
            int statusWait = fw.cs(csgId, queue.index).output().read32(CS_OUTPUT_STATUS_WAIT);
            queue.extract = queue.iface.read64(IFACE_OUTPUT + RINGBUF_OUTPUT_EXTRACT);
            boolean blocked = (statusWait & CS_STATUS_WAIT_SYNC) != 0 && queue.extract < queue.insert;
            boolean empty = queue.extract >= queue.insert;
            if (blocked) {
                group.blockedQueues |= bit;
            } else {
                group.blockedQueues &= ~bit;
            }
            if (blocked || empty) {
                group.idleQueues |= bit;
            } else {
                group.idleQueues &= ~bit;
            }
        }
    }

    /** {@code cs_slot_prog_locked()}. */
    void csSlotProgLocked(int csgId, int csId) {
        PanthorGroup group = csgSlots[csgId];
        PanthorQueue queue = group.queues[csId];
        PanthorFirmware.Iface cs = fw.cs(csgId, csId);
        queue.iface.write64(RINGBUF_INPUT_EXTRACT, queue.iface.read64(IFACE_OUTPUT + RINGBUF_OUTPUT_EXTRACT));
        cs.input().write64(CS_INPUT_RINGBUF_BASE, queue.ringbuf.gpuVa());
        cs.input().write32(CS_INPUT_RINGBUF_SIZE, queue.ringbufSize());
        cs.input().write64(CS_INPUT_RINGBUF_INPUT, queue.iface.gpuVa());
        cs.input().write64(CS_INPUT_RINGBUF_OUTPUT, queue.iface.gpuVa() + IFACE_OUTPUT);
        cs.input().write32(CS_INPUT_CONFIG, (queue.priority & 0xf) | ((queue.doorbellId & 0xff) << 8));
        cs.input().write32(CS_INPUT_ACK_IRQ_MASK, ~0);
        cs.updateReqs(CS_INPUT_REQ, CS_IDLE_SYNC_WAIT | CS_IDLE_EMPTY | CS_STATE_START | CS_EXTRACT_EVENT,
                CS_IDLE_SYNC_WAIT | CS_IDLE_EMPTY | CS_STATE_MASK | CS_EXTRACT_EVENT);
        if (queue.insert != queue.iface.read64(RINGBUF_INPUT_EXTRACT)) {
            queueResumeTimeoutLocked(queue);
        }
    }

    /** {@code csg_slot_prog_locked()}: CS slots, allow masks, endpoint request, AS, suspend buffers. */
    void csgSlotProgLocked(int csgId, int priority) {
        PanthorGroup group = csgSlots[csgId];
        PanthorFirmware.Iface csg = fw.csg(csgId);
        int queueMask = 0;
        for (int i = 0; i < group.queueCount(); i++) {
            csSlotProgLocked(csgId, i);
            queueMask |= 1 << i;
        }
        for (int i = group.queueCount(); i < csSlotCount; i++) {
            fw.cs(csgId, i).updateReqs(CS_INPUT_REQ, CS_STATE_STOP, CS_STATE_MASK);
        }
        csg.input().write64(CSG_INPUT_ALLOW_COMPUTE, group.computeCoreMask);
        csg.input().write64(CSG_INPUT_ALLOW_FRAGMENT, group.fragmentCoreMask);
        csg.input().write32(CSG_INPUT_ALLOW_OTHER, (int) group.tilerCoreMask);
        int endpointReq = (group.maxComputeCores & 0xff) | ((group.maxFragmentCores & 0xff) << 8)
                | ((group.maxTilerCores & 0xf) << 16) | ((priority & 0xf) << 28);
        csg.input().write32(CSG_INPUT_ENDPOINT_REQ, endpointReq);
        int as = mmuCall(m -> m.vmAs(group.vm));
        csg.input().write32(CSG_INPUT_CONFIG, as);
        csg.input().write64(CSG_INPUT_SUSPEND_BUF, group.suspendBuf == null ? 0 : group.suspendBuf.gpuVa());
        csg.input().write64(CSG_INPUT_PROTM_SUSPEND_BUF,
                group.protmSuspendBuf == null ? 0 : group.protmSuspendBuf.gpuVa());
        csg.input().write32(CSG_INPUT_ACK_IRQ_MASK, ~0);
        csg.toggleReqs(CSG_INPUT_DOORBELL_REQ, CSG_OUTPUT_DOORBELL_ACK, queueMask);
    }

    /** {@code group_bind_locked()}: the VM gets an address space, the group a slot. */
    int groupBindLocked(PanthorGroup group, int csgId) {
        int ret = mmuCall(m -> m.vmActive(group.vm));
        if (ret != 0) {
            return ret;
        }
        group.csgId = csgId;
        csgSlots[csgId] = group;
        for (PanthorQueue queue : group.queues) {
            queue.doorbellId = csgId + 1;
        }
        return 0;
    }

    /** {@code group_unbind_locked()}: timers paused (unless blocked on a sync wait), VM idle. */
    void groupUnbindLocked(PanthorGroup group) {
        if (group.csgId < 0) {
            return;
        }
        for (PanthorQueue queue : group.queues) {
            if ((group.blockedQueues & (1 << queue.index)) == 0) {
                queueSuspendTimeoutLocked(queue);
            }
            queue.doorbellId = -1;
        }
        csgSlots[group.csgId] = null;
        group.csgId = -1;
        group.rrStamp = ++rrClock;
        mmuRun(m -> m.vmIdle(group.vm));
    }

    /** Suspends (or terminates) the groups of {@code evictMask}; failures time them out. */
    void csgsEvictLocked(int evictMask, boolean forReset) {
        CsgsUpdCtx ctx = new CsgsUpdCtx(csgSlotCount);
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            PanthorGroup group = csgSlots[csgId];
            if (group == null || (evictMask & (1 << csgId)) == 0) {
                continue;
            }
            int state = groupCanRun(group) ? CSG_STATE_SUSPEND : CSG_STATE_TERMINATE;
            csgsUpdCtxQueueReqs(ctx, csgId, state, CSG_STATE_MASK);
        }
        int timedoutMask = csgsUpdCtxApplyLocked(ctx);
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            PanthorGroup group = csgSlots[csgId];
            if (group == null || (ctx.updateMask & (1 << csgId)) == 0) {
                continue;
            }
            if ((timedoutMask & (1 << csgId)) != 0) {
                /* A group that could still run is innocent: it was caught by someone else's hang. */
                group.innocent = groupCanRun(group);
                group.timedout = true;
                group.state = PanthorGroup.PANTHOR_CS_GROUP_UNKNOWN_STATE;
                if (!forReset) {
                    fw.scheduleReset();
                    resetPending = true;
                }
            }
            csgSlotSyncQueuesStateLocked(csgId);
            /*
             * Events the slot raised before it was suspended (a CS_FATAL whose IRQ work has not
             * run yet) are this group's: process them while the group is still on the slot,
             * or they would be charged to its next occupant.
             */
            schedProcessCsgIrqLocked(csgId);
            groupUnbindLocked(group);
            for (PanthorQueue queue : group.queues) {
                queueCheckJobCompletionLocked(group, queue);
            }
            if (!groupCanRun(group)) {
                groupTermPostProcessingLocked(group);
                groupReleaseLocked(group);
            }
        }
    }

    // ------------------------------------------------------------------ tick

    /** {@code tick_ctx_pick_groups_from_list()} for every list, as one ordered pick. */
    List<PanthorGroup> tickCtxPickGroups(boolean fullTick) {
        List<PanthorGroup> nonIdle = new ArrayList<>();
        List<PanthorGroup> idle = new ArrayList<>();
        for (PanthorGroup group : groups.values()) {
            if (!groupCanRun(group) || group.released) {
                continue;
            }
            (group.isIdle() ? idle : nonIdle).add(group);
        }
        Comparator<PanthorGroup> byPrio = Comparator.comparingInt(g -> -g.priority);
        Comparator<PanthorGroup> rotation = (a, b) -> {
            boolean ra = a.csgId >= 0;
            boolean rb = b.csgId >= 0;
            if (ra != rb) {
                return ra ? 1 : -1;
            }
            /* Waiting the longest first; among resident ones the newest first (the oldest is evicted). */
            return ra ? Long.compare(b.rrStamp, a.rrStamp) : Long.compare(a.rrStamp, b.rrStamp);
        };
        Comparator<PanthorGroup> residentFirst = (a, b) -> {
            boolean ra = a.csgId >= 0;
            boolean rb = b.csgId >= 0;
            if (ra != rb) {
                return ra ? -1 : 1;
            }
            return Long.compare(a.rrStamp, b.rrStamp);
        };
        if (fullTick) {
            nonIdle.sort(byPrio.thenComparing(rotation));
        } else {
            /* Mid-timeslice: only real-time groups preempt resident ones. */
            Comparator<PanthorGroup> rtFirst = Comparator.comparingInt(
                    g -> g.priority == PANTHOR_GROUP_PRIORITY_REALTIME ? 0 : 1);
            nonIdle.sort(rtFirst.thenComparing((a, b) -> {
                boolean ra = a.csgId >= 0;
                boolean rb = b.csgId >= 0;
                return ra == rb ? 0 : ra ? -1 : 1;
            }).thenComparing(byPrio).thenComparing(residentFirst));
        }
        idle.sort(byPrio.thenComparing(residentFirst));
        List<PanthorGroup> picked = new ArrayList<>();
        Set<VmRef> vms = new HashSet<>();
        List<PanthorGroup> all = new ArrayList<>(nonIdle);
        all.addAll(idle);
        for (PanthorGroup group : all) {
            if (picked.size() == csgSlotCount) {
                break;
            }
            if (!vms.contains(group.vm) && vms.size() >= asSlotCount - 1) {
                continue;
            }
            picked.add(group);
            vms.add(group.vm);
        }
        return picked;
    }

    /** {@code tick_work()}. */
    private void tickWorkFn() {
        lock.lock();
        try {
            tickDeadline = -1;
            boolean anything = !groups.isEmpty();
            if (!anything) {
                reschedTarget = -1;
                return;
            }
        } finally {
            lock.unlock();
        }
        if (!fw.booted() || fw.resetPending()) {
            return;
        }
        int ret = fw.resumeAndGet();
        if (ret != 0) {
            return;
        }
        try {
            lock.lock();
            try {
                if (!resetInProgress) {
                    tickLocked();
                }
            } finally {
                lock.unlock();
            }
        } finally {
            fw.putAutosuspend();
        }
    }

    void tickLocked() {
        long now = time.nowNanos();
        boolean fullTick = reschedTarget < 0 || now >= reschedTarget;
        /*
         * tick_ctx_init(): a resident group on a VM with unhandled faults gets its CSG IRQs
         * processed first, so that the faulty queue is flagged by its own CS_FATAL (and the
         * event does not stay pending for the slot's next occupant); without one, all its
         * queues are flagged. Groups off slot cannot have faulted.
         */
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            PanthorGroup group = csgSlots[csgId];
            if (group != null && mmuCall(m -> m.vmHasUnhandledFaults(group.vm))) {
                schedProcessCsgIrqLocked(csgId);
                if (group.fatalQueues == 0) {
                    group.fatalQueues |= group.allQueuesMask();
                    groupCaptureCoredumpLocked(group, "MMU_FAULT", -1, 0, 0);
                }
            }
        }
        /* (1) refresh the resident groups' status */
        CsgsUpdCtx ctx = new CsgsUpdCtx(csgSlotCount);
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            if (csgSlots[csgId] != null) {
                int ack = fw.csg(csgId).output().read32(CSG_OUTPUT_ACK);
                csgsUpdCtxQueueReqs(ctx, csgId, ack ^ CSG_STATUS_UPDATE, CSG_STATUS_UPDATE);
            }
        }
        csgsUpdCtxApplyLocked(ctx);
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            csgSlotSyncQueuesStateLocked(csgId);
        }
        /* (2) pick */
        List<PanthorGroup> picked = tickCtxPickGroups(fullTick);
        /* (3) evict */
        int evictMask = 0;
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            PanthorGroup group = csgSlots[csgId];
            if (group != null && !picked.contains(group)) {
                evictMask |= 1 << csgId;
            }
        }
        if (evictMask != 0) {
            csgsEvictLocked(evictMask, false);
        }
        /* (4) survivors' priority, new groups on free slots */
        ctx = new CsgsUpdCtx(csgSlotCount);
        int csgPrio = MAX_CSG_PRIO;
        List<PanthorGroup> started = new ArrayList<>();
        for (PanthorGroup group : picked) {
            int prio = csgPrio--;
            if (group.csgId >= 0) {
                if (group.csgPriority != prio) {
                    PanthorFirmware.Iface csg = fw.csg(group.csgId);
                    int ep = csg.input().read32(CSG_INPUT_ENDPOINT_REQ);
                    csg.input().write32(CSG_INPUT_ENDPOINT_REQ, (ep & ~CSG_EP_REQ_PRIORITY_MASK) | ((prio & 0xf) << 28));
                    int ack = csg.output().read32(CSG_OUTPUT_ACK);
                    csgsUpdCtxQueueReqs(ctx, group.csgId, ack ^ CSG_ENDPOINT_CONFIG, CSG_ENDPOINT_CONFIG);
                    group.csgPriority = prio;
                }
                continue;
            }
            int csgId = freeCsgSlot();
            if (csgId < 0 || groupBindLocked(group, csgId) != 0) {
                continue;
            }
            group.csgPriority = prio;
            group.rrStamp = ++rrClock;
            csgSlotProgLocked(csgId, prio);
            int state = group.state == PanthorGroup.PANTHOR_CS_GROUP_SUSPENDED ? CSG_STATE_RESUME : CSG_STATE_START;
            int ack = fw.csg(csgId).output().read32(CSG_OUTPUT_ACK);
            csgsUpdCtxQueueReqs(ctx, csgId, state | (ack ^ CSG_ENDPOINT_CONFIG), CSG_STATE_MASK | CSG_ENDPOINT_CONFIG);
            started.add(group);
        }
        int timedoutMask = csgsUpdCtxApplyLocked(ctx);
        if (timedoutMask != 0) {
            fw.logErr("CSG slots %#x did not acknowledge their requests, scheduling a reset", timedoutMask);
            fw.scheduleReset();
            resetPending = true;
        }
        for (PanthorGroup group : started) {
            /* Work queued while it waited: make sure the firmware sees it. */
            fw.ringDoorbell(group.csgId + 1);
        }
        /* Dead groups that are not resident are done now. */
        for (PanthorGroup group : new ArrayList<>(groups.values())) {
            if (group.csgId < 0 && !groupCanRun(group)) {
                groupTermPostProcessingLocked(group);
                groupReleaseLocked(group);
            }
        }
        /* (5) busy/idle */
        boolean allIdle = true;
        for (int csgId = 0; csgId < csgSlotCount; csgId++) {
            if (csgSlots[csgId] != null && !csgSlots[csgId].isIdle()) {
                allIdle = false;
            }
        }
        if (allIdle) {
            devfreqRecord(false);
            if (pmHasRef) {
                pmHasRef = false;
                fw.putAutosuspend();
            }
        } else {
            devfreqRecord(true);
            if (!pmHasRef && fw.resumeAndGet() == 0) {
                pmHasRef = true;
            }
        }
        /* (6) the next tick: only while groups are left out */
        boolean leftOut = false;
        for (PanthorGroup group : groups.values()) {
            if (group.csgId < 0 && groupCanRun(group) && !group.isIdle()) {
                leftOut = true;
                break;
            }
        }
        if (fullTick) {
            lastTick = now;
        }
        if (leftOut) {
            if (fullTick || reschedTarget < 0) {
                reschedTarget = lastTick + TICK_PERIOD_MS * VirtualTime.NANOS_PER_MS;
            }
            schedQueueTick(reschedTarget - now);
        } else {
            reschedTarget = -1;
        }
    }

    // ------------------------------------------------------------------ device hooks

    @Override
    public int init() {
        return 0;
    }

    /** {@code panthor_sched_suspend()}: every resident group suspended (or terminated). */
    @Override
    public void suspend() {
        lock.lock();
        try {
            int mask = 0;
            for (int csgId = 0; csgId < csgSlotCount; csgId++) {
                if (csgSlots[csgId] != null) {
                    mask |= 1 << csgId;
                }
            }
            if (mask != 0) {
                csgsEvictLocked(mask, resetInProgress);
            }
            /*
             * sched->pm.has_ref stays: a runtime suspend only happens without it, and on the
             * reset path the next tick drops it once everything is idle.
             */
        } finally {
            lock.unlock();
        }
    }

    /** {@code panthor_sched_resume()}: force a tick to re-schedule and kill faulty groups. */
    @Override
    public void resume() {
        if (owner) {
            schedQueueTickNow();
        }
    }

    /** {@code panthor_sched_pre_reset()}. */
    @Override
    public void preReset() {
        if (!owner) {
            return;
        }
        lock.lock();
        try {
            resetInProgress = true;
            tickWork.cancel();
            tickDeadline = -1;
        } finally {
            lock.unlock();
        }
        suspend();
    }

    /** {@code panthor_sched_post_reset()}: restart, or kill everything when the reset failed. */
    @Override
    public void postReset(boolean resetFailed) {
        if (!owner) {
            return;
        }
        lock.lock();
        try {
            resetInProgress = false;
            resetPending = false;
            if (resetFailed) {
                for (PanthorGroup group : new ArrayList<>(groups.values())) {
                    group.state = PanthorGroup.PANTHOR_CS_GROUP_TERMINATED;
                    groupTermPostProcessingLocked(group);
                    groupReleaseLocked(group);
                }
            }
            schedQueueTickNow();
        } finally {
            lock.unlock();
        }
    }

    /** {@code panthor_sched_unplug()}: no more ticks; every job fails -ECANCELED; the PM reference is put. */
    @Override
    public void unplug() {
        if (!owner) {
            return;
        }
        lock.lock();
        try {
            tickWork.cancel();
            tickDeadline = -1;
            for (PanthorGroup group : groups.values()) {
                groupTermPostProcessingLocked(group);
            }
            if (pmHasRef) {
                pmHasRef = false;
                fw.putAutosuspend();
            }
        } finally {
            lock.unlock();
        }
        heaps.unplug();
    }

    @Override
    public boolean busy() {
        lock.lock();
        try {
            for (int csgId = 0; csgId < csgSlotCount; csgId++) {
                if (csgSlots[csgId] != null && !csgSlots[csgId].isIdle()) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ heaps, files

    @Override
    public DrmPanthorTilerHeapCreate heapCreate(UabiCall call, VmRef vm, DrmPanthorTilerHeapCreate args) {
        return heaps.heapCreate(call, vm, args);
    }

    @Override
    public void heapDestroy(UabiCall call, VmRef vm, int handle) {
        heaps.heapDestroy(call, vm, handle);
    }

    /** {@code panthor_group_pool_destroy()}. */
    @Override
    public void fileClosed(UabiFile file) {
        lock.lock();
        try {
            for (PanthorGroup group : new ArrayList<>(groups.values())) {
                if (group.clientId == file.clientId() && !group.destroyed) {
                    file.groups().remove(group.handle);
                    groupDestroyLocked(group);
                }
            }
        } finally {
            lock.unlock();
        }
        heaps.fileClosed(file);
    }

    // ------------------------------------------------------------------ state

    /** The tick's deadline in virtual time while armed, -1 otherwise. */
    long tickDeadline = -1;

    /** Timer encoding in {@link SchedState.JobState#deadlineNanos()} of a queue's oldest ring job. */
    private static long exportDeadline(PanthorQueue queue) {
        if (queue.timeoutDeadline >= 0) {
            return queue.timeoutDeadline;
        }
        if (queue.timeoutRemaining >= 0) {
            return -2 - queue.timeoutRemaining;
        }
        return -1;
    }

    /**
     * The state. Encodings the record has no field for: a destroyed group not yet terminated
     * has a negative handle; a job not yet in the ring has seqno -1, its stream as
     * [ringStart, ringEnd) and its flush id as deadline (its dependencies are not carried); a
     * paused job timer is deadline {@code -2 - remaining}.
     */
    @Override
    public SchedState exportState() {
        lock.lock();
        try {
            List<SchedState.GroupState> gs = new ArrayList<>();
            for (PanthorGroup g : groups.values()) {
                if (g.released) {
                    continue;
                }
                List<SchedState.QueueState> qs = new ArrayList<>();
                for (PanthorQueue q : g.queues) {
                    List<SchedState.JobState> js = new ArrayList<>();
                    boolean first = true;
                    for (PanthorJob j : q.inFlight) {
                        long deadline = -1;
                        if (first && j.ringEnd > j.ringStart) {
                            deadline = exportDeadline(q);
                            first = false;
                        }
                        js.add(new SchedState.JobState(j.seqno, j.ringStart, j.ringEnd, j.doneFence, deadline));
                    }
                    for (PanthorJob j : q.pending) {
                        js.add(new SchedState.JobState(-1, j.streamAddr, j.streamAddr + j.streamSize, j.doneFence,
                                Integer.toUnsignedLong(j.latestFlush)));
                    }
                    qs.add(new SchedState.QueueState(q.index, q.priority, q.ringbuf, q.iface, q.insert, q.extract,
                            q.syncSeqno, (g.blockedQueues & (1 << q.index)) != 0, js));
                }
                gs.add(new SchedState.GroupState(g.clientId, g.pid, g.comm, g.destroyed ? -g.handle : g.handle, g.vm,
                        g.priority, g.computeCoreMask, g.fragmentCoreMask, g.tilerCoreMask, g.maxComputeCores,
                        g.maxFragmentCores, g.maxTilerCores, g.state, g.csgId, g.fatalQueues, g.timedout,
                        g.innocent, g.suspendBuf, g.protmSuspendBuf, g.syncobjs, qs));
            }
            List<SchedState.CsgSlotState> slots = new ArrayList<>();
            for (int i = 0; i < csgSlotCount; i++) {
                PanthorGroup g = csgSlots[i];
                slots.add(g == null ? new SchedState.CsgSlotState(i, 0, 0, 0, false)
                        : new SchedState.CsgSlotState(i, g.clientId, g.destroyed ? -g.handle : g.handle,
                                g.csgPriority, g.isIdle()));
            }
            return new SchedState(SchedState.VERSION, gs, slots, heaps.exportState(), tickDeadline >= 0,
                    tickDeadline, resetPending);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void importState(SchedState state) throws IncompatibleStateException {
        if (state.version() != SchedState.VERSION) {
            throw new IncompatibleStateException("SchedState version " + state.version());
        }
        if (!fw.booted()) {
            throw new IncompatibleStateException("the firmware has not booted");
        }
        int slots = Math.min(fw.csgSlotCount(), MAX_CSG_PRIO + 1);
        if (state.csgSlots().size() != slots) {
            throw new IncompatibleStateException("CSG slot count " + state.csgSlots().size() + ", firmware has " + slots);
        }
        DrmPanthorCsifInfo csif = fw.csifInfo();
        for (SchedState.GroupState gs : state.groups()) {
            if (gs.queues().size() > csif.csSlotCount()) {
                throw new IncompatibleStateException("group with " + gs.queues().size() + " queues");
            }
        }
        setupWork();
        lock.lock();
        try {
            csgSlotCount = slots;
            csSlotCount = csif.csSlotCount();
            csRegCount = csif.csRegCount();
            unpreservedCsRegCount = csif.unpreservedCsRegCount();
            sbSlotCount = csif.scoreboardSlotCount();
            asSlotCount = Integer.bitCount(gpuInfo.asPresent());
            csgSlots = new PanthorGroup[slots];
            groups.clear();
            for (SchedState.GroupState gs : state.groups()) {
                PanthorGroup g = new PanthorGroup(gs.clientId(), gs.pid(), gs.comm(), gs.vm(), gs.priority(),
                        gs.computeCoreMask(), gs.fragmentCoreMask(), gs.tilerCoreMask(), gs.maxCompute(),
                        gs.maxFragment(), gs.maxTiler(), DmaFence.allocContext());
                g.destroyed = gs.handle() < 0;
                g.handle = Math.abs(gs.handle());
                g.state = gs.state();
                g.csgId = gs.csgSlot();
                g.fatalQueues = gs.fatalQueues();
                g.timedout = gs.timedOut();
                g.innocent = gs.innocent();
                g.termProcessed = gs.state() == PanthorGroup.PANTHOR_CS_GROUP_TERMINATED
                        || gs.state() == PanthorGroup.PANTHOR_CS_GROUP_UNKNOWN_STATE;
                g.suspendBuf = gs.suspendBuf();
                g.protmSuspendBuf = gs.protmSuspendBuf();
                g.syncobjs = gs.syncobjs();
                g.rrStamp = ++rrClock;
                List<PanthorQueue> qs = new ArrayList<>();
                for (SchedState.QueueState q : gs.queues()) {
                    PanthorQueue queue = new PanthorQueue(q.index(), q.priority());
                    queue.ringbuf = q.ringbuf();
                    queue.iface = q.iface();
                    queue.insert = q.insert();
                    queue.extract = q.extract();
                    queue.syncSeqno = q.syncSeqno();
                    queue.seqno = q.syncSeqno();
                    queue.timeout = new DelayedWork(time, () -> viaSlot(() -> queueTimeoutWork(g, queue)));
                    for (SchedState.JobState js : q.jobs()) {
                        if (js.seqno() == -1) {
                            queue.pending.add(new PanthorJob(g, q.index(), js.ringStart(),
                                    (int) (js.ringEnd() - js.ringStart()), (int) js.deadlineNanos(), js.doneFence(),
                                    List.of()));
                            continue;
                        }
                        PanthorJob job = new PanthorJob(g, q.index(), 0, (int) (js.ringEnd() - js.ringStart()), 0,
                                js.doneFence(), List.of());
                        job.seqno = js.seqno();
                        job.ringStart = js.ringStart();
                        job.ringEnd = js.ringEnd();
                        queue.seqno = Math.max(queue.seqno, js.seqno());
                        queue.inFlight.add(job);
                        if (js.deadlineNanos() >= 0) {
                            queue.timeoutDeadline = js.deadlineNanos();
                        } else if (js.deadlineNanos() <= -2) {
                            queue.timeoutRemaining = -2 - js.deadlineNanos();
                        }
                    }
                    int bit = 1 << q.index();
                    if (q.blocked()) {
                        g.blockedQueues |= bit;
                    }
                    if (q.blocked() || !queue.hasRingWork()) {
                        g.idleQueues |= bit;
                    }
                    if (g.csgId >= 0) {
                        queue.doorbellId = g.csgId + 1;
                    }
                    qs.add(queue);
                }
                g.queues = qs.toArray(new PanthorQueue[0]);
                groups.put(g.key(), g);
            }
            for (SchedState.CsgSlotState cs : state.csgSlots()) {
                if (cs.clientId() == 0 && cs.groupHandle() == 0) {
                    continue;
                }
                PanthorGroup g = groups.get(PanthorGroup.key(cs.clientId(), Math.abs(cs.groupHandle())));
                if (g != null) {
                    csgSlots[cs.slot()] = g;
                    g.csgId = cs.slot();
                    g.csgPriority = cs.priority();
                    /* The last STATUS_UPDATE's verdict, which the queues alone cannot tell. */
                    if (cs.idle()) {
                        g.idleQueues = g.allQueuesMask();
                    } else if (g.isIdle()) {
                        g.idleQueues &= ~1;
                    }
                }
            }
            heaps.importState(state.heapPools());
            resetPending = state.resetPending();
            owner = true;
            long now = time.nowNanos();
            for (PanthorGroup g : groups.values()) {
                for (PanthorQueue q : g.queues) {
                    if (q.timeoutDeadline >= 0) {
                        q.timeout.modDelayedWork(wq, Math.max(0, q.timeoutDeadline - now));
                    }
                }
            }
            tickDeadline = -1;
            reschedTarget = -1;
            if (state.tickArmed()) {
                tickDeadline = state.nextTickNanos();
                reschedTarget = state.nextTickNanos();
                tickWork.modDelayedWork(wq, Math.max(0, state.nextTickNanos() - now));
            }
            lastTick = now;
            /* Events the slot may have dropped while nobody owned the state. */
            fwEvents.getAndUpdate(e -> e | JOB_INT_GLOBAL_IF | ((1 << slots) - 1));
            wq.queueWork(fwEventsWork);
            wq.queueWork(syncUpdWork);
            wq.queueWork(runJobWork);
            /* The previous owner's runtime-PM reference went with it: a tick re-takes it. */
            wq.queueWork(postImportWork);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void releaseState() {
        owner = false;
        lock.lock();
        try {
            if (tickWork != null) {
                tickWork.cancel();
            }
            tickDeadline = -1;
            for (PanthorGroup g : groups.values()) {
                for (PanthorQueue q : g.queues) {
                    if (q.timeout != null) {
                        q.timeout.cancel();
                    }
                }
            }
            groups.clear();
            csgSlots = new PanthorGroup[0];
            csgSlotCount = 0;
            if (pmHasRef) {
                pmHasRef = false;
                fw.putAutosuspend();
            }
        } finally {
            lock.unlock();
        }
        heaps.releaseState();
    }

    // ------------------------------------------------------------------ introspection

    @Override
    public List<GroupInfo> groups() {
        lock.lock();
        try {
            List<GroupInfo> out = new ArrayList<>();
            for (PanthorGroup g : groups.values()) {
                long jobs = 0;
                for (PanthorQueue q : g.queues) {
                    jobs += q.inFlight.size() + q.pending.size();
                }
                out.add(new GroupInfo(g.clientId, g.handle, g.vm, g.priority, g.queueCount(), g.stateName(), g.csgId,
                        g.fatalQueues, g.timedout, g.innocent, jobs));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<CsgSlotInfo> csgSlots() {
        lock.lock();
        try {
            List<CsgSlotInfo> out = new ArrayList<>();
            for (int i = 0; i < csgSlotCount; i++) {
                PanthorGroup g = csgSlots[i];
                out.add(g == null ? new CsgSlotInfo(i, 0, 0, 0, false)
                        : new CsgSlotInfo(i, g.clientId, g.handle, g.csgPriority, g.isIdle()));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<QueueInfo> queues() {
        lock.lock();
        try {
            List<QueueInfo> out = new ArrayList<>();
            for (PanthorGroup g : groups.values()) {
                for (PanthorQueue q : g.queues) {
                    out.add(new QueueInfo(g.clientId, g.handle, q.index, q.priority,
                            q.ringbuf == null ? 0 : q.ringbuf.gpuVa(), q.ringbufSize(), q.insert, q.extract,
                            q.submitted, q.completed, (g.blockedQueues & (1 << q.index)) != 0));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }
}
