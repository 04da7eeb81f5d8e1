package workload.internal.load;

import driver.core.api.DrmDevice;
import hw.model.api.VirtualTime;

/**
 * DOC: Running load clients.
 *
 * {@link #start} sets up {@link LoadConfig#clients()} client processes (each a
 * {@link LoadClient}: its own VMs, BOs, groups and syncobjs), connects each to the previous one
 * (sync BO and producer timeline exported and imported, client 0 importing from the last) and
 * runs every client on its own thread, blocking in SYNCOBJ_TIMELINE_WAIT whenever it has
 * nothing to do; the returned {@link LoadRun} reports live counts and can be stopped.
 * {@link #run} does the same and waits for the end. These are for REALTIME virtual time (the
 * container): in deterministic time a thread blocked in a syncobj wait moves the clock itself
 * and can run it ahead of kernel work that is still queued. {@link #runStepped} runs all clients on the
 * calling thread, round robin, letting the kernel's work settle after each step and calling
 * {@code idle} (typically "advance deterministic time by a millisecond") whenever a round made
 * no progress: the same seed then gives the same run.
 *
 * The end of a run: clients stop submitting (quota reached or {@link LoadRun#stop}), then wait
 * for their outstanding jobs until {@link LoadConfig#drainTimeoutNanos()} of virtual time have
 * passed; what is still unresolved is lost. The kernel state is checked (timeline points, sync
 * objects), and the processes exit.
 */
public final class LoadEngine {

    private final DrmDevice drm;
    private final VirtualTime time;

    /**
     * @param drm  the device whose render node the clients open
     * @param time the system's monotonic clock (CLOCK_MONOTONIC of the simulated processes,
     *             which is what syncobj wait deadlines are measured in)
     */
    public LoadEngine(DrmDevice drm, VirtualTime time) {
        this.drm = drm;
        this.time = time;
    }

    /** Sets up the clients and runs them in the background. */
    public LoadRun start(LoadConfig config) {
        LoadRun run = new LoadRun(config, drm, time);
        run.startThreads();
        return run;
    }

    /** Runs {@code config} (which must have a job count) to completion on client threads; the finished run. */
    public LoadRun run(LoadConfig config) {
        requireBounded(config);
        LoadRun run = start(config);
        run.awaitEnd();
        return run;
    }

    /**
     * Runs {@code config} to completion on this thread; the finished run. {@code settle} runs
     * after every client step (a deterministic test drains the kernel's work queues there, so
     * that nothing runs concurrently with the next step), {@code idle} when a round made no
     * progress (it moves time).
     */
    public LoadRun runStepped(LoadConfig config, Runnable settle, Runnable idle) {
        requireBounded(config);
        LoadRun run = new LoadRun(config, drm, time);
        run.runStepped(settle, idle);
        return run;
    }

    private static void requireBounded(LoadConfig config) {
        if (config.jobs() == 0) {
            throw new IllegalArgumentException("a run to completion needs a job count");
        }
    }
}
