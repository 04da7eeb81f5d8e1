package hw.model.internal;

import static hw.model.regs.MaliRegs.*;

import hw.model.api.IrqLine;

/**
 * DOC: The GPU model.
 *
 * One instance is one Mali-G610. It owns the shared spine (virtual clock, event trace, IRQ
 * controller, physical memory, register window) and the hardware blocks behind the
 * register window, each in its own class:
 *
 *  - GPU_CONTROL: identification, reset, power domains, cache flush, timestamps, GPU IRQ;
 *  - MMU: the address spaces, page-table walker, TLB, MMU IRQ;
 *  - JOB_CONTROL / CSF: the MCU, firmware interfaces, doorbells, JOB IRQ;
 *  - the command-stream interpreter that runs queues for the firmware;
 *  - clocks, OPPs and load counters.
 *
 * All blocks share one lock (the "model lock"), taken by every MMIO access and every
 * hardware event, so register side effects are atomic and runs are reproducible.
 */
public final class GpuModel {

    private final Object lock = new Object();
    private final EventTrace trace = new EventTrace();
    private final VirtualClock clock = new VirtualClock(trace);
    private final IrqController irq = new IrqController(lock, clock, trace);
    private final SparseMemory memory = new SparseMemory(G610.paBits());
    private final MmioBus mmio = new MmioBus(lock, G610.IOMEM_SIZE);

    // --- hardware blocks (each helper-owned block adds its field and construction here) ---
    private final java.util.List<Runnable> resetHooks = new java.util.ArrayList<>();
    private final hw.model.internal.clock.ClockModel gpuClock =
            new hw.model.internal.clock.ClockModel(clock, trace);
    private final hw.model.internal.gpu.GpuControl gpu;
    private final hw.model.internal.mmu.MmuBlock mmu;
    private final hw.model.internal.csf.CsfBlock csf;

    public GpuModel() {
        trace.clock(clock::nowNanos);
        clock.addQuiescer(irq);
        mapIdentification();
        // --- block construction and MMIO mapping ---
        gpu = new hw.model.internal.gpu.GpuControl(this);
        mmu = new hw.model.internal.mmu.MmuBlock(this);
        csf = new hw.model.internal.csf.CsfBlock(this);
        onReset(csf::reset);
    }

    private void mapIdentification() {
        mmio.mapReadOnly(GPU_ID, "GPU_ID", () -> G610.GPU_ID);
        mmio.mapReadOnly(GPU_L2_FEATURES, "GPU_L2_FEATURES", () -> G610.L2_FEATURES);
        mmio.mapReadOnly(GPU_CORE_FEATURES, "GPU_CORE_FEATURES", () -> G610.CORE_FEATURES);
        mmio.mapReadOnly(GPU_TILER_FEATURES, "GPU_TILER_FEATURES", () -> G610.TILER_FEATURES);
        mmio.mapReadOnly(GPU_MEM_FEATURES, "GPU_MEM_FEATURES", () -> G610.MEM_FEATURES);
        mmio.mapReadOnly(GPU_MMU_FEATURES, "GPU_MMU_FEATURES", () -> G610.MMU_FEATURES);
        mmio.mapReadOnly(GPU_AS_PRESENT, "GPU_AS_PRESENT", () -> G610.AS_PRESENT);
        mmio.mapReadOnly(GPU_CSF_ID, "GPU_CSF_ID", () -> G610.CSF_ID);
        mmio.mapReadOnly(GPU_THREAD_MAX_THREADS, "GPU_THREAD_MAX_THREADS", () -> G610.THREAD_MAX_THREADS);
        mmio.mapReadOnly(GPU_THREAD_MAX_WORKGROUP_SIZE, "GPU_THREAD_MAX_WORKGROUP_SIZE", () -> G610.THREAD_MAX_WORKGROUP_SIZE);
        mmio.mapReadOnly(GPU_THREAD_MAX_BARRIER_SIZE, "GPU_THREAD_MAX_BARRIER_SIZE", () -> G610.THREAD_MAX_BARRIER_SIZE);
        mmio.mapReadOnly(GPU_THREAD_FEATURES, "GPU_THREAD_FEATURES", () -> G610.THREAD_FEATURES);
        for (int n = 0; n < GPU_TEXTURE_FEATURES_COUNT; n++) {
            int value = G610.TEXTURE_FEATURES[n];
            mmio.mapReadOnly(GPU_TEXTURE_FEATURES(n), "GPU_TEXTURE_FEATURES" + n, () -> value);
        }
        mmio.mapConst64(GPU_SHADER_PRESENT, "GPU_SHADER_PRESENT", G610.SHADER_PRESENT);
        mmio.mapConst64(GPU_TILER_PRESENT, "GPU_TILER_PRESENT", G610.TILER_PRESENT);
        mmio.mapConst64(GPU_L2_PRESENT, "GPU_L2_PRESENT", G610.L2_PRESENT);
        mmio.mapReadOnly(GPU_REVID, "GPU_REVID", () -> G610.GPU_REVID);
        mmio.mapReadOnly(GPU_COHERENCY_FEATURES, "GPU_COHERENCY_FEATURES", () -> G610.COHERENCY_FEATURES);
    }

    public Object lock() { return lock; }
    public EventTrace trace() { return trace; }
    public VirtualClock clock() { return clock; }
    public IrqController irq() { return irq; }
    public SparseMemory memory() { return memory; }
    public MmioBus mmio() { return mmio; }
    public hw.model.internal.clock.ClockModel gpuClock() { return gpuClock; }
    public hw.model.internal.gpu.GpuControl gpu() { return gpu; }
    public hw.model.internal.mmu.MmuBlock mmu() { return mmu; }
    public hw.model.internal.csf.CsfBlock csf() { return csf; }

    /**
     * Registers a block's reset: a GPU_CMD soft/hard reset runs every hook, in registration
     * order, under the model lock, when the reset completes.
     */
    public void onReset(Runnable hook) {
        synchronized (lock) {
            resetHooks.add(hook);
        }
    }

    /** Runs the reset hooks (GPU_CONTROL calls this; the caller holds the model lock). */
    public void runResetHooks() {
        for (Runnable hook : java.util.List.copyOf(resetHooks)) {
            hook.run();
        }
    }

    /** Stops the model's threads (IRQ delivery, real-time pacer). */
    public void shutdown() {
        clock.shutdown();
        irq.shutdown();
    }

    IrqLine[] lines() {
        return IrqLine.values();
    }
}
