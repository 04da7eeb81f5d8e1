package driver.core.internal.drm;

import driver.core.api.GpuInfo;
import driver.core.kernel.GemObject;
import driver.core.kernel.PageAllocator;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.DeviceNode;
import driver.core.user.Mapping;
import driver.core.user.UserProcess;
import hw.model.api.Mmio;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * DOC: The DRM device.
 *
 * What {@code struct drm_device} and the UABI-facing half of {@code struct panthor_device}
 * are: the two device nodes ({@link #RENDER_NODE}, {@link #PRIMARY_NODE}), the open files,
 * the ioctl dispatcher, the fake mmap offset space, the page allocator GEM objects draw from,
 * the sources DEV_QUERY reads (GPU info from probe, the CSIF info the firmware reports, the
 * timestamp registers), and the ports to the MMU, scheduler and tiler-heap subsystems.
 *
 * mmap of a DRM fd, as {@code panthor_mmap()}: offsets at or above the file's user MMIO
 * offset map the LATEST_FLUSH_ID register page (shared, read-only, exactly one page, else
 * EINVAL); lower offsets are GEM fake offsets (EINVAL if unknown, EACCES if the file has no
 * handle for the object, EINVAL for MAP_PRIVATE or a NO_MMAP object).
 *
 * {@link #unplug()} makes every later open, ioctl and mmap fail with ENODEV, as
 * {@code drm_dev_unplug()}.
 */
public final class DrmDeviceCore {

    public static final String RENDER_NODE = "/dev/dri/renderD128";
    public static final String PRIMARY_NODE = "/dev/dri/card0";

    /** CSF_GPU_LATEST_FLUSH_ID, the register page userspace maps. */
    public static final int LATEST_FLUSH_ID_REG = 0x10000;

    /** G610 values the firmware reports ({@code panthor_drm.h} CSIF_INFO), until the FW layer provides them. */
    public static final DrmPanthorCsifInfo G610_CSIF_INFO = new DrmPanthorCsifInfo(8, 8, 96, 8, 4, 0);

    private static final AtomicInteger PIDS = new AtomicInteger(1000);

    private final Supplier<GpuInfo> gpuInfo;
    private final Mmio mmio;
    private final VirtualTime time;
    private final long timestampFrequencyHz;
    private final PageAllocator pages;
    private volatile PowerRef power = PowerRef.NONE;
    private final FakeOffsets offsets = new FakeOffsets();
    private final IoctlDispatcher dispatcher;
    private final CopyOnWriteArrayList<DrmFile> files = new CopyOnWriteArrayList<>();
    private final AtomicInteger clientIds = new AtomicInteger(1);
    private volatile Supplier<DrmPanthorCsifInfo> csifInfo = () -> G610_CSIF_INFO;
    private volatile IntUnaryOperator userMmioPage;
    private volatile SubsystemPort<VmIoctls> vmPort = SubsystemPort.absent("mmu");
    private volatile SubsystemPort<GroupIoctls> groupPort = SubsystemPort.absent("sched");
    private volatile SubsystemPort<TilerHeapIoctls> heapPort = SubsystemPort.absent("tiler heap");
    private volatile boolean unplugged;

    /**
     * @param gpuInfo the identification read at probe
     * @param timestampFrequencyHz frequency of the CPU architected timer that TIMESTAMP_INFO
     *        reports (24 MHz on RK3588, the same counter that feeds GPU TIMESTAMP)
     */
    public DrmDeviceCore(Supplier<GpuInfo> gpuInfo, Mmio mmio, VirtualTime time, long timestampFrequencyHz,
                         PageAllocator pages) {
        this.gpuInfo = gpuInfo;
        this.mmio = mmio;
        this.time = time;
        this.timestampFrequencyHz = timestampFrequencyHz;
        this.pages = pages;
        this.userMmioPage = off -> mmio.read32(LATEST_FLUSH_ID_REG + off);
        this.dispatcher = new IoctlDispatcher(this);
    }

    // ------------------------------------------------------------------ configuration

    public GpuInfo gpuInfo() {
        return gpuInfo.get();
    }

    public Mmio mmio() {
        return mmio;
    }

    public VirtualTime time() {
        return time;
    }

    public long timestampFrequencyHz() {
        return timestampFrequencyHz;
    }

    public PageAllocator pageAllocator() {
        return pages;
    }

    IoctlDispatcher dispatcher() {
        return dispatcher;
    }

    public DrmPanthorCsifInfo csifInfo() {
        return csifInfo.get();
    }

    /**
     * A runtime-PM reference: {@code get} resumes the GPU if needed and returns 0 or a negative
     * errno, {@code put} drops the reference with autosuspend ({@code pm_runtime_resume_and_get}
     * / {@code pm_runtime_put_autosuspend}).
     */
    public interface PowerRef {
        PowerRef NONE = new PowerRef() {
            @Override public int get() { return 0; }
            @Override public void put() { }
        };

        int get();

        void put();
    }

    public PowerRef power() {
        return power;
    }

    /** How ioctls that touch GPU registers keep the GPU powered (TIMESTAMP_INFO). */
    public void setPower(PowerRef power) {
        this.power = power;
    }

    /** Where CSIF_INFO comes from (the firmware interface layer, once booted). */
    public void setCsifInfoSource(Supplier<DrmPanthorCsifInfo> source) {
        this.csifInfo = source;
    }

    /**
     * What reads of the mapped flush-id page return, per 32-bit word offset: by default the
     * live register; runtime PM may substitute the dummy page (reads 1) while suspended.
     */
    public void setUserMmioPage(IntUnaryOperator reader) {
        this.userMmioPage = reader;
    }

    public void setVmPort(SubsystemPort<VmIoctls> port) {
        this.vmPort = port;
    }

    public void setGroupPort(SubsystemPort<GroupIoctls> port) {
        this.groupPort = port;
    }

    public void setHeapPort(SubsystemPort<TilerHeapIoctls> port) {
        this.heapPort = port;
    }

    SubsystemPort<VmIoctls> vmPort() {
        return vmPort;
    }

    SubsystemPort<GroupIoctls> groupPort() {
        return groupPort;
    }

    SubsystemPort<TilerHeapIoctls> heapPort() {
        return heapPort;
    }

    public boolean isUnplugged() {
        return unplugged;
    }

    /** {@code drm_dev_unplug()}: every later open, ioctl and mmap is ENODEV. */
    public void unplug() {
        unplugged = true;
    }

    // ------------------------------------------------------------------ processes and files

    /** The simulated /dev: both nodes of this device. */
    public Map<String, DeviceNode> deviceNodes() {
        return Map.of(
                RENDER_NODE, (opener, flags) -> openFile(opener, DrmFile.Minor.RENDER),
                PRIMARY_NODE, (opener, flags) -> openFile(opener, DrmFile.Minor.PRIMARY));
    }

    /** A new process that sees this device's nodes. */
    public UserProcess newProcess(String comm, Credentials credentials) {
        return new UserProcess(PIDS.getAndIncrement(), comm, credentials, deviceNodes());
    }

    private DrmFile openFile(UserProcess opener, DrmFile.Minor minor) {
        if (unplugged) {
            throw new ErrnoException(Errno.ENODEV);
        }
        boolean master = minor == DrmFile.Minor.PRIMARY && opener.credentials().drmMaster();
        DrmFile file = new DrmFile(this, minor, master, clientIds.getAndIncrement(), opener);
        files.add(file);
        return file;
    }

    /** The open DRM files, oldest first. */
    public List<DrmFile> files() {
        return new ArrayList<>(files);
    }

    /** The driver's postclose: the scheduler and MMU drop the file's groups and VMs. */
    void postclose(DrmFile file) {
        files.remove(file);
        groupPort.runIfPresent(sched -> sched.fileClosed(file));
        vmPort.runIfPresent(mmu -> mmu.fileClosed(file));
    }

    // ------------------------------------------------------------------ GEM

    /** A new GEM object of {@code size} (page aligned) drawing its pages from the device's allocator. */
    public GemObject createGem(long size, int flags, Object exclusiveVm) {
        return new GemObject(pages, size, flags, exclusiveVm, false, offsets::release);
    }

    /** The fake mmap offset of {@code obj}, allocated on first request. */
    long mmapOffset(GemObject obj) {
        return offsets.offsetOf(obj);
    }

    // ------------------------------------------------------------------ mmap

    Mapping mmap(DrmFile file, UserProcess caller, long offset, long length, int prot, int flags) {
        if (unplugged) {
            throw new ErrnoException(Errno.ENODEV);
        }
        long userMmio = file.userMmioOffset();
        if (Long.compareUnsigned(offset, userMmio) >= 0) {
            long adjusted = offset - userMmio + PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET;
            return mmapIo(adjusted, length, prot, flags);
        }
        var found = offsets.lookup(offset >>> 12, length >>> 12);
        if (found == null) {
            throw new ErrnoException(Errno.EINVAL, "no object at mmap offset");
        }
        GemObject obj = found.getKey();
        if (!file.gemAllowed(obj)) {
            throw new ErrnoException(Errno.EACCES, "object not opened by this file");
        }
        return mapObject(obj, found.getValue(), (int) (length >>> 12), prot, flags);
    }

    /** {@code panthor_device_mmap_io()}. */
    private Mapping mmapIo(long offset, long length, int prot, int flags) {
        if ((flags & UserProcess.MAP_SHARED) == 0) {
            throw new ErrnoException(Errno.EINVAL, "MMIO mappings must be shared");
        }
        if (offset != PanthorIoctls.DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET) {
            throw new ErrnoException(Errno.EINVAL, "unknown MMIO offset");
        }
        if (length != UserProcess.PAGE_SIZE || (prot & (UserProcess.PROT_WRITE | UserProcess.PROT_EXEC)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "flush-id page: one read-only page");
        }
        IntUnaryOperator reader = off -> userMmioPage.applyAsInt(off);
        return new Mapping.IoPage(reader, null);
    }

    /** Maps {@code count} pages of {@code obj} from page {@code first}; the mapping holds a reference and a pin. */
    static Mapping mapObject(GemObject obj, long first, int count, int prot, int flags) {
        if ((flags & UserProcess.MAP_SHARED) == 0) {
            throw new ErrnoException(Errno.EINVAL, "copy-on-write mapping of a GEM object");
        }
        if ((obj.flags() & PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP) != 0) {
            throw new ErrnoException(Errno.EINVAL, "NO_MMAP object");
        }
        long[] all = obj.pinPages();
        long[] slice = new long[count];
        System.arraycopy(all, (int) first, slice, 0, count);
        obj.get();
        Runnable onUnmap = () -> {
            obj.unpinPages();
            obj.put();
        };
        return new Mapping.PhysicalPages(obj.memory(), slice, true, onUnmap);
    }
}
