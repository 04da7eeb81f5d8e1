package driver.core.internal.gpu;

import static hw.model.regs.MaliRegs.*;

import driver.core.api.GpuInfo;
import driver.core.internal.device.DrmLog;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.device.PanthorExceptions;
import driver.core.internal.device.PanthorIrq;
import driver.core.uapi.Errno;
import hw.model.api.IrqLine;
import hw.model.api.Mmio;
import hw.model.api.VirtualTime;

/**
 * DOC: GPU block ({@code panthor_gpu.c}).
 *
 * The GPU_CONTROL part of the driver: the GPU IRQ, soft reset, cache flushes, block power and
 * the counters DEV_QUERY reads.
 *
 * Requests that complete with an interrupt (soft reset: RESET_COMPLETED, cache flush:
 * CLEAN_CACHES_COMPLETED) set their bit in {@code pendingReqs}, write GPU_CMD and wait up to
 * 100 ms of virtual time for the IRQ handler to clear the bit; a timeout is confirmed against
 * GPU_INT_RAWSTAT (the IRQ may simply not have run yet) before -ETIMEDOUT ("Soft reset
 * timeout", "Flush caches timeout"). Power domains are polled: wait for PWRTRANS to clear,
 * write PWRON/PWROFF, wait for the transition (READY for power-on), 20 ms for the L2.
 *
 * Cache-flush failures follow Boris Brezillon's 2025-11 fix ("Recover from
 * panthor_gpu_flush_caches() failures"): a timed-out flush leaves its request pending and
 * schedules a GPU reset, and every later flush fails at once with -EIO until the soft reset
 * clears the request (memory behind a stuck flush may be blocked; no warning splat, since a
 * buggy user-space job can cause it).
 *
 * All waits are {@link VirtualTime#await}: they move deterministic time themselves, and never
 * use wall time.
 */
public final class PanthorGpu {

    /** The GPU IRQs panthor unmasks ({@code GPU_INTERRUPTS_MASK}). */
    public static final int GPU_INTERRUPTS_MASK =
            GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT | GPU_IRQ_RESET_COMPLETED | GPU_IRQ_CLEAN_CACHES_COMPLETED;

    /** Soft-reset and cache-flush IRQ wait. */
    public static final long REQ_TIMEOUT_MS = 100;
    /** L2 power on/off poll timeout (20000 µs). */
    public static final long L2_POWER_TIMEOUT_US = 20_000;

    private final PanthorDeviceCore ptdev;
    private final Mmio mmio;
    private final VirtualTime time;
    private final DrmLog log;
    private final PanthorIrq irq;
    private final Object reqsLock = new Object();
    private int pendingReqs;
    private long faults;

    public PanthorGpu(PanthorDeviceCore ptdev) {
        this.ptdev = ptdev;
        this.mmio = ptdev.mmio();
        this.time = ptdev.time();
        this.log = ptdev.log();
        this.irq = new PanthorIrq("gpu", mmio, ptdev.interrupts(), IrqLine.GPU, GPU_INT_RAWSTAT);
        irq.setHandler(this::irqHandler);
    }

    public PanthorIrq irq() {
        return irq;
    }

    /**
     * {@code panthor_gpu_init()}: logs the identification ({@code panthor_gpu_init_info()}) and
     * requests the GPU IRQ with {@link #GPU_INTERRUPTS_MASK}.
     */
    public int init() {
        GpuInfo info = ptdev.gpuInfo();
        log.info("%s id 0x%x major 0x%x minor 0x%x status 0x%x", info.modelName(), info.gpuId() >>> 16,
                info.versionMajor(), info.versionMinor(), info.versionStatus());
        log.info("Features: L2:%#x Tiler:%#x Mem:%#x MMU:%#x AS:%#x", info.l2Features(), info.tilerFeatures(),
                info.memFeatures(), info.mmuFeatures(), info.asPresent());
        log.info("shader_present=0x%x l2_present=0x%x tiler_present=0x%x", info.shaderPresent(),
                info.l2Present(), info.tilerPresent());
        irq.request(GPU_INTERRUPTS_MASK);
        return 0;
    }

    /** {@code panthor_gpu_irq_handler()}: log faults, complete pending requests. */
    void irqHandler(int status) {
        if ((status & GPU_IRQ_FAULT) != 0) {
            int faultStatus = mmio.read32(GPU_FAULT_STATUS);
            long address = mmio.read64Raw(GPU_FAULT_ADDR);
            synchronized (reqsLock) {
                faults++;
            }
            log.warn("GPU Fault 0x%08x (%s) at 0x%016x", faultStatus,
                    PanthorExceptions.name(faultStatus & 0xff), address);
        }
        if ((status & GPU_IRQ_PROTM_FAULT) != 0) {
            log.warn("GPU Fault in protected mode");
        }
        synchronized (reqsLock) {
            pendingReqs &= ~status;
        }
    }

    /** {@code panthor_gpu_unplug()}: silence the IRQ and release every waiter. */
    public void unplug() {
        if (ptdev.pmActive()) {
            irq.suspend();
        }
        irq.free();
        synchronized (reqsLock) {
            pendingReqs = 0;
        }
    }

