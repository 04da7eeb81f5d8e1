package driver.core.internal.fw;

import static hw.model.regs.MaliRegs.CSF_GPU_LATEST_FLUSH_ID;

import driver.core.fw.PanthorFirmware;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.kernel.KernelMapping;
import driver.core.kernel.pgtable.Lpae;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * DOC: {@link PanthorFirmware} over {@link PanthorFw} and {@link PanthorDeviceCore}.
 *
 * A thin adapter: interface accessors wrap {@link FwIface}s (looked up on each call, so a
 * reset that re-discovers the interfaces is seen at once), waits return the acknowledged mask
 * or a negative errno, runtime PM and reset go to the device core.
 *
 * Firmware-VM memory ({@code panthor_fw_alloc_queue_iface_mem()},
 * {@code panthor_fw_alloc_suspend_buf_mem()}) is carved from the MCU VM above the shared
 * section, from {@link #FW_MEM_VA_START}. Simplification: the interim MCU VM cannot unmap, so
 * {@link #freeFwMem} keeps a freed allocation mapped in a per-size free list and hands it out
 * again (zeroed) rather than returning its pages; the pages are freed with the MCU VM at unplug.
 */
public final class PanthorFirmwareApi implements PanthorFirmware {

    /** Where firmware-VM allocations start (above the shared region). */
    public static final long FW_MEM_VA_START = 0x1000_0000L;
    /** The end of the MCU VM (4 GiB). */
    public static final long FW_MEM_VA_END = 1L << 32;

    private final PanthorDeviceCore ptdev;
    private final Object memLock = new Object();
    private final Map<Long, ArrayDeque<KernelMapping>> freeMem = new HashMap<>();
    private long nextVa = FW_MEM_VA_START;

    public PanthorFirmwareApi(PanthorDeviceCore ptdev) {
        this.ptdev = ptdev;
    }

    private PanthorFw fw() {
        return ptdev.fw();
    }

    private record AreaView(FwIface.Area area) implements Area {
        @Override
        public int read32(int field) {
            return area.read32(field);
        }

        @Override
        public void write32(int field, int value) {
            area.write32(field, value);
        }

        @Override
        public long read64(int field) {
            return area.read64(field);
        }

        @Override
        public void write64(int field, long value) {
            area.write64(field, value);
        }
    }

    private record IfaceView(FwIface iface) implements Iface {
        @Override
        public Area control() {
            return new AreaView(iface.control());
        }

        @Override
        public Area input() {
            return new AreaView(iface.input());
        }

        @Override
        public Area output() {
            return new AreaView(iface.output());
        }

        @Override
        public void toggleReqs(int inReg, int outReg, int mask) {
            iface.toggleReqs(inReg, outReg, mask);
        }

        @Override
        public void updateReqs(int inReg, int val, int mask) {
            iface.updateReqs(inReg, val, mask);
        }
    }

    @Override
    public boolean booted() {
        return fw().booted();
    }

    @Override
    public int csgSlotCount() {
        return fw().csgSlotCount();
    }

    @Override
    public int csSlotCount() {
        return fw().csSlotCount();
    }

    @Override
    public DrmPanthorCsifInfo csifInfo() {
        return fw().csifInfo();
    }

    @Override
    public Iface glb() {
        return new IfaceView(fw().glbIface());
    }

    @Override
    public Iface csg(int csgSlot) {
        return new IfaceView(fw().csgIface(csgSlot));
    }

    @Override
    public Iface cs(int csgSlot, int csSlot) {
        return new IfaceView(fw().csIface(csgSlot, csSlot));
    }

    @Override
    public int glbWaitAcks(int reqMask, long timeoutMs) {
        PanthorFw.AckWait w = fw().glbWaitAcks(reqMask, timeoutMs);
        return w.ok() ? w.acked() : w.ret();
    }

    @Override
    public int csgWaitAcks(int csgSlot, int reqMask, long timeoutMs) {
        PanthorFw.AckWait w = fw().csgWaitAcks(csgSlot, reqMask, timeoutMs);
        return w.ok() ? w.acked() : w.ret();
    }

    @Override
    public void ringDoorbell(int id) {
        fw().ringDoorbell(id);
    }

    @Override
    public void ringCsgDoorbells(int csgMask) {
        fw().ringCsgDoorbells(csgMask);
    }

    private KernelMapping allocFwMem(long size) {
        long rounded = (size + Lpae.GRANULE - 1) & ~(Lpae.GRANULE - 1);
        if (rounded <= 0) {
            throw new ErrnoException(Errno.EINVAL, "firmware memory size " + size);
        }
        synchronized (memLock) {
            ArrayDeque<KernelMapping> free = freeMem.get(rounded);
            if (free != null && !free.isEmpty()) {
                KernelMapping m = free.pop();
                m.clear();
                return m;
            }
            if (nextVa + rounded > FW_MEM_VA_END) {
                throw new ErrnoException(Errno.ENOMEM, "firmware VM full");
            }
            KernelMapping m = ptdev.mmu().mcuVm().mapShared(nextVa, rounded);
            nextVa += rounded;
            return m;
        }
    }

    @Override
    public KernelMapping allocQueueIfaceMem() {
        return allocFwMem(2 * Lpae.GRANULE);
    }

    @Override
    public KernelMapping allocSuspendBufMem(long size) {
        return allocFwMem(size);
    }

    @Override
    public void freeFwMem(KernelMapping mem) {
        if (mem == null) {
            return;
        }
        synchronized (memLock) {
            freeMem.computeIfAbsent(mem.size(), k -> new ArrayDeque<>()).push(mem);
        }
    }

    @Override
    public int latestFlushId() {
        return ptdev.mmio().read32(CSF_GPU_LATEST_FLUSH_ID);
    }

    @Override
    public int resumeAndGet() {
        return ptdev.resumeAndGet();
    }

    @Override
    public void putAutosuspend() {
        ptdev.pm().putAutosuspend();
    }

    @Override
    public boolean pmActive() {
        return ptdev.pmActive();
    }

    @Override
    public void scheduleReset() {
        ptdev.scheduleReset();
    }

    @Override
    public boolean resetPending() {
        return ptdev.resetPending();
    }

    @Override
    public void logInfo(String format, Object... args) {
        ptdev.log().info(format, args);
    }

    @Override
    public void logWarn(String format, Object... args) {
        ptdev.log().warn(format, args);
    }

    @Override
    public void logErr(String format, Object... args) {
        ptdev.log().err(format, args);
    }
}
