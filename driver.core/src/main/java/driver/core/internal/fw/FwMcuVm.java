package driver.core.internal.fw;

import static hw.model.regs.MaliRegs.*;

import driver.core.internal.device.DrmLog;
import driver.core.internal.device.MmuHooks;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.device.PanthorExceptions;
import driver.core.internal.device.PanthorIrq;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.pgtable.Lpae;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DOC: Interim MCU VM and MMU hooks.
 *
 * Until the MMU subsystem exists (next issue), the firmware layer builds its own VM: a 4 GiB
 * MCU address space in AS0 whose io-pgtable-style tables ({@link Lpae}: 4 KiB granule, the
 * GPU's 48-bit input range, four levels) it writes itself, with pages from the device's
 * {@link PageAllocator}. It maps only what {@link #mapShared} asks for (the shared section,
 * read/write, no-execute, non-cacheable) and programs AS0 the way {@code panthor_mmu.c} does:
 * wait for AS_ACTIVE to clear, LOCK the whole range, FLUSH_MEM, write TRANSTAB (the level-0
 * table), MEMATTR ({@code mair_to_memattr(MAIR, coherent)}) and TRANSCFG
 * ({@code AARCH64_4K | INA_BITS(55 - va_bits) | PTW_MEMATTR_WB | PTW_RA}), then UPDATE. Every
 * AS command waits for AS_ACTIVE (100 ms, "AS_ACTIVE bit stuck" schedules a reset).
 *
 * It also stands in for the device's MMU hooks: it handles the MMU IRQ (logs "Unhandled Page
 * fault"; a fault on AS0 masks and disables AS0; the user address spaces are the MMU
 * implementation's to mask, and to unmask when it enables them again), suspends/resumes the
 * line around resets and runtime PM, and forgets AS0's programming after a reset or suspend so
 * the next {@link #active()} reprograms it. Nothing maps user VMs: that, the AS LRU, VM_BIND and
 * fault reporting to the scheduler come with the MMU subsystem, which replaces this class.
 */
public final class FwMcuVm implements McuVm, MmuHooks {

    /** The firmware's address space. */
    public static final int MCU_AS = 0;
    /** The MCU VM spans 4 GiB (Cortex-M7). */
    public static final long MCU_VA_RANGE = 1L << 32;
    /** wait_ready(): AS_ACTIVE poll timeout. */
    static final long AS_READY_TIMEOUT_US = 100_000;
    static final int MAP_PROT = Lpae.IOMMU_READ | Lpae.IOMMU_WRITE | Lpae.IOMMU_NOEXEC;

    private final PanthorDeviceCore ptdev;
    private final Mmio mmio;
    private final PhysicalMemory memory;
    private final PageAllocator pages;
    private final VirtualTime time;
    private final DrmLog log;
    private final PanthorIrq irq;
    private final int vaBits;
    /** Table and flag state; never held across a wait on the hardware (the IRQ handler takes it). */
    private final Object lock = new Object();
    /** Serialises AS0 programming from thread context (never taken by the IRQ handler). */
    private final ReentrantLock asLock = new ReentrantLock();
    private final List<Long> tablePages = new ArrayList<>();
    private final List<KernelMapping> mappings = new ArrayList<>();
    private long pgd;
    private boolean asEnabled;
    private int faultyMask;

    public FwMcuVm(PanthorDeviceCore ptdev) {
        this.ptdev = ptdev;
        this.mmio = ptdev.mmio();
        this.memory = ptdev.memory();
        this.pages = ptdev.pageAllocator();
        this.time = ptdev.time();
        this.log = ptdev.log();
        this.irq = ptdev.mmuIrq();
        this.vaBits = GPU_MMU_FEATURES_VA_BITS_GET(ptdev.gpuInfo().mmuFeatures());
    }

    // ------------------------------------------------------------------ McuVm

    @Override
    public KernelMapping mapShared(long mcuVa, long size) {
        if (size <= 0 || (mcuVa & (Lpae.GRANULE - 1)) != 0 || (size & (Lpae.GRANULE - 1)) != 0
                || mcuVa < 0 || mcuVa + size > MCU_VA_RANGE) {
            throw new ErrnoException(Errno.EINVAL, "bad MCU range 0x" + Long.toHexString(mcuVa) + "+0x"
                    + Long.toHexString(size));
        }
        synchronized (lock) {
            for (KernelMapping m : mappings) {
                if (mcuVa < m.gpuVa() + m.size() && m.gpuVa() < mcuVa + size) {
                    throw new ErrnoException(Errno.EINVAL, "MCU range overlaps a mapping");
                }
            }
            int count = (int) (size / Lpae.GRANULE);
            long[] backing = pages.allocPages(count);
            try {
                for (int i = 0; i < count; i++) {
                    mapPage(mcuVa + i * Lpae.GRANULE, backing[i], MAP_PROT);
                }
            } catch (ErrnoException e) {
                for (int i = 0; i < count; i++) {
                    unmapPage(mcuVa + i * Lpae.GRANULE);
                }
                pages.freePages(backing);
                throw e;
            }
            KernelMapping m = new KernelMapping(memory, backing, mcuVa);
            m.clear();
            mappings.add(m);
            return m;
        }
    }

    /** The level-0 table (AS0 TRANSTAB), allocated on the first mapping. */
    public long pgd() {
        synchronized (lock) {
            return pgd;
        }
    }

    /** Page-table pages in use (level 0 included). */
    public int tablePageCount() {
        synchronized (lock) {
            return tablePages.size();
        }
    }

    private long allocTable() {
        long pa = pages.allocPage();
        memory.zero(pa, PhysicalMemory.PAGE_SIZE);
        tablePages.add(pa);
        return pa;
    }

    /** Writes the leaf for {@code va}, allocating missing tables ({@code __arm_lpae_map()} for one 4 KiB page). */
    private void mapPage(long va, long pa, int prot) {
        if (pgd == 0) {
            pgd = allocTable();
        }
        long table = pgd;
        for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS - 1; level++) {
            long slot = table + 8L * Lpae.index(va, level);
            long pte = memory.read64(slot);
            if (!Lpae.isValid(pte)) {
                long next = allocTable();
                memory.write64(slot, Lpae.table(next));
                table = next;
            } else if (Lpae.isTable(pte, level)) {
                table = Lpae.address(pte);
            } else {
                throw new ErrnoException(Errno.EEXIST, "block mapping in the way at 0x" + Long.toHexString(va));
            }
        }
        long slot = table + 8L * Lpae.index(va, Lpae.MAX_LEVELS - 1);
        if (Lpae.isValid(memory.read64(slot))) {
            throw new ErrnoException(Errno.EEXIST, "MCU VA 0x" + Long.toHexString(va) + " already mapped");
        }
        memory.write64(slot, Lpae.leaf(pa, prot, Lpae.MAX_LEVELS - 1));
    }

    private void unmapPage(long va) {
        if (pgd == 0) {
            return;
        }
        long table = pgd;
        for (int level = Lpae.startLevel(vaBits); level < Lpae.MAX_LEVELS - 1; level++) {
            long pte = memory.read64(table + 8L * Lpae.index(va, level));
            if (!Lpae.isTable(pte, level)) {
                return;
            }
            table = Lpae.address(pte);
        }
        memory.write64(table + 8L * Lpae.index(va, Lpae.MAX_LEVELS - 1), 0);
    }

    @Override
    public int active() {
        asLock.lock();
        try {
            long transtab;
            synchronized (lock) {
                if (asEnabled) {
                    return 0;
                }
                if (pgd == 0) {
                    pgd = allocTable();
                }
                transtab = pgd;
            }
            int ret = asEnable(MCU_AS, transtab, Lpae.transcfg(vaBits, ptdev.coherent()),
                    Lpae.mairToMemattr(Lpae.MAIR, ptdev.coherent()));
            if (ret == 0) {
                synchronized (lock) {
                    asEnabled = true;
                }
            }
            return ret;
        } finally {
            asLock.unlock();
        }
    }

    /** Whether AS0 is programmed with this VM. */
    public boolean isActive() {
        synchronized (lock) {
            return asEnabled;
        }
    }

    @Override
    public void destroy() {
        synchronized (lock) {
            for (KernelMapping m : mappings) {
                pages.freePages(m.pages());
            }
            mappings.clear();
            for (long pa : tablePages) {
                pages.freePage(pa);
            }
            tablePages.clear();
            pgd = 0;
            asEnabled = false;
        }
    }

    // ------------------------------------------------------------------ AS programming

    /** {@code wait_ready()}: AS_ACTIVE clear within 100 ms, else "AS_ACTIVE bit stuck" and a reset. */
    private int waitReady(int as) {
        if (!time.await(() -> (mmio.read32(AS_STATUS(as)) & AS_STATUS_AS_ACTIVE) == 0,
                AS_READY_TIMEOUT_US * 1000)) {
            ptdev.scheduleReset();
            log.err("AS_ACTIVE bit stuck");
            return -Errno.ETIMEDOUT;
        }
        return 0;
    }

    /** {@code write_cmd()}. */
    private int writeCmd(int as, int cmd) {
        int ret = waitReady(as);
        if (ret == 0) {
            mmio.write32(AS_COMMAND(as), cmd);
        }
        return ret;
    }

    /** {@code mmu_hw_do_operation_locked()} over the whole address space. */
    private int flushAll(int as, int op) {
        int ret = waitReady(as);
        if (ret != 0) {
            return ret;
        }
        mmio.write64(AS_LOCKADDR(as), Lpae.lockRegion(0, ~0L));
        ret = writeCmd(as, AS_COMMAND_LOCK);
        if (ret == 0) {
            ret = writeCmd(as, op);
        }
        return ret == 0 ? waitReady(as) : ret;
    }

    /** {@code panthor_mmu_as_enable()}. */
    private int asEnable(int as, long transtab, long transcfg, long memattr) {
        int ret = flushAll(as, AS_COMMAND_FLUSH_MEM);
        if (ret != 0) {
            return ret;
        }
        mmio.write64(AS_TRANSTAB(as), transtab);
        mmio.write64(AS_MEMATTR(as), memattr);
        mmio.write64(AS_TRANSCFG(as), transcfg);
        ret = writeCmd(as, AS_COMMAND_UPDATE);
        return ret == 0 ? waitReady(as) : ret;
    }

    /** {@code panthor_mmu_as_disable()}. */
    private int asDisable(int as) {
        int ret = flushAll(as, AS_COMMAND_FLUSH_MEM);
        if (ret != 0) {
            return ret;
        }
        mmio.write64(AS_TRANSTAB(as), 0);
        mmio.write64(AS_MEMATTR(as), 0);
        mmio.write64(AS_TRANSCFG(as), AS_TRANSCFG_ADRMODE_UNMAPPED);
        return writeCmd(as, AS_COMMAND_UPDATE);
    }

    // ------------------------------------------------------------------ MmuHooks

    @Override
    public McuVm mcuVm() {
        return this;
    }

    @Override
    public int irqMask() {
        synchronized (lock) {
            return MMU_INT_PAGE_FAULT_MASK & ~faultyMask;
        }
    }

    @Override
    public void irq(int status) {
        int faults = status & MMU_INT_PAGE_FAULT_MASK;
        while (faults != 0) {
            int as = Integer.numberOfTrailingZeros(faults);
            int bit = 1 << as;
            int faultStatus = mmio.read32(AS_FAULTSTATUS(as));
            long addr = mmio.read64Raw(AS_FAULTADDRESS(as));
            int exceptionType = faultStatus & 0xff;
            int accessType = (faultStatus >>> 8) & 0x3;
            log.err("Unhandled Page fault in AS%d at VA 0x%016X\nraw fault status: 0x%X\ndecoded fault status: %s\n"
                            + "exception type 0x%X: %s\naccess type 0x%X: %s\nsource id 0x%X",
                    as, addr, faultStatus, (faultStatus & (1 << 10)) != 0 ? "DECODER FAULT" : "SLAVE FAULT",
                    exceptionType, PanthorExceptions.name(exceptionType), accessType, accessTypeName(accessType),
                    faultStatus >>> 16);
            if (as != MCU_AS) {
                faults &= ~bit;
                continue;
            }
            boolean wasEnabled;
            synchronized (lock) {
                faultyMask |= bit;
                irq.disable(bit);
                wasEnabled = asEnabled;
                asEnabled = false;
            }
            if (wasEnabled) {
                asDisable(as);
            }
            faults &= ~bit;
        }
    }

    private static String accessTypeName(int accessType) {
        return switch (accessType) {
            case 0 -> "ATOMIC";
            case 1 -> "EXECUTE";
            case 2 -> "READ";
            default -> "WRITE";
        };
    }

    /** AS0's fault bit if it faulted; it stays masked until a reset or resume. */
    public int faultyMask() {
        synchronized (lock) {
            return faultyMask;
        }
    }

    @Override
    public void preReset() {
        irq.suspend();
    }

    @Override
    public void postReset() {
        synchronized (lock) {
            asEnabled = false;
            faultyMask = 0;
        }
        irq.resume(irqMask());
    }

    @Override
    public void suspend() {
        disableIfEnabled();
        irq.suspend();
    }

    private void disableIfEnabled() {
        asLock.lock();
        try {
            boolean wasEnabled;
            synchronized (lock) {
                wasEnabled = asEnabled;
                asEnabled = false;
            }
            if (wasEnabled) {
                asDisable(MCU_AS);
            }
        } finally {
            asLock.unlock();
        }
    }

    @Override
    public void resume() {
        synchronized (lock) {
            faultyMask = 0;
        }
        irq.resume(irqMask());
    }

    @Override
    public void unplug() {
        if (ptdev.pmActive()) {
            irq.suspend();
            disableIfEnabled();
        }
        irq.free();
    }
}
