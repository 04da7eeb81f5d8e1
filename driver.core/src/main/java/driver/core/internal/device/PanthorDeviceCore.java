package driver.core.internal.device;

import static hw.model.regs.MaliRegs.*;

import driver.core.api.DeviceState;
import driver.core.api.GpuInfo;
import driver.core.api.Sysfs;
import driver.core.internal.fw.FwMcuVm;
import driver.core.internal.fw.PanthorFirmwareApi;
import driver.core.internal.fw.PanthorFw;
import driver.core.internal.gpu.PanthorGpu;
import driver.core.internal.pm.PowerSysfs;
import driver.core.internal.pm.RuntimePm;
import driver.core.kernel.DelayedWork;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.WorkQueue;
import driver.core.subsys.mmu.MmuIrq;
import driver.core.uapi.Errno;
import hw.model.api.GpuClock;
import hw.model.api.Interrupts;
import hw.model.api.IrqLine;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * DOC: The panthor device ({@code panthor_device.c}).
 *
 * {@code struct panthor_device}: the hardware it drives, the blocks (GPU, MMU, firmware,
 * scheduler, devfreq), runtime PM, reset and unplug.
 *
 * Bring-up ({@link #init()}, {@code panthor_device_init()}), in Panthor's order: clocks →
 * devfreq (optional: absent means a fixed operating point) → runtime PM enabled and the device
 * resumed (a usage reference held during probe) → GPU block ({@code panthor_gpu_init()}: info,
 * GPU IRQ) → coherency (the RK3588 GPU is not IO-coherent) → MMU ({@link MmuHooks}: the MMU
 * subsystem, or the firmware layer's interim {@link FwMcuVm}; MMU IRQ requested) → firmware
 * ({@link PanthorFw#init()}) → scheduler ({@link SchedHooks#init()}) → autosuspend delay 50 ms
 * ("~3 frames") → registered → probe reference dropped with autosuspend. A failing step undoes
 * the earlier ones in reverse (scheduler, firmware, MMU, GPU unplugged; PM reference put).
 *
 * Reset ({@link #scheduleReset()}, {@code panthor_device_reset_work()}): queued once on the
 * ordered "panthor-reset-wq" if the device is active (a reset requested while suspended is
 * turned into a slow reset at resume); the work runs sched_pre_reset → fw_pre_reset(on hang) →
 * mmu_pre_reset → gpu_soft_reset → gpu_l2_power_on → mmu_post_reset → fw_post_reset →
 * sched_post_reset(failed?). If the MCU does not boot after the reset the device is unplugged
 * ("Failed to boot MCU after reset, making device unusable."). Not in Panthor: while the
 * scheduler's state is parked with groups on CSG slots the reset waits for a scheduler to take
 * it back (tried again every 10 ms of virtual time).
 *
 * Unplug ({@link #unplug()}, {@code panthor_device_unplug()}): once (concurrent callers wait
 * for the first); resume, mark unplugged (every UABI call is ENODEV from now on; listeners
 * registered with {@link #onUnplug} run, that is {@code drm_dev_unplug()}), then sched → fw →
 * mmu → gpu unplugged, autosuspend off, the PM reference put with a synchronous suspend.
 *
 * Runtime PM ({@link #suspend()}/{@link #resume()}, {@code panthor_device_suspend/resume()},
 * called by {@link RuntimePm}): suspend switches the user flush-id mapping to the dummy page,
 * cancels a pending reset, then sched → fw (halt) → mmu → gpu (power down) suspended, devfreq
 * suspended, clocks off; resume does clocks → devfreq → gpu (L2 on) → mmu → fw (reboot) →
 * sched, retrying once as a slow reset if a fast one fails, and maps the real flush-id page
 * again. The {@link DeviceState} combines this PM state with probing, reset and unplug.
 *
 * Every step is recorded ({@link #steps()}) so tests can check the order.
 */
public final class PanthorDeviceCore {

    /** Autosuspend delay set at the end of probe ("~3 frames"). */
    public static final int AUTOSUSPEND_DELAY_MS = 50;

    /** {@code enum panthor_device_pm_state}. */
    public enum PmState { SUSPENDED, RESUMING, ACTIVE, SUSPENDING }

    private final Mmio mmio;
    private final PhysicalMemory memory;
    private final Interrupts interrupts;
    private final VirtualTime time;
    private final GpuClock clock;
    private final GpuInfo gpuInfo;
    private final PageAllocator pageAllocator;
    private final Sysfs sysfs;
    private final DrmLog log = new DrmLog();
    private final List<String> steps = new ArrayList<>();

    private final PanthorIrq mmuIrq;
    private final MmuIrq mmuIrqLine;
    private final PanthorGpu gpu;
    private final PanthorFw fw;
    private final PanthorFirmwareApi firmwareApi;
    private final WorkQueue resetWq;
    private final WorkQueue pmWq;
    private final WorkQueue.Work resetWork;
    private final RuntimePm pm;
    private final PowerSysfs powerSysfs;

    private volatile MmuHooks mmu;
    private volatile SchedHooks sched = SchedHooks.NONE;
    private volatile DevfreqHooks devfreq;

    /** A reset that had to wait for the scheduler, tried again ({@link #RESET_RETRY_NANOS}). */
    private final DelayedWork resetRetry;
    static final long RESET_RETRY_NANOS = 10_000_000L;
    private final AtomicBoolean resetPending = new AtomicBoolean();
    private volatile boolean resetFast;
    private volatile boolean resetting;
    private volatile PmState pmState = PmState.SUSPENDED;
    private final Object mmioLock = new Object();
    private final AtomicBoolean recoveryNeeded = new AtomicBoolean();
    private volatile boolean initialized;
    private volatile boolean probing;
    private final Object unplugLock = new Object();
    private volatile boolean unplugged;
    private final CountDownLatch unplugDone = new CountDownLatch(1);
    private final List<Runnable> unplugListeners = new CopyOnWriteArrayList<>();

    /**
     * @param sysfs where the device's {@code power/} attributes go, or null for none
     */
    public PanthorDeviceCore(Mmio mmio, PhysicalMemory memory, Interrupts interrupts, VirtualTime time,
                             GpuClock clock, GpuInfo gpuInfo, PageAllocator pageAllocator, Sysfs sysfs) {
        this.mmio = mmio;
        this.memory = memory;
        this.interrupts = interrupts;
        this.time = time;
        this.clock = clock;
        this.gpuInfo = gpuInfo;
        this.pageAllocator = pageAllocator;
        this.sysfs = sysfs;
        this.mmuIrq = new PanthorIrq("mmu", mmio, interrupts, IrqLine.MMU, MMU_INT_RAWSTAT);
        mmuIrq.setHandler(status -> mmu.irq(status));
        this.mmuIrqLine = new PanthorMmuIrq(mmuIrq);
        this.gpu = new PanthorGpu(this);
        this.fw = new PanthorFw(this);
        this.firmwareApi = new PanthorFirmwareApi(this);
        this.resetWq = new WorkQueue("panthor-reset-wq", time);
        this.pmWq = new WorkQueue("pm_wq", time);
        this.resetWork = new WorkQueue.Work(this::resetWork);
        this.resetRetry = new DelayedWork(time, this::resetWork);
        this.pm = new RuntimePm(time, pmWq, new RuntimePm.Callbacks() {
            @Override
            public int runtimeSuspend() {
                return suspend();
            }

            @Override
            public int runtimeResume() {
                return resume();
            }
        });
        this.powerSysfs = new PowerSysfs(pm, this);
    }

    // ------------------------------------------------------------------ wiring

    /** Installs the MMU subsystem's hooks (before {@link #init()}); default: the firmware's interim MCU VM. */
    public void setMmu(MmuHooks hooks) {
        this.mmu = hooks;
    }

    /** Installs the scheduler's hooks; it also receives the firmware events. */
    public void setSched(SchedHooks hooks) {
        this.sched = hooks == null ? SchedHooks.NONE : hooks;
        fw.setEventListener(this.sched);
    }

    /** Installs devfreq (before {@link #init()}); none means a fixed operating point. */
    public void setDevfreq(DevfreqHooks hooks) {
        this.devfreq = hooks;
    }

    /** Runs {@code listener} when the device is unplugged ({@code drm_dev_unplug()}). */
    public void onUnplug(Runnable listener) {
        unplugListeners.add(listener);
        if (unplugged) {
            listener.run();
        }
    }

    // ------------------------------------------------------------------ accessors

    public Mmio mmio() { return mmio; }
    public PhysicalMemory memory() { return memory; }
    public Interrupts interrupts() { return interrupts; }
    public VirtualTime time() { return time; }
    public GpuClock clock() { return clock; }
    public GpuInfo gpuInfo() { return gpuInfo; }
    public PageAllocator pageAllocator() { return pageAllocator; }
    public DrmLog log() { return log; }
    public PanthorGpu gpu() { return gpu; }
    public PanthorFw fw() { return fw; }
    /** The firmware API subsystems use ({@code driver.core.fw.PanthorFirmware}). */
    public PanthorFirmwareApi firmwareApi() { return firmwareApi; }
    public MmuHooks mmu() { return mmu; }
    public SchedHooks sched() { return sched; }
    public RuntimePm pm() { return pm; }
    public PanthorIrq mmuIrq() { return mmuIrq; }

    /** The MMU line as the MMU implementation drives it ({@code ptdev->mmu->irq}). */
    public MmuIrq mmuIrqLine() { return mmuIrqLine; }
    public WorkQueue resetWq() { return resetWq; }
    public WorkQueue pmWq() { return pmWq; }

    /** Whether CPU and GPU caches are coherent ({@code ptdev->coherent}); false on RK3588. */
    public boolean coherent() {
        return false;
    }

    /** {@code ptdev->reset.fast}: the firmware halted cleanly, sections can be kept. */
    public boolean resetFast() {
        return resetFast;
    }

    public void setResetFast(boolean fast) {
        this.resetFast = fast;
    }

    /** {@code panthor_device_reset_is_pending()}. */
    public boolean resetPending() {
        return resetPending.get();
    }

    /** {@code pm_runtime_active()}. */
    public boolean pmActive() {
        return pm.isActive();
    }

    public PmState pmState() {
        return pmState;
    }

    public boolean isUnplugged() {
        return unplugged;
    }

    /** The state the UABI layer and the shell see. */
    public DeviceState state() {
        if (unplugged) {
            return DeviceState.UNPLUGGED;
        }
        if (probing) {
            return DeviceState.PROBING;
        }
        if (resetting) {
            return DeviceState.RESETTING;
        }
        return switch (pmState) {
            case ACTIVE -> DeviceState.ACTIVE;
            case SUSPENDED -> DeviceState.SUSPENDED;
            case SUSPENDING -> DeviceState.SUSPENDING;
            case RESUMING -> DeviceState.RESUMING;
        };
    }

    /** The steps of init, reset, suspend/resume and unplug, in order. */
    public List<String> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    private void step(String name) {
        synchronized (steps) {
            steps.add(name);
        }
    }

    // ------------------------------------------------------------------ init

    /**
     * {@code panthor_device_init()}.
     *
     * @return 0, or a negative errno (probe failed; the device is left unplugged)
     */
    public int init() {
        probing = true;
        try {
            int ret = doInit();
            if (ret != 0) {
                unplugged = true;
                for (Runnable l : unplugListeners) {
                    l.run();
                }
                unplugDone.countDown();
            }
            return ret;
        } finally {
            probing = false;
        }
    }

    private int doInit() {
        step("clk_init");
        log.info("clock rate = %d", clock.frequencyHz());
        step("devfreq_init");
        if (devfreq != null) {
            int ret = devfreq.init();
            if (ret != 0) {
                return ret;
            }
        } else {
            log.info("devfreq absent: fixed OPP at %d Hz", clock.frequencyHz());
        }
        step("pm_runtime_enable");
        pm.enable();
        int ret = pm.resumeAndGet();
        if (ret != 0) {
            return ret;
        }
        step("gpu_init");
        ret = gpu.init();
        if (ret != 0) {
            return failInit(ret, 0);
        }
        step("coherency_init");
        step("mmu_init");
        if (mmu == null) {
            mmu = new FwMcuVm(this);
        }
        mmuIrq.request(mmu.irqMask());
        step("fw_init");
        ret = fw.init();
        if (ret != 0) {
            return failInit(ret, 2);
        }
        step("sched_init");
        fw.setEventListener(sched);
        ret = sched.init();
        if (ret != 0) {
            return failInit(ret, 3);
        }
        initialized = true;
        step("autosuspend");
        pm.setAutosuspendDelay(AUTOSUSPEND_DELAY_MS);
        pm.useAutosuspend(true);
        step("register");
        if (sysfs != null) {
            powerSysfs.register(sysfs);
        }
        pm.putAutosuspend();
        return 0;
    }

    /** The error unwinding of {@code panthor_device_init()}: {@code done} = blocks initialised (1 gpu, 2 mmu, 3 fw). */
    private int failInit(int ret, int done) {
        log.err("probe failed: %s", Errno.name(ret));
        if (done >= 3) {
            step("fw_unplug");
            fw.unplug();
        }
        if (done >= 2) {
            step("mmu_unplug");
            mmu.unplug();
        }
        if (done >= 2) {
            mmuIrq.free();
        }
        if (done >= 1) {
            step("gpu_unplug");
            gpu.unplug();
        }
        pm.putSyncSuspend();
        return ret;
    }

    // ------------------------------------------------------------------ reset

    /** {@code panthor_device_schedule_reset()}. */
    public void scheduleReset() {
        if (resetPending.compareAndSet(false, true) && pmState == PmState.ACTIVE) {
            resetWq.queueWork(resetWork);
        }
    }

    /** {@code panthor_device_reset_work()}. */
    private void resetWork() {
        if (pmState != PmState.ACTIVE || unplugged) {
            return;
        }
        if (sched.resetMustWait()) {
            /*
             * Not in Panthor: the scheduler's state is parked with groups on CSG slots, which
             * only a scheduler can stop and restart around the reset. Try again later; the
             * device cannot runtime-suspend meanwhile (SchedHooks#suspend).
             */
            resetRetry.modDelayedWork(resetWq, RESET_RETRY_NANOS);
            return;
        }
        resetting = true;
        int ret;
        try {
            step("sched_pre_reset");
            sched.preReset();
            step("fw_pre_reset");
            fw.preReset(true);
            step("mmu_pre_reset");
            mmu.preReset();
            step("gpu_soft_reset");
            gpu.softReset();
            step("gpu_l2_power_on");
            gpu.l2PowerOn();
            step("mmu_post_reset");
            mmu.postReset();
            step("fw_post_reset");
            ret = fw.postReset();
            resetPending.set(false);
            step("sched_post_reset");
            sched.postReset(ret != 0);
        } finally {
            resetting = false;
        }
        if (ret != 0) {
            unplug();
            log.err("Failed to boot MCU after reset, making device unusable.");
        }
    }

    /** The reset work item (tests flush it through {@link #resetWq()}). */
    public WorkQueue.Work resetWorkItem() {
        return resetWork;
    }

    // ------------------------------------------------------------------ unplug

    /** {@code panthor_device_unplug()}. */
    public void unplug() {
        synchronized (unplugLock) {
            if (unplugged) {
                awaitUnplugDone();
                return;
            }
            if (pm.status() == RuntimePm.Status.SUSPENDED) {
                /* pm_runtime_get_sync(): the reference counts even if the resume fails. */
                if (pm.getSync() < 0) {
                    log.warn("unplug: runtime resume failed, unplugging a suspended device");
                }
            } else {
                pm.getNoResume();
            }
            unplugged = true;
            step("drm_dev_unplug");
        }
        for (Runnable l : unplugListeners) {
            l.run();
        }
        step("sched_unplug");
        sched.unplug();
        step("fw_unplug");
        fw.unplug();
        step("mmu_unplug");
        mmu.unplug();
        mmuIrq.free();
        step("gpu_unplug");
        gpu.unplug();
        pm.useAutosuspend(false);
        pm.putSyncSuspend();
        unplugDone.countDown();
    }

    private void awaitUnplugDone() {
        try {
            unplugDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tears the device down for good: unplug, then the work queues ({@code drmm} cleanup). */
    public void destroy() {
        if (!unplugged) {
            unplug();
        }
        resetWq.cancelSync(resetWork);
        resetRetry.cancelSync();
        pm.disable();
        powerSysfs.unregister();
        resetWq.destroy();
        pmWq.destroy();
    }

    // ------------------------------------------------------------------ runtime PM callbacks

    /** {@code panthor_device_suspend()}. */
    int suspend() {
        if (pmState != PmState.ACTIVE) {
            return -Errno.EINVAL;
        }
        synchronized (mmioLock) {
            pmState = PmState.SUSPENDING;
        }
        step("suspend");
        if (initialized && !unplugged) {
            resetWq.cancelSync(resetWork);
            resetRetry.cancelSync();
            try {
                step("sched_suspend");
                int ret = sched.suspend();
                if (ret != 0) {
                    synchronized (mmioLock) {
                        pmState = PmState.ACTIVE;
                    }
                    return ret;
                }
                step("fw_suspend");
                fw.suspend();
                step("mmu_suspend");
                mmu.suspend();
                step("gpu_suspend");
                gpu.suspend();
            } catch (RuntimeException e) {
                /* Not a C outcome: a subsystem threw. Stay active so the next resume is not refused. */
                synchronized (mmioLock) {
                    pmState = PmState.ACTIVE;
                }
                throw e;
            }
        }
        if (devfreq != null) {
            devfreq.suspend();
        }
        step("clk_disable");
        pmState = PmState.SUSPENDED;
        return 0;
    }

    /** {@code panthor_device_resume()}. */
    int resume() {
        if (pmState != PmState.SUSPENDED) {
            return -Errno.EINVAL;
        }
        pmState = PmState.RESUMING;
        step("resume");
        step("clk_enable");
        if (devfreq != null) {
            devfreq.resume();
        }
        if (initialized && !unplugged) {
            if (resetPending.get()) {
                resetFast = false;
                resetPending.set(false);
            }
            int ret = resumeHwComponents();
            if (ret != 0 && resetFast) {
                log.err("Fast reset failed, trying a slow reset");
                resetFast = false;
                ret = resumeHwComponents();
            }
            if (ret == 0) {
                step("sched_resume");
                sched.resume();
            } else {
                if (devfreq != null) {
                    devfreq.suspend();
                }
                pmState = PmState.SUSPENDED;
                recoveryNeeded.set(true);
                return ret;
            }
        }
        synchronized (mmioLock) {
            pmState = PmState.ACTIVE;
        }
        return 0;
    }

    /** {@code panthor_device_resume_hw_components()}. */
    private int resumeHwComponents() {
        step("gpu_resume");
        gpu.resume();
        step("mmu_resume");
        mmu.resume();
        step("fw_resume");
        int ret = fw.resume();
        if (ret == 0) {
            return 0;
        }
        mmu.suspend();
        gpu.suspend();
        return ret;
    }

    /**
     * {@code panthor_device_resume_and_get()}: a runtime-PM reference with the device resumed;
     * after a failed resume the error is cleared once so a later attempt can retry.
     *
     * @return 0 or a negative errno (no reference is held then)
     */
    public int resumeAndGet() {
        int ret = pm.resumeAndGet();
        if (ret != 0 && recoveryNeeded.compareAndSet(true, false)) {
            pm.setSuspended();
        }
        return ret;
    }

    // ------------------------------------------------------------------ user MMIO

    /**
     * A 32-bit read of the user flush-id page at byte {@code offset}, as the CPU mapping of
     * {@code DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET} sees it ({@code panthor_mmio_vm_fault()}):
     * the live CSF_GPU_LATEST_FLUSH_ID register page while the device is active, else the dummy
     * page, which holds 1 in its first word ("no flush needed"; 0 would mean "always flush").
     */
    public int userFlushIdRead(int offset) {
        synchronized (mmioLock) {
            if (pmState == PmState.ACTIVE && !unplugged) {
                return mmio.read32(CSF_GPU_LATEST_FLUSH_ID + offset);
            }
            return offset == 0 ? 1 : 0;
        }
    }
}
