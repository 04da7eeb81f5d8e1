package driver.mmu.rewritten;

import driver.core.kernel.WorkQueue;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.UabiCall;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.ErrnoException;
import driver.mmu.rewritten.vm.Vm;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * DOC: Asynchronous VM_BIND: every VM's {@link BindQueue}, run on the MMU's work queue.
 *
 * {@link #submit} is {@code panthor_ioctl_vm_bind_async()}: every op becomes a prepared
 * {@link BindJob} (EINVAL on a destroyed or unusable VM first), the batch's syncs are resolved
 * ({@link BindBatch}) and the jobs armed; only when nothing can fail any more are they pushed
 * and their fences published, so a refused bind changes nothing. The queue's work enters the
 * MMU through the mmu slot like every other call (a swap waits for a running job; the work of
 * an instance that no longer owns the state does nothing) and runs the ready head jobs in
 * order ({@code panthor_vm_bind_run_job()}): a failing op makes the VM unusable and its fence
 * signals with the error; each job holds a VM reference until it ran.
 */
final class BindQueues {

    private final Mmu owner;
    private final VirtualTime time;
    private final WorkQueue workQueue;
    private final BiConsumer<Vm, PreparedOp> runOp;
    private final Consumer<Vm> putVm;
    private final Supplier<DriverSubsystems> subsystems;
    private final Map<Vm, BindQueue> queues = new IdentityHashMap<>();
    private volatile boolean running;
    private volatile boolean stopped;

    /**
     * @param owner      the MMU whose slot the work enters through
     * @param runOp      runs one prepared op on its VM ({@code panthor_vm_exec_op()}, unusable on failure)
     * @param putVm      drops a VM reference
     * @param subsystems the slots, if any
     */
    BindQueues(Mmu owner, VirtualTime time, BiConsumer<Vm, PreparedOp> runOp, Consumer<Vm> putVm,
               Supplier<DriverSubsystems> subsystems) {
        this.owner = owner;
        this.time = time;
        this.workQueue = new WorkQueue("panthor-vm-bind", time);
        this.runOp = runOp;
        this.putVm = putVm;
        this.subsystems = subsystems;
    }

    private BindQueue queueOf(Vm vm) {
        synchronized (queues) {
            return queues.computeIfAbsent(vm, v -> new BindQueue(q -> runWork(v, q)));
        }
    }

    private List<BindQueue> all() {
        synchronized (queues) {
            return new ArrayList<>(queues.values());
        }
    }

    /** Queues asynchronous binds of {@code ops} on {@code vm}; refuses the whole batch or nothing. */
    void submit(UabiCall call, Vm vm, List<DrmPanthorVmBindOp> ops) {
        BindQueue queue = queueOf(vm);
        List<BindJob> jobs = new ArrayList<>();
        boolean pushed = false;
        try (BindBatch batch = new BindBatch(call)) {
            for (DrmPanthorVmBindOp raw : ops) {
                try (var guard = vm.lock()) {
                    if (vm.lifecycle() == Vm.Lifecycle.DESTROYED || vm.usability() == Vm.Usability.UNUSABLE) {
                        throw MmuError.invalid("VM destroyed or unusable");
                    }
                }
                BindJob job = new BindJob(PreparedOp.prepare(call.file(), vm, raw));
                jobs.add(job);
                batch.add(job, raw.syncs());
            }
            batch.collectSignals();
            try (var q = queue.locked()) {
                batch.resolveWaitsAndArm(job -> q.arm(job, time));
                for (BindJob job : jobs) {
                    try (var guard = vm.lock()) {
                        vm.get();
                    }
                    q.push(job);
                    job.listen(fence -> workQueue.queueWork(queue.work));
                }
                pushed = true;
            }
            batch.publish();
            workQueue.queueWork(queue.work);
        } finally {
            if (!pushed) {
                jobs.forEach(job -> job.op.close());
            }
        }
    }

    private void runWork(Vm vm, BindQueue queue) {
        DriverSubsystems subsys = subsystems.get();
        if (subsys == null) {
            run(vm, queue);
            return;
        }
        try {
            subsys.mmu().run(m -> {
                if (m == owner) {
                    run(vm, queue);
                }
            });
        } catch (SubsystemUnavailableException e) {
            /* parked: the next owner runs the imported queue */
        }
    }

    private void run(Vm vm, BindQueue queue) {
        while (true) {
            BindJob job;
            try (var q = queue.locked()) {
                if (!running || stopped) {
                    return;
                }
                Optional<BindJob> head = q.ready();
                if (head.isEmpty()) {
                    return;
                }
                job = head.get();
            }
            int error = 0;
            try {
                runOp.accept(vm, job.op);
            } catch (MmuError e) {
                error = RewrittenMmu.errno(e.kind());
            } catch (ErrnoException e) {
                error = e.errno();
            }
            job.op.close();
            try (var q = queue.locked()) {
                q.pop(job);
            }
            if (error != 0) {
                job.doneFence.signalWithError(-error);
            } else {
                job.doneFence.signal();
            }
            putVm.accept(vm);
        }
    }

    /** Runs every queue until nothing is ready (tests and benchmarks without a slot). */
    void flush() {
        workQueue.drain();
    }

    /** {@code panthor_vm_stop()} on every VM (pre-reset). */
    void stop() {
        stopped = true;
    }

    /** {@code panthor_vm_start()} on every VM (post-reset). */
    void restart() {
        stopped = false;
        all().forEach(q -> workQueue.queueWork(q.work));
    }

    /** The VM went away with its last reference (its queue is empty: every job holds one). */
    void remove(Vm vm) {
        synchronized (queues) {
            queues.remove(vm);
        }
    }

    /** Runs {@code task} on the bind work queue. */
    void later(Runnable task) {
        workQueue.queueWork(new WorkQueue.Work(task));
    }

    // ---------------------------------------------------------------- state

    /** The VM's queue as {@code QueuedBind}s: one per job (one op), a MAP's BO in {@code bos}. */
    List<MmuState.QueuedBind> export(Vm vm) {
        BindQueue queue;
        synchronized (queues) {
            queue = queues.get(vm);
        }
        if (queue == null) {
            return List.of();
        }
        List<MmuState.QueuedBind> out = new ArrayList<>();
        try (var q = queue.locked()) {
            for (BindJob job : q.jobs()) {
                out.add(new MmuState.QueuedBind(job.seqno, List.of(job.op.raw()), job.waitFences, job.doneFence,
                        job.op.bo().map(List::of).orElse(List.of())));
            }
        }
        return out;
    }

    /**
     * Takes over adopted queues (jobs wait for their fences again) and starts running them. An
     * empty queue is created when a bind first needs it: queueing its work now would only wake
     * the worker during the swap's pause for nothing.
     */
    void adopt(Map<Vm, List<BindJob>> queued) {
        synchronized (queues) {
            queues.clear();
        }
        running = true;
        stopped = false;
        for (Map.Entry<Vm, List<BindJob>> e : queued.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            BindQueue queue = queueOf(e.getKey());
            try (var q = queue.locked()) {
                for (BindJob job : e.getValue()) {
                    q.adopt(job);
                    job.listen(fence -> workQueue.queueWork(queue.work));
                }
            }
            workQueue.queueWork(queue.work);
        }
    }

    /** Forgets every queue without running, failing or releasing anything: the next owner has them. */
    void forget() {
        running = false;
        for (BindQueue queue : all()) {
            try (var q = queue.locked()) {
                q.forget();
            }
            workQueue.cancel(queue.work);
        }
        synchronized (queues) {
            queues.clear();
        }
    }

    void destroy() {
        workQueue.destroy();
    }
}
