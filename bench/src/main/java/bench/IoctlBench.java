package bench;

import driver.core.api.GpuInfo;
import driver.core.internal.drm.DrmDeviceCore;
import driver.core.kernel.PageAllocator;
import driver.core.uapi.DrmGemClose;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorDevQuery;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmSyncobjCreate;
import driver.core.uapi.DrmSyncobjDestroy;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import hw.model.api.Mmio;
import hw.model.api.VirtualTime;
import hw.model.internal.GpuModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the byte-path ioctl dispatch: a simulated process calls {@code ioctl()} with a
 * struct already in its memory, exactly as a C client would, and the driver copies it in,
 * dispatches, copies it out. Scores are calls per second.
 *
 * <ul>
 *   <li>{@code devQueryGpuInfo}: DEV_QUERY GPU_INFO into a 112-byte buffer (two user
 *       copies plus a 112-byte copy-out).</li>
 *   <li>{@code syncobjCreateDestroy}: SYNCOBJ_CREATE then SYNCOBJ_DESTROY (two ioctls per
 *       operation, handle table insert and remove).</li>
 *   <li>{@code boCreateClose}: BO_CREATE of 4 KiB then GEM_CLOSE (pages are lazy, so no
 *       page allocation).</li>
 *   <li>{@code typedGpuInfo}: the same GPU_INFO query through {@link PanthorClient}, which
 *       also allocates and frees the scratch memory in the process.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IoctlBench {

    private GpuModel model;
    private UserProcess process;
    private PanthorClient client;
    private int fd;
    private long devQuery;
    private long syncCreate;
    private long syncDestroy;
    private long boCreate;
    private long gemClose;

    @Setup
    public void setUp() {
        model = new GpuModel();
        model.clock().setMode(VirtualTime.Mode.DETERMINISTIC);
        GpuInfo info = readGpuInfo(model.mmio());
        DrmDeviceCore device = new DrmDeviceCore(() -> info, model.mmio(), model.clock(),
                model.gpuClock().timestampFrequencyHz(), new PageAllocator(model.memory()));
        process = device.newProcess("bench", Credentials.user());
        fd = process.open(DrmDeviceCore.RENDER_NODE);
        client = new PanthorClient(process, fd);
        long payload = process.alloc(DrmPanthorGpuInfo.SIZE);
        devQuery = process.allocStruct(new DrmPanthorDevQuery(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO,
                DrmPanthorGpuInfo.SIZE, payload));
        syncCreate = process.allocStruct(DrmSyncobjCreate.ZERO);
        syncDestroy = process.alloc(DrmSyncobjDestroy.SIZE);
        boCreate = process.alloc(DrmPanthorBoCreate.SIZE);
        gemClose = process.alloc(DrmGemClose.SIZE);
    }

    @TearDown
    public void tearDown() {
        process.exit();
        model.shutdown();
    }

    @Benchmark
    public int devQueryGpuInfo() {
        return process.ioctl(fd, PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, devQuery);
    }

    @Benchmark
    public int syncobjCreateDestroy() {
        process.writeStruct(syncCreate, DrmSyncobjCreate.ZERO);
        process.ioctl(fd, DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE, syncCreate);
        int handle = process.read32(syncCreate);
        process.writeStruct(syncDestroy, new DrmSyncobjDestroy(handle, 0));
        return process.ioctl(fd, DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY, syncDestroy);
    }

    @Benchmark
    public int boCreateClose() {
        process.writeStruct(boCreate, new DrmPanthorBoCreate(4096, 0, 0, 0, 0));
        process.ioctl(fd, PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, boCreate);
        int handle = process.read32(boCreate + DrmPanthorBoCreate.OFFSET_HANDLE);
        process.writeStruct(gemClose, new DrmGemClose(handle, 0));
        return process.ioctl(fd, DrmIoctls.DRM_IOCTL_GEM_CLOSE, gemClose);
    }

    @Benchmark
    public int typedGpuInfo() {
        return client.gpuInfo().gpuId();
    }

    private static GpuInfo readGpuInfo(Mmio mmio) {
        int[] texture = new int[4];
        for (int n = 0; n < 4; n++) {
            texture[n] = mmio.read32(0xB0 + 4 * n);
        }
        return new GpuInfo(mmio.read32(0x000), mmio.read32(0x280), mmio.read32(0x01C), mmio.read32(0x004),
                mmio.read32(0x00C), mmio.read32(0x010), mmio.read32(0x014), mmio.read32(0x0AC), mmio.read32(0x0A0),
                mmio.read32(0x0A4), mmio.read32(0x0A8), mmio.read32(0x300), texture, mmio.read32(0x018),
                mmio.read64Raw(0x100), mmio.read64Raw(0x120), mmio.read64Raw(0x110), mmio.read32(0x008));
    }
}