    // ------------------------------------------------------------------ requests

    /**
     * {@code panthor_gpu_soft_reset()}: GPU_CMD SOFT_RESET, wait for RESET_COMPLETED.
     *
     * @return 0 or -ETIMEDOUT
     */
    public int softReset() {
        boolean timedOut = false;
        synchronized (reqsLock) {
            if ((pendingReqs & GPU_IRQ_RESET_COMPLETED) != 0) {
                log.warn("WARN_ON(pending_reqs & GPU_IRQ_RESET_COMPLETED)");
            } else {
                pendingReqs |= GPU_IRQ_RESET_COMPLETED;
                mmio.write32(GPU_INT_CLEAR, GPU_IRQ_RESET_COMPLETED);
                mmio.write32(GPU_CMD, GPU_SOFT_RESET);
            }
        }
        if (!time.await(() -> !isPending(GPU_IRQ_RESET_COMPLETED), REQ_TIMEOUT_MS * VirtualTime.NANOS_PER_MS)) {
            synchronized (reqsLock) {
                if ((pendingReqs & GPU_IRQ_RESET_COMPLETED) != 0
                        && (mmio.read32(GPU_INT_RAWSTAT) & GPU_IRQ_RESET_COMPLETED) == 0) {
                    timedOut = true;
                } else {
                    pendingReqs &= ~GPU_IRQ_RESET_COMPLETED;
                }
            }
        }
        if (timedOut) {
            log.err("Soft reset timeout");
            return -Errno.ETIMEDOUT;
        }
        synchronized (reqsLock) {
            // The reset dropped any flush that was stuck; flushes work again.
            pendingReqs &= ~GPU_IRQ_CLEAN_CACHES_COMPLETED;
        }
        return 0;
    }

    /**
     * {@code panthor_gpu_flush_caches()}: GPU_CMD FLUSH_CACHES(l2, lsc, other), wait for
     * CLEAN_CACHES_COMPLETED. Each argument is CACHE_NONE/CLEAN/INV/CLEAN_INV.
     *
     * @return 0, -ETIMEDOUT (a reset is scheduled), or -EIO while an earlier flush is stuck
     */
    public int flushCaches(int l2, int lsc, int other) {
        boolean timedOut = false;
        synchronized (reqsLock) {
            if ((pendingReqs & GPU_IRQ_CLEAN_CACHES_COMPLETED) != 0) {
                return -Errno.EIO;
            }
            pendingReqs |= GPU_IRQ_CLEAN_CACHES_COMPLETED;
            mmio.write32(GPU_CMD, GPU_FLUSH_CACHES(l2, lsc, other));
        }
        if (!time.await(() -> !isPending(GPU_IRQ_CLEAN_CACHES_COMPLETED),
                REQ_TIMEOUT_MS * VirtualTime.NANOS_PER_MS)) {
            synchronized (reqsLock) {
                if ((pendingReqs & GPU_IRQ_CLEAN_CACHES_COMPLETED) != 0
                        && (mmio.read32(GPU_INT_RAWSTAT) & GPU_IRQ_CLEAN_CACHES_COMPLETED) == 0) {
                    timedOut = true;
                } else {
                    pendingReqs &= ~GPU_IRQ_CLEAN_CACHES_COMPLETED;
                }
            }
        }
        if (timedOut) {
            log.err("Flush caches timeout");
            ptdev.scheduleReset();
            return -Errno.ETIMEDOUT;
        }
        return 0;
    }

    private boolean isPending(int bit) {
        synchronized (reqsLock) {
            return (pendingReqs & bit) != 0;
        }
    }

    /** Requests waiting for their IRQ (GPU_IRQ_* bits). */
    public int pendingReqs() {
        synchronized (reqsLock) {
            return pendingReqs;
        }
    }

    /** GPU_IRQ_FAULT interrupts handled. */
    public long faultCount() {
        synchronized (reqsLock) {
            return faults;
        }
    }

    // ------------------------------------------------------------------ power

    /** A power domain's registers ({@code panthor_gpu_power_on(ptdev, L2, ...)} names them by prefix). */
    public enum Block {
        SHADER("shader", SHADER_PWRON, SHADER_PWROFF, SHADER_PWRTRANS, SHADER_READY),
        TILER("tiler", TILER_PWRON, TILER_PWROFF, TILER_PWRTRANS, TILER_READY),
        L2("l2", L2_PWRON, L2_PWROFF, L2_PWRTRANS, L2_READY);

        final String blkName;
        final int pwron;
        final int pwroff;
        final int pwrtrans;
        final int ready;

        Block(String blkName, int pwron, int pwroff, int pwrtrans, int ready) {
            this.blkName = blkName;
            this.pwron = pwron;
            this.pwroff = pwroff;
            this.pwrtrans = pwrtrans;
            this.ready = ready;
        }
    }

