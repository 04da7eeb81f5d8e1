package driver.core.internal.drm;

import driver.core.api.GpuInfo;
import driver.core.kernel.PageAllocator;
import driver.core.uapi.UapiStruct;
import driver.core.user.Credentials;
import driver.core.user.UserProcess;
import hw.model.api.Mmio;
import hw.model.api.VirtualTime;
import hw.model.internal.GpuModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A G610 model in deterministic time with a panthor DRM device on top, and helpers to make
 * raw ioctls the way a C client does: struct bytes in the process's memory, then ioctl().
 */
final class TestBed implements AutoCloseable {

    final GpuModel model = new GpuModel();
    final GpuInfo gpuInfo;
    final PageAllocator pages;
    final DrmDeviceCore device;
    private final List<UserProcess> processes = new ArrayList<>();

    TestBed() {
        this(PageAllocator.DEFAULT_SIZE);
    }

    TestBed(long memoryBytes) {
        model.clock().setMode(VirtualTime.Mode.DETERMINISTIC);
        gpuInfo = readGpuInfo(model.mmio());
        pages = new PageAllocator(model.memory(), PageAllocator.DEFAULT_BASE, memoryBytes);
        device = new DrmDeviceCore(() -> gpuInfo, model.mmio(), model.clock(),
                model.gpuClock().timestampFrequencyHz(), pages);
    }

    /** The identification registers, read as panthor_gpu_init_info() reads them. */
    static GpuInfo readGpuInfo(Mmio mmio) {
        int[] texture = new int[4];
        for (int n = 0; n < 4; n++) {
            texture[n] = mmio.read32(0xB0 + 4 * n);
        }
        return new GpuInfo(mmio.read32(0x000), mmio.read32(0x280), mmio.read32(0x01C), mmio.read32(0x004),
                mmio.read32(0x00C), mmio.read32(0x010), mmio.read32(0x014), mmio.read32(0x0AC), mmio.read32(0x0A0),
                mmio.read32(0x0A4), mmio.read32(0x0A8), mmio.read32(0x300), texture, mmio.read32(0x018),
                mmio.read64Raw(0x100), mmio.read64Raw(0x120), mmio.read64Raw(0x110), mmio.read32(0x008));
    }

    UserProcess process(String comm, Credentials credentials) {
        UserProcess p = device.newProcess(comm, credentials);
        processes.add(p);
        return p;
    }

    UserProcess process(String comm) {
        return process(comm, Credentials.user());
    }

    /** A process with the render node open; the fd is {@link Proc#fd}. */
    Proc open(String comm, Credentials credentials, String node) {
        UserProcess p = process(comm, credentials);
        int fd = p.open(node);
        if (fd < 0) {
            throw new AssertionError("open failed: " + fd);
        }
        return new Proc(p, fd);
    }

    Proc open(String comm) {
        return open(comm, Credentials.user(), DrmDeviceCore.RENDER_NODE);
    }

    /** A process and its DRM fd, with raw-ioctl helpers. */
    record Proc(UserProcess p, int fd) {

        /** Writes {@code arg} to fresh memory, calls ioctl, returns the result; {@link Call#out} reads the struct back. */
        Call call(int request, UapiStruct arg) {
            return callBytes(request, arg.toBytes());
        }

        Call callBytes(int request, byte[] arg) {
            long addr = p.allocBytes(arg);
            int ret = p.ioctl(fd, request, addr);
            return new Call(ret, p, addr, arg.length);
        }

        DrmFile file() {
            return (DrmFile) p.fget(fd);
        }
    }

    /** The outcome of one raw ioctl. */
    record Call(int ret, UserProcess p, long addr, int size) {
        byte[] out() {
            return p.readBytes(addr, size);
        }
    }

    @Override
    public void close() {
        for (UserProcess p : processes) {
            p.exit();
        }
        model.shutdown();
    }
}
