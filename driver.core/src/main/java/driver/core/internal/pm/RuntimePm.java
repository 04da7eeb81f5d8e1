package driver.core.internal.pm;

import driver.core.kernel.DelayedWork;
import driver.core.kernel.WorkQueue;
import driver.core.uapi.Errno;
import hw.model.api.VirtualTime;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DOC: Runtime PM.
 *
 * The part of Linux's runtime-PM core ({@code drivers/base/power/runtime.c}) the panthor device
 * uses, on virtual time:
 *
 *  - a usage counter: {@link #resumeAndGet()} ({@code pm_runtime_resume_and_get()}) counts up
 *    and resumes the device synchronously on the caller's thread, dropping the count again if
 *    the resume fails; {@link #getSync()} ({@code pm_runtime_get_sync()}) keeps it; {@link #put()} /
 *    {@link #putAutosuspend()} count down and, at zero, arm the autosuspend timer;
 *  - autosuspend: the device suspends {@code autosuspend_delay_ms} after it was last busy
 *    ({@link #markLastBusy()}; {@code putAutosuspend} marks it too). The timer is a
 *    {@link DelayedWork} on the PM work queue ({@code pm_wq}): it only queues the suspend,
 *    which runs on the queue's worker and re-checks everything (usage, last busy, control)
 *    before calling the driver's suspend callback;
 *  - {@code power/control}: "on" ({@link #forbid()}) holds a usage reference and resumes the
 *    device, "auto" ({@link #allow()}) drops it;
 *  - a negative autosuspend delay keeps the device active, as Linux does;
 *  - statuses "active", "suspending", "suspended", "resuming", and "error" after a failed
 *    resume until {@link #setSuspended()} clears it.
 *
 * Transitions (the driver's callbacks) run under one transition lock, so a resume that arrives
 * during a suspend waits for the suspend to finish and then resumes. Counters and the status
 * sit under a short lock that is never held across a callback, so {@link #put()} can be called
 * from anywhere, IRQ handlers included; {@link #resumeAndGet()} may wait on the hardware and
 * must not be called from an IRQ handler or a clock event.
 *
 * Not modelled: idle callbacks, runtime PM of parent/supplier devices, the irq-safe mode, the
 * {@code pm_runtime_barrier()} flavours and asynchronous resume requests.
 */
public final class RuntimePm {

    /** {@code enum rpm_status}, with the names {@code power/runtime_status} prints. */
    public enum Status {
        ACTIVE("active"), RESUMING("resuming"), SUSPENDED("suspended"), SUSPENDING("suspending");

        private final String sysfsName;

        Status(String sysfsName) {
            this.sysfsName = sysfsName;
        }

        public String sysfsName() {
            return sysfsName;
        }
    }

    /** The driver's {@code runtime_suspend} / {@code runtime_resume} callbacks: 0 or a negative errno. */
    public interface Callbacks {
        int runtimeSuspend();

        int runtimeResume();
    }

    private final VirtualTime time;
    private final WorkQueue pmWq;
    private final Callbacks callbacks;
    private final Object lock = new Object();
    private final ReentrantLock transition = new ReentrantLock();
    private final DelayedWork autosuspendWork;

    private Status status = Status.SUSPENDED;
    private int usage;
    private boolean enabled;
    private boolean allowed = true;
    private boolean useAutosuspend;
    private int autosuspendDelayMs;
    private long lastBusy;
    private int runtimeError;
    private long accountedAt;
    private long activeNanos;
    private long suspendedNanos;
    private long suspendCount;
    private long resumeCount;

    public RuntimePm(VirtualTime time, WorkQueue pmWq, Callbacks callbacks) {
        this.time = time;
        this.pmWq = pmWq;
        this.callbacks = callbacks;
        this.autosuspendWork = new DelayedWork(time, this::autosuspendWork);
        this.accountedAt = time.nowNanos();
    }

    // ------------------------------------------------------------------ configuration

    /** {@code pm_runtime_enable()}: the device starts suspended. */
    public void enable() {
        synchronized (lock) {
            enabled = true;
        }
    }

    /** {@code pm_runtime_set_autosuspend_delay()}. */
    public void setAutosuspendDelay(int ms) {
        boolean idle;
        synchronized (lock) {
            int old = autosuspendDelayMs;
            autosuspendDelayMs = ms;
            idle = updateAutosuspend(old, useAutosuspend);
        }
        if (idle) {
            idle();
        } else {
            ensureActiveIfHeld();
        }
    }

    /** {@code pm_runtime_use_autosuspend()} / {@code pm_runtime_dont_use_autosuspend()}. */
    public void useAutosuspend(boolean use) {
        boolean idle;
        synchronized (lock) {
            boolean old = useAutosuspend;
            useAutosuspend = use;
            idle = updateAutosuspend(autosuspendDelayMs, old);
        }
        if (idle) {
            idle();
        } else {
            ensureActiveIfHeld();
        }
    }

    /**
     * {@code update_autosuspend()}: a negative delay with autosuspend in use holds a usage
     * reference; returns whether the device may have become idle.
     */
    private boolean updateAutosuspend(int oldDelay, boolean oldUse) {
        boolean heldBefore = oldUse && oldDelay < 0;
        boolean heldNow = useAutosuspend && autosuspendDelayMs < 0;
        if (heldNow && !heldBefore) {
            usage++;
            return false;
        }
        if (!heldNow && heldBefore) {
            usage--;
        }
        return true;
    }

    private void ensureActiveIfHeld() {
        boolean needResume;
        synchronized (lock) {
            needResume = usage > 0 && status != Status.ACTIVE;
        }
        if (needResume) {
            resumeSync();
        }
    }

    public boolean usesAutosuspend() {
        synchronized (lock) {
            return useAutosuspend;
        }
    }

    public int autosuspendDelayMs() {
        synchronized (lock) {
            return autosuspendDelayMs;
        }
    }

    // ------------------------------------------------------------------ usage counting

    /**
     * {@code pm_runtime_resume_and_get()}: takes a reference and resumes synchronously.
     *
     * @return 0, or the resume callback's negative errno (the reference is then dropped)
     */
    public int resumeAndGet() {
        synchronized (lock) {
            usage++;
        }
        int ret = resumeSync();
        if (ret < 0) {
            synchronized (lock) {
                usage--;
            }
        }
        return ret;
    }

    /**
     * {@code pm_runtime_get_sync()}: takes a reference and resumes synchronously; unlike
     * {@link #resumeAndGet()} the reference is kept when the resume fails, so the caller's
     * {@link #put()} (or {@link #putSyncSuspend()}) balances it either way.
     *
     * @return 0, or the resume callback's negative errno
     */
    public int getSync() {
        synchronized (lock) {
            usage++;
        }
        return resumeSync();
    }

    /** {@code pm_runtime_get_noresume()}. */
    public void getNoResume() {
        synchronized (lock) {
            usage++;
        }
    }

    /** {@code pm_runtime_put()}: drops a reference; at zero the device may autosuspend. */
    public void put() {
        boolean idle;
        synchronized (lock) {
            if (usage <= 0) {
                throw new IllegalStateException("runtime PM usage count underflow");
            }
            idle = --usage == 0;
        }
        if (idle) {
            idle();
        }
    }

    /** {@code pm_runtime_mark_last_busy()} then {@code pm_runtime_put_autosuspend()}. */
    public void putAutosuspend() {
        markLastBusy();
        put();
    }

    /** {@code pm_runtime_put_sync_suspend()}: drops a reference and suspends now if it was the last. */
    public int putSyncSuspend() {
        boolean last;
        synchronized (lock) {
            if (usage <= 0) {
                throw new IllegalStateException("runtime PM usage count underflow");
            }
            last = --usage == 0;
        }
        if (!last) {
            return 0;
        }
        autosuspendWork.cancel();
        return suspendSync(false);
    }

    /** {@code pm_runtime_mark_last_busy()}. */
    public void markLastBusy() {
        synchronized (lock) {
            lastBusy = time.nowNanos();
        }
    }

    // ------------------------------------------------------------------ power/control

    /** {@code pm_runtime_forbid()} ("on"): holds a reference and resumes. */
    public int forbid() {
        synchronized (lock) {
            if (!allowed) {
                return 0;
            }
            allowed = false;
            usage++;
        }
        return resumeSync();
    }

    /** {@code pm_runtime_allow()} ("auto"): drops the reference {@link #forbid()} took. */
    public void allow() {
        boolean idle;
        synchronized (lock) {
            if (allowed) {
                return;
            }
            allowed = true;
            idle = --usage == 0;
        }
        if (idle) {
            idle();
        }
    }

    public boolean isAllowed() {
        synchronized (lock) {
            return allowed;
        }
    }

    // ------------------------------------------------------------------ state

    public Status status() {
        synchronized (lock) {
            return status;
        }
    }

    /** {@code power/runtime_status}: the status, "error" after a failed resume. */
    public String statusName() {
        synchronized (lock) {
            return runtimeError != 0 ? "error" : status.sysfsName();
        }
    }

    /** {@code pm_runtime_active()}. */
    public boolean isActive() {
        return status() == Status.ACTIVE;
    }

    public int usageCount() {
        synchronized (lock) {
            return usage;
        }
    }

    /** The errno of the last failed resume, 0 if none. */
    public int runtimeError() {
        synchronized (lock) {
            return runtimeError;
        }
    }

    /** {@code pm_runtime_set_suspended()} after a failed resume: clears the error. */
    public void setSuspended() {
        synchronized (lock) {
            runtimeError = 0;
            setStatus(Status.SUSPENDED);
        }
    }

    /** {@code power/runtime_active_time} in ms. */
    public long activeTimeMs() {
        synchronized (lock) {
            account();
            return activeNanos / VirtualTime.NANOS_PER_MS;
        }
    }

    /** {@code power/runtime_suspended_time} in ms. */
    public long suspendedTimeMs() {
        synchronized (lock) {
            account();
            return suspendedNanos / VirtualTime.NANOS_PER_MS;
        }
    }

    public long suspendCount() {
        synchronized (lock) {
            return suspendCount;
        }
    }

    public long resumeCount() {
        synchronized (lock) {
            return resumeCount;
        }
    }

    /** The armed autosuspend deadline (virtual ns), or -1. */
    public long autosuspendDeadline() {
        return autosuspendWork.deadlineNanos();
    }

    /** Cancels the autosuspend timer and waits for a running suspend (driver teardown). */
    public void disable() {
        synchronized (lock) {
            enabled = false;
        }
        autosuspendWork.cancelSync();
    }

    // ------------------------------------------------------------------ transitions

    /** {@code rpm_idle()} with autosuspend: arm the timer, or suspend soon without autosuspend. */
    private void idle() {
        long delay;
        synchronized (lock) {
            if (!enabled || usage > 0 || !allowed || status != Status.ACTIVE) {
                return;
            }
            if (useAutosuspend) {
                if (autosuspendDelayMs < 0) {
                    return;
                }
                long expires = lastBusy + autosuspendDelayMs * VirtualTime.NANOS_PER_MS;
                delay = Math.max(0, expires - time.nowNanos());
            } else {
                delay = 0;
            }
        }
        autosuspendWork.modDelayedWork(pmWq, delay);
    }

    /** The autosuspend work: re-check, re-arm if last busy moved, else suspend. */
    private void autosuspendWork() {
        suspendSync(true);
    }

    private int suspendSync(boolean auto) {
        transition.lock();
        try {
            synchronized (lock) {
                if (!enabled || usage > 0 || !allowed || status != Status.ACTIVE) {
                    return status == Status.SUSPENDED ? 0 : -Errno.EAGAIN;
                }
                if (auto && useAutosuspend) {
                    if (autosuspendDelayMs < 0) {
                        return -Errno.EAGAIN;
                    }
                    long expires = lastBusy + autosuspendDelayMs * VirtualTime.NANOS_PER_MS;
                    long now = time.nowNanos();
                    if (expires > now) {
                        autosuspendWork.modDelayedWork(pmWq, expires - now);
                        return -Errno.EAGAIN;
                    }
                }
                setStatus(Status.SUSPENDING);
            }
            int ret;
            try {
                ret = callbacks.runtimeSuspend();
            } catch (RuntimeException e) {
                /* A driver bug: the device stays active (as after a failed suspend) and the caller reports it. */
                synchronized (lock) {
                    setStatus(Status.ACTIVE);
                }
                throw e;
            }
            synchronized (lock) {
                if (ret < 0) {
                    setStatus(Status.ACTIVE);
                } else {
                    setStatus(Status.SUSPENDED);
                    suspendCount++;
                }
            }
            if (ret == -Errno.EBUSY || ret == -Errno.EAGAIN) {
                markLastBusy();
                idle();
            }
            return ret;
        } finally {
            transition.unlock();
        }
    }

    private int resumeSync() {
        transition.lock();
        try {
            synchronized (lock) {
                if (status == Status.ACTIVE) {
                    return 0;
                }
                if (!enabled) {
                    return -Errno.EAGAIN;
                }
                if (runtimeError != 0) {
                    return runtimeError;
                }
                setStatus(Status.RESUMING);
            }
            autosuspendWork.cancel();
            int ret = callbacks.runtimeResume();
            synchronized (lock) {
                if (ret < 0) {
                    runtimeError = ret;
                    setStatus(Status.SUSPENDED);
                } else {
                    setStatus(Status.ACTIVE);
                    resumeCount++;
                    lastBusy = time.nowNanos();
                }
            }
            return ret;
        } finally {
            transition.unlock();
        }
    }

    private void setStatus(Status next) {
        account();
        status = next;
    }

    /** {@code update_pm_runtime_accounting()}: active vs suspended time, transitions count as active. */
    private void account() {
        long now = time.nowNanos();
        long delta = now - accountedAt;
        accountedAt = now;
        if (status == Status.SUSPENDED) {
            suspendedNanos += delta;
        } else {
            activeNanos += delta;
        }
    }
}