    /**
     * {@code panthor_gpu_block_power_on()}: wait for PWRTRANS, write PWRON, wait for READY.
     *
     * @return 0 or -ETIMEDOUT
     */
    public int blockPowerOn(Block blk, long mask, long timeoutUs) {
        long timeout = timeoutUs * 1000;
        if (!time.await(() -> (mmio.read64Raw(blk.pwrtrans) & mask) == 0, timeout)) {
            log.err("timeout waiting on %s:%x power transition", blk.blkName, mask);
            return -Errno.ETIMEDOUT;
        }
        mmio.write64(blk.pwron, mask);
        if (!time.await(() -> (mmio.read64Raw(blk.ready) & mask) == mask, timeout)) {
            log.err("timeout waiting on %s:%x readiness", blk.blkName, mask);
            return -Errno.ETIMEDOUT;
        }
        return 0;
    }

    /**
     * {@code panthor_gpu_block_power_off()}: wait for PWRTRANS, write PWROFF, wait for PWRTRANS.
     *
     * @return 0 or -ETIMEDOUT
     */
    public int blockPowerOff(Block blk, long mask, long timeoutUs) {
        long timeout = timeoutUs * 1000;
        if (!time.await(() -> (mmio.read64Raw(blk.pwrtrans) & mask) == 0, timeout)) {
            log.err("timeout waiting on %s:%x power transition", blk.blkName, mask);
            return -Errno.ETIMEDOUT;
        }
        mmio.write64(blk.pwroff, mask);
        if (!time.await(() -> (mmio.read64Raw(blk.pwrtrans) & mask) == 0
                && (mmio.read64Raw(blk.ready) & mask) == 0, timeout)) {
            log.err("timeout waiting on %s:%x power transition", blk.blkName, mask);
            return -Errno.ETIMEDOUT;
        }
        return 0;
    }

    /**
     * {@code panthor_gpu_l2_power_on()}: set the coherency protocol (NONE: the RK3588 GPU is
     * not IO-coherent), then power the L2 on (20 ms).
     */
    public int l2PowerOn() {
        GpuInfo info = ptdev.gpuInfo();
        if (info.l2Present() != 1) {
            long coreMask = ~(info.l2Present() - 1) & (info.l2Present() - 2);
            log.info("using only 1st core group (%d cores from %d)", Long.bitCount(coreMask),
                    Long.bitCount(info.shaderPresent()));
        }
        mmio.write32(GPU_COHERENCY_PROTOCOL, ptdev.coherent() ? GPU_COHERENCY_ACE_LITE : GPU_COHERENCY_NONE);
        return blockPowerOn(Block.L2, 1, L2_POWER_TIMEOUT_US);
    }

    /**
     * Powers everything down: shader cores, tiler, then the L2 (20 ms each). Panthor powers off
     * only the L2 and leaves the cores to the firmware (MCU_CONTROL AUTO); the model's
     * firmware does not power its cores down when it halts or stops, and the model's L2 waits
     * for its cores, so the driver turns them off first.
     */
    public int powerOffAll() {
        GpuInfo info = ptdev.gpuInfo();
        int ret = blockPowerOff(Block.SHADER, info.shaderPresent(), L2_POWER_TIMEOUT_US);
        if (ret == 0) {
            ret = blockPowerOff(Block.TILER, info.tilerPresent(), L2_POWER_TIMEOUT_US);
        }
        if (ret == 0) {
            ret = blockPowerOff(Block.L2, info.l2Present(), L2_POWER_TIMEOUT_US);
        }
        return ret;
    }

    /**
     * {@code panthor_gpu_suspend()}: after a clean firmware halt ({@code reset.fast}) power
     * down ({@link #powerOffAll()}), otherwise soft-reset; then suspend the IRQ.
     */
    public void suspend() {
        if (!ptdev.resetFast()) {
            softReset();
        } else {
            powerOffAll();
        }
        irq.suspend();
    }

    /** {@code panthor_gpu_resume()}: resume the IRQ, power the L2 on (the FW powers the rest). */
    public void resume() {
        irq.resume(GPU_INTERRUPTS_MASK);
        l2PowerOn();
    }

    // ------------------------------------------------------------------ counters

    /** {@code gpu_read64_counter()}: HI, LO, HI until the two HI reads match. */
    private long read64Counter(int reg) {
        while (true) {
            int hi1 = mmio.read32(reg + 4);
            int lo = mmio.read32(reg);
            int hi2 = mmio.read32(reg + 4);
            if (hi1 == hi2) {
                return ((long) hi2 << 32) | (lo & 0xFFFF_FFFFL);
            }
        }
    }

    /** {@code panthor_gpu_read_timestamp()}: GPU_TIMESTAMP (24 MHz system counter + offset). */
    public long readTimestamp() {
        return read64Counter(GPU_TIMESTAMP);
    }

    /** {@code panthor_gpu_read_timestamp_offset()}: GPU_TIMESTAMP_OFFSET. */
    public long readTimestampOffset() {
        return mmio.read64Raw(GPU_TIMESTAMP_OFFSET);
    }

    /** GPU_CYCLE_COUNT. */
    public long readCycleCount() {
        return read64Counter(GPU_CYCLE_COUNT);
    }
}
