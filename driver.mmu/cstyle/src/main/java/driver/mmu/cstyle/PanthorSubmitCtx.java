package driver.mmu.cstyle;

import driver.core.kernel.DmaFence;
import driver.core.kernel.Syncobj;
import driver.core.subsys.UabiCall;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.List;

/**
 * DOC: struct panthor_submit_ctx, for asynchronous VM_BIND.
 *
 * The submission context of {@code panthor_drv.c}, as {@code panthor_ioctl_vm_bind_async()}
 * uses it: the jobs with their copied sync ops, and the list of signal operations
 * ({@link PanthorSyncSignal}) collected from every job first, so a wait in a later job on a
 * syncobj point an earlier job of the same batch signals depends on that job's fence
 * ({@code panthor_submit_ctx_search_sync_signal()}). Steps, in the C order:
 * {@link #addJob}, {@link #collectJobsSignalOps} (check each signal op, look the syncobj up:
 * EINVAL if unknown), {@link #addDepsAndArmJobs} (check each wait op; the fence comes from the
 * batch's signal list or {@code drm_syncobj_find_fence()}: ENOENT for an unknown syncobj,
 * EINVAL for a point without a fence; then the job's done fence is armed and becomes the
 * fence of its signal ops), and, once nothing can fail, {@link #pushFences} (timeline points
 * are added, binary syncobjs get their fence replaced). {@link #cleanup} drops the syncobj
 * references whatever happened.
 */
final class PanthorSubmitCtx {

    /** {@code struct panthor_sync_signal}. */
    static final class PanthorSyncSignal {
        final int handle;
        final long point;
        final Syncobj syncobj;
        DmaFence fence;

        PanthorSyncSignal(int handle, long point, Syncobj syncobj) {
            this.handle = handle;
            this.point = point;
            this.syncobj = syncobj;
        }
    }

    /** {@code struct panthor_job_ctx}. */
    record PanthorJobCtx(PanthorVm.PanthorVmBindJob job, List<DrmPanthorSyncOp> syncOps) {
    }

    /** Arms a job: creates its done fence. */
    interface JobArm {
        void arm(PanthorVm.PanthorVmBindJob job);
    }

    final UabiCall call;
    final List<PanthorSyncSignal> signals = new ArrayList<>();
    final List<PanthorJobCtx> jobs = new ArrayList<>();

    PanthorSubmitCtx(UabiCall call) {
        this.call = call;
    }

    static boolean syncOpIsSignal(DrmPanthorSyncOp op) {
        return (op.flags() & PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL) != 0;
    }

    /** {@code panthor_check_sync_op()}: 0 or -EINVAL. */
    int checkSyncOp(DrmPanthorSyncOp op) {
        try {
            call.checkSyncOp(op);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** {@code panthor_submit_ctx_add_job()}: copies the op's sync array (EFAULT, EINVAL, E2BIG). */
    int addJob(PanthorVm.PanthorVmBindJob job, driver.core.uapi.DrmPanthorObjArray syncs) {
        List<DrmPanthorSyncOp> ops;
        try {
            ops = syncs.count() == 0 ? List.of() : call.copySyncOps(syncs);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        jobs.add(new PanthorJobCtx(job, ops));
        return 0;
    }

    /** {@code panthor_submit_ctx_search_sync_signal()}. */
    PanthorSyncSignal searchSyncSignal(int handle, long point) {
        for (PanthorSyncSignal s : signals) {
            if (s.handle == handle && s.point == point) {
                return s;
            }
        }
        return null;
    }

    /** {@code panthor_submit_ctx_add_sync_signal()}: the syncobj and the fence now at that point, if any. */
    int addSyncSignal(int handle, long point) {
        Syncobj syncobj = call.file().lookupSyncobj(handle);
        if (syncobj == null) {
            return -Errno.EINVAL;
        }
        PanthorSyncSignal sig = new PanthorSyncSignal(handle, point, syncobj);
        try {
            sig.fence = syncobj.findFence(point);
        } catch (Syncobj.NoFenceException e) {
            sig.fence = null;
        }
        signals.add(sig);
        return 0;
    }

    /** {@code panthor_submit_ctx_collect_jobs_signal_ops()}. */
    int collectJobsSignalOps() {
        for (PanthorJobCtx j : jobs) {
            for (DrmPanthorSyncOp op : j.syncOps()) {
                if (!syncOpIsSignal(op)) {
                    continue;
                }
                int ret = checkSyncOp(op);
                if (ret != 0) {
                    return ret;
                }
                if (searchSyncSignal(op.handle(), op.timelineValue()) == null) {
                    ret = addSyncSignal(op.handle(), op.timelineValue());
                    if (ret != 0) {
                        return ret;
                    }
                }
            }
        }
        return 0;
    }

    /**
     * {@code panthor_submit_ctx_add_deps_and_arm_jobs()}: per job, its wait fences, then
     * {@code drm_sched_job_arm()}, then its done fence becomes the fence of its signal ops.
     */
    int addDepsAndArmJobs(JobArm arm) {
        for (PanthorJobCtx j : jobs) {
            for (DrmPanthorSyncOp op : j.syncOps()) {
                if (syncOpIsSignal(op)) {
                    continue;
                }
                int ret = checkSyncOp(op);
                if (ret != 0) {
                    return ret;
                }
                PanthorSyncSignal sig = searchSyncSignal(op.handle(), op.timelineValue());
                DmaFence fence;
                if (sig != null) {
                    if (sig.fence == null) {
                        return -Errno.EINVAL;
                    }
                    fence = sig.fence;
                } else {
                    /* drm_syncobj_find_fence() */
                    Syncobj syncobj = call.file().lookupSyncobj(op.handle());
                    if (syncobj == null) {
                        return -Errno.ENOENT;
                    }
                    try {
                        fence = syncobj.findFence(op.timelineValue());
                    } catch (Syncobj.NoFenceException e) {
                        return -Errno.EINVAL;
                    } finally {
                        syncobj.put();
                    }
                }
                j.job().waitFences.add(fence);
            }
            arm.arm(j.job());
            for (DrmPanthorSyncOp op : j.syncOps()) {
                if (syncOpIsSignal(op)) {
                    searchSyncSignal(op.handle(), op.timelineValue()).fence = j.job().doneFence;
                }
            }
        }
        return 0;
    }

    /** {@code panthor_submit_ctx_push_fences()}: only once the jobs are pushed. */
    void pushFences() {
        for (PanthorSyncSignal sig : signals) {
            if (sig.point > 0) {
                sig.syncobj.addPoint(sig.fence, sig.point);
            } else {
                sig.syncobj.replaceFence(sig.fence);
            }
        }
    }

    /** {@code panthor_submit_ctx_cleanup()}: the syncobj references. */
    void cleanup() {
        for (PanthorSyncSignal sig : signals) {
            sig.syncobj.put();
        }
        signals.clear();
    }
}
