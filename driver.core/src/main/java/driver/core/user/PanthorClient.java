package driver.core.user;

import driver.core.uapi.DrmGemClose;
import driver.core.uapi.DrmGetCap;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorBoMmapOffset;
import driver.core.uapi.DrmPanthorBoQueryInfo;
import driver.core.uapi.DrmPanthorBoSetLabel;
import driver.core.uapi.DrmPanthorBoSync;
import driver.core.uapi.DrmPanthorBoSyncOp;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorDevQuery;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupDestroy;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorGroupPrioritiesInfo;
import driver.core.uapi.DrmPanthorGroupSubmit;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSetUserMmioOffset;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorTilerHeapDestroy;
import driver.core.uapi.DrmPanthorTimestampInfo;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.DrmPanthorVmDestroy;
import driver.core.uapi.DrmPanthorVmGetState;
import driver.core.uapi.DrmPrimeHandle;
import driver.core.uapi.DrmSyncobjArray;
import driver.core.uapi.DrmSyncobjCreate;
import driver.core.uapi.DrmSyncobjDestroy;
import driver.core.uapi.DrmSyncobjHandle;
import driver.core.uapi.DrmSyncobjTimelineArray;
import driver.core.uapi.DrmSyncobjTimelineWait;
import driver.core.uapi.DrmSyncobjTransfer;
import driver.core.uapi.DrmSyncobjWait;
import driver.core.uapi.DrmVersion;
import driver.core.uapi.Le;
import driver.core.uapi.PanthorIoctls;
import driver.core.uapi.UapiStruct;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * DOC: The typed client API.
 *
 * Methods named after the ioctls, taking and returning the UABI records, for Java clients,
 * tests and shell commands. Every method goes through the byte path a C client uses: it
 * writes the struct (and any arrays and strings it points to) into the process's memory,
 * calls {@link UserProcess#ioctl} with the real request number and reads the result back. So
 * nothing here can skip a check of the driver; a failure is an {@link IoctlException} with
 * the ioctl's errno.
 *
 * Memory written for a call is freed when the call returns. Arrays built with
 * {@link #objArray} for nested use (sync ops inside VM_BIND ops or queue submits) live until
 * the next typed call that consumes them returns. A client is not thread-safe: threads
 * sharing one DRM fd each use their own client.
 */
public final class PanthorClient implements AutoCloseable {

    /** {@code DRM_IOCTL_VERSION}'s strings and numbers. */
    public record Version(int major, int minor, int patchlevel, String name, String date, String desc) {
    }

    private final UserProcess process;
    private final int fd;
    private final List<Long> arena = new ArrayList<>();

    public PanthorClient(UserProcess process, int fd) {
        this.process = process;
        this.fd = fd;
    }

    /** Opens {@code path} (the render node by default) in {@code process}. */
    public static PanthorClient open(UserProcess process, String path) {
        int fd = process.open(path);
        if (fd < 0) {
            throw new IoctlException("open(" + path + ")", -fd);
        }
        return new PanthorClient(process, fd);
    }

    public static PanthorClient open(UserProcess process) {
        return open(process, "/dev/dri/renderD128");
    }

    public UserProcess process() {
        return process;
    }

    public int fd() {
        return fd;
    }

    // ------------------------------------------------------------------ byte path

    /**
     * Writes {@code arg} into the process, issues {@code request} and returns the result
     * ({@code 0} or {@code -errno}); {@code out} receives the struct bytes as the kernel left
     * them (may be null).
     */
    public int ioctlBytes(int request, byte[] arg, byte[] out) {
        long addr = process.allocBytes(arg);
        try {
            int ret = process.ioctl(fd, request, addr);
            if (out != null) {
                process.read(addr, out, 0, Math.min(out.length, arg.length));
            }
            return ret;
        } finally {
            process.free(addr);
            releaseArena();
        }
    }

    private <T> T call(String name, int request, UapiStruct arg, Function<byte[], T> decode) {
        byte[] out = new byte[arg.structSize()];
        int ret = ioctlBytes(request, arg.toBytes(), out);
        if (ret < 0) {
            throw new IoctlException(name, -ret);
        }
        return decode.apply(out);
    }

    /**
     * Writes {@code elements} as a contiguous array (stride = their struct size) into the
     * process and describes it; an empty list gives {@code {stride, 0, 0}}.
     */
    public DrmPanthorObjArray objArray(List<? extends UapiStruct> elements, int stride) {
        if (elements.isEmpty()) {
            return new DrmPanthorObjArray(stride, 0, 0);
        }
        byte[] b = new byte[stride * elements.size()];
        for (int i = 0; i < elements.size(); i++) {
            elements.get(i).encode(b, i * stride);
        }
        long addr = process.allocBytes(b);
        arena.add(addr);
        return new DrmPanthorObjArray(stride, elements.size(), addr);
    }

    public DrmPanthorObjArray objArray(List<? extends UapiStruct> elements) {
        return objArray(elements, elements.isEmpty() ? 0 : elements.get(0).structSize());
    }

    private long arenaBytes(byte[] b) {
        long addr = process.allocBytes(b);
        arena.add(addr);
        return addr;
    }

    private long arenaU32(int[] values) {
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            Le.put32(b, i * 4, values[i]);
        }
        return arenaBytes(b);
    }

    private long arenaU64(long[] values) {
        byte[] b = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            Le.put64(b, i * 8, values[i]);
        }
        return arenaBytes(b);
    }

    private void releaseArena() {
        for (long a : arena) {
            process.free(a);
        }
        arena.clear();
    }

    // ------------------------------------------------------------------ DRM core

    /** {@code drmGetVersion()}: one call for the lengths, one for the strings. */
    public Version version() {
        DrmVersion lengths = call("DRM_IOCTL_VERSION", DrmIoctls.DRM_IOCTL_VERSION, DrmVersion.ZERO, DrmVersion::decode);
        long name = arenaBytes(new byte[(int) lengths.nameLen() + 1]);
        long date = arenaBytes(new byte[(int) lengths.dateLen() + 1]);
        long desc = arenaBytes(new byte[(int) lengths.descLen() + 1]);
        DrmVersion req = new DrmVersion(0, 0, 0, lengths.nameLen(), name, lengths.dateLen(), date, lengths.descLen(), desc);
        byte[] out = new byte[DrmVersion.SIZE];
        long addr = process.allocStruct(req);
        try {
            int ret = process.ioctl(fd, DrmIoctls.DRM_IOCTL_VERSION, addr);
            if (ret < 0) {
                throw new IoctlException("DRM_IOCTL_VERSION", -ret);
            }
            process.read(addr, out, 0, out.length);
            DrmVersion v = DrmVersion.decode(out);
            return new Version(v.versionMajor(), v.versionMinor(), v.versionPatchlevel(),
                    string(name, v.nameLen()), string(date, v.dateLen()), string(desc, v.descLen()));
        } finally {
            process.free(addr);
            releaseArena();
        }
    }

    private String string(long addr, long len) {
        return new String(process.readBytes(addr, (int) len), StandardCharsets.UTF_8);
    }

    public long getCap(long capability) {
        return call("DRM_IOCTL_GET_CAP", DrmIoctls.DRM_IOCTL_GET_CAP, new DrmGetCap(capability, 0), DrmGetCap::decode).value();
    }

    public void gemClose(int handle) {
        call("DRM_IOCTL_GEM_CLOSE", DrmIoctls.DRM_IOCTL_GEM_CLOSE, new DrmGemClose(handle, 0), b -> null);
    }

    /** Exports {@code handle} as a dma-buf; the new fd in this process. */
    public int primeHandleToFd(int handle, int flags) {
        return call("DRM_IOCTL_PRIME_HANDLE_TO_FD", DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD,
                new DrmPrimeHandle(handle, flags, -1), DrmPrimeHandle::decode).fd();
    }

    /** Imports dma-buf {@code primeFd}; the GEM handle. */
    public int primeFdToHandle(int primeFd) {
        return call("DRM_IOCTL_PRIME_FD_TO_HANDLE", DrmIoctls.DRM_IOCTL_PRIME_FD_TO_HANDLE,
                new DrmPrimeHandle(0, 0, primeFd), DrmPrimeHandle::decode).handle();
    }

    // ------------------------------------------------------------------ syncobjs

    public int syncobjCreate(int flags) {
        return call("DRM_IOCTL_SYNCOBJ_CREATE", DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE,
                new DrmSyncobjCreate(0, flags), DrmSyncobjCreate::decode).handle();
    }

    public void syncobjDestroy(int handle) {
        call("DRM_IOCTL_SYNCOBJ_DESTROY", DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY, new DrmSyncobjDestroy(handle, 0), b -> null);
    }

    /** HANDLE_TO_FD: a syncobj fd, or with EXPORT_SYNC_FILE a sync_file fd of {@code point}. */
    public int syncobjHandleToFd(int handle, int flags, long point) {
        return call("DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD", DrmIoctls.DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD,
                new DrmSyncobjHandle(handle, flags, -1, 0, point), DrmSyncobjHandle::decode).fd();
    }

    /** FD_TO_HANDLE: the new handle of a syncobj fd, or (IMPORT_SYNC_FILE) {@code handle} after importing into it. */
    public int syncobjFdToHandle(int syncFd, int handle, int flags, long point) {
        return call("DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE", DrmIoctls.DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE,
                new DrmSyncobjHandle(handle, flags, syncFd, 0, point), DrmSyncobjHandle::decode).handle();
    }

    /** SYNCOBJ_WAIT until {@code absTimeoutNsec} (virtual CLOCK_MONOTONIC); {@code first_signaled}. */
    public int syncobjWait(int[] handles, long absTimeoutNsec, int flags) {
        DrmSyncobjWait w = new DrmSyncobjWait(arenaU32(handles), absTimeoutNsec, handles.length, flags, 0, 0, 0);
        return call("DRM_IOCTL_SYNCOBJ_WAIT", DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT, w, DrmSyncobjWait::decode).firstSignaled();
    }

    public int syncobjTimelineWait(int[] handles, long[] points, long absTimeoutNsec, int flags) {
        DrmSyncobjTimelineWait w = new DrmSyncobjTimelineWait(arenaU32(handles), arenaU64(points), absTimeoutNsec,
                handles.length, flags, 0, 0, 0);
        return call("DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT", DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, w,
                DrmSyncobjTimelineWait::decode).firstSignaled();
    }

    public void syncobjReset(int... handles) {
        call("DRM_IOCTL_SYNCOBJ_RESET", DrmIoctls.DRM_IOCTL_SYNCOBJ_RESET,
                new DrmSyncobjArray(arenaU32(handles), handles.length, 0), b -> null);
    }

    public void syncobjSignal(int... handles) {
        call("DRM_IOCTL_SYNCOBJ_SIGNAL", DrmIoctls.DRM_IOCTL_SYNCOBJ_SIGNAL,
                new DrmSyncobjArray(arenaU32(handles), handles.length, 0), b -> null);
    }

    public void syncobjTimelineSignal(int[] handles, long[] points) {
        call("DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL", DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL,
                new DrmSyncobjTimelineArray(arenaU32(handles), arenaU64(points), handles.length, 0), b -> null);
    }

    /** SYNCOBJ_QUERY: the point of each syncobj. */
    public long[] syncobjQuery(int[] handles, int flags) {
        long points = process.alloc(8L * handles.length);
        try {
            call("DRM_IOCTL_SYNCOBJ_QUERY", DrmIoctls.DRM_IOCTL_SYNCOBJ_QUERY,
                    new DrmSyncobjTimelineArray(arenaU32(handles), points, handles.length, flags), b -> null);
            long[] out = new long[handles.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = process.read64(points + 8L * i);
            }
            return out;
        } finally {
            process.free(points);
        }
    }

    public void syncobjTransfer(int srcHandle, long srcPoint, int dstHandle, long dstPoint, int flags) {
        call("DRM_IOCTL_SYNCOBJ_TRANSFER", DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER,
                new DrmSyncobjTransfer(srcHandle, dstHandle, srcPoint, dstPoint, flags, 0), b -> null);
    }

    // ------------------------------------------------------------------ DEV_QUERY

    /** DEV_QUERY with a NULL pointer: the kernel's struct size for {@code type}. */
    public int devQuerySize(int type) {
        return call("DRM_IOCTL_PANTHOR_DEV_QUERY", PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY,
                new DrmPanthorDevQuery(type, 0, 0), DrmPanthorDevQuery::decode).size();
    }

    /**
     * DEV_QUERY into a {@code size}-byte buffer that initially holds {@code in} (zero-padded;
     * TIMESTAMP_INFO reads its flags from it); the buffer afterwards.
     */
    public byte[] devQuery(int type, int size, byte[] in) {
        return devQueryPayload(type, size, in);
    }

    private byte[] devQueryPayload(int type, int size, byte[] in) {
        byte[] buf = new byte[size];
        System.arraycopy(in, 0, buf, 0, Math.min(in.length, size));
        long ptr = process.allocBytes(buf);
        try {
            call("DRM_IOCTL_PANTHOR_DEV_QUERY", PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY,
                    new DrmPanthorDevQuery(type, size, ptr), b -> null);
            return process.readBytes(ptr, size);
        } finally {
            process.free(ptr);
        }
    }

    public DrmPanthorGpuInfo gpuInfo() {
        return DrmPanthorGpuInfo.decode(devQueryPayload(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO,
                DrmPanthorGpuInfo.SIZE, new byte[0]));
    }

    public DrmPanthorCsifInfo csifInfo() {
        return DrmPanthorCsifInfo.decode(devQueryPayload(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
                DrmPanthorCsifInfo.SIZE, new byte[0]));
    }

    /** TIMESTAMP_INFO sampling what {@code flags} selects (0: GPU timestamp, offset, frequency). */
    public DrmPanthorTimestampInfo timestampInfo(int flags) {
        byte[] in = DrmPanthorTimestampInfo.ZERO.withFlags(flags).toBytes();
        return DrmPanthorTimestampInfo.decode(devQueryPayload(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
                DrmPanthorTimestampInfo.SIZE, in));
    }

    public DrmPanthorGroupPrioritiesInfo groupPrioritiesInfo() {
        return DrmPanthorGroupPrioritiesInfo.decode(devQueryPayload(
                PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, DrmPanthorGroupPrioritiesInfo.SIZE, new byte[0]));
    }

    // ------------------------------------------------------------------ BOs

    /** BO_CREATE; the result carries the page-aligned size and the handle. */
    public DrmPanthorBoCreate boCreate(long size, int flags, int exclusiveVmId) {
        return call("DRM_IOCTL_PANTHOR_BO_CREATE", PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE,
                new DrmPanthorBoCreate(size, flags, exclusiveVmId, 0, 0), DrmPanthorBoCreate::decode);
    }

    public long boMmapOffset(int handle) {
        return call("DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET", PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET,
                new DrmPanthorBoMmapOffset(handle, 0, 0), DrmPanthorBoMmapOffset::decode).offset();
    }

    /** BO_SET_LABEL; null clears the label. */
    public void boSetLabel(int handle, String label) {
        long ptr = 0;
        if (label != null) {
            byte[] s = label.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[s.length + 1];
            System.arraycopy(s, 0, z, 0, s.length);
            ptr = arenaBytes(z);
        }
        call("DRM_IOCTL_PANTHOR_BO_SET_LABEL", PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL,
                new DrmPanthorBoSetLabel(handle, 0, ptr), b -> null);
    }

    public void setUserMmioOffset(long offset) {
        call("DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET", PanthorIoctls.DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET,
                new DrmPanthorSetUserMmioOffset(offset), b -> null);
    }

    public void boSync(List<DrmPanthorBoSyncOp> ops) {
        call("DRM_IOCTL_PANTHOR_BO_SYNC", PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SYNC,
                new DrmPanthorBoSync(objArray(ops, DrmPanthorBoSyncOp.SIZE)), b -> null);
    }

    public DrmPanthorBoQueryInfo boQueryInfo(int handle) {
        return call("DRM_IOCTL_PANTHOR_BO_QUERY_INFO", PanthorIoctls.DRM_IOCTL_PANTHOR_BO_QUERY_INFO,
                new DrmPanthorBoQueryInfo(handle, 0, 0, 0), DrmPanthorBoQueryInfo::decode);
    }

    /** BO_MMAP_OFFSET then a shared read/write {@code mmap} of {@code size} bytes; the address. */
    public long mmapBo(int handle, long size) {
        long offset = boMmapOffset(handle);
        long addr = process.mmap(fd, offset, size, UserProcess.PROT_READ | UserProcess.PROT_WRITE, UserProcess.MAP_SHARED);
        if (addr < 0) {
            throw new IoctlException("mmap", (int) -addr);
        }
        return addr;
    }

    /** Maps the LATEST_FLUSH_ID page read-only; the address of the register. */
    public long mapFlushId() {
        long addr = process.mmap(fd, PanthorIoctls.DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET, UserProcess.PAGE_SIZE,
                UserProcess.PROT_READ, UserProcess.MAP_SHARED);
        if (addr < 0) {
            throw new IoctlException("mmap", (int) -addr);
        }
        return addr;
    }

    // ------------------------------------------------------------------ VMs, groups, heaps

    public DrmPanthorVmCreate vmCreate(long userVaRange) {
        return call("DRM_IOCTL_PANTHOR_VM_CREATE", PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE,
                new DrmPanthorVmCreate(0, 0, userVaRange), DrmPanthorVmCreate::decode);
    }

    public void vmDestroy(int id) {
        call("DRM_IOCTL_PANTHOR_VM_DESTROY", PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, new DrmPanthorVmDestroy(id, 0), b -> null);
    }

    /** VM_BIND; a failing synchronous bind's {@code ops.count} is lost here, use {@link #ioctlBytes} to see it. */
    public void vmBind(int vmId, int flags, List<DrmPanthorVmBindOp> ops) {
        call("DRM_IOCTL_PANTHOR_VM_BIND", PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND,
                new DrmPanthorVmBind(vmId, flags, objArray(ops, DrmPanthorVmBindOp.SIZE)), b -> null);
    }

    public int vmGetState(int vmId) {
        return call("DRM_IOCTL_PANTHOR_VM_GET_STATE", PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE,
                new DrmPanthorVmGetState(vmId, 0), DrmPanthorVmGetState::decode).state();
    }

    /** GROUP_CREATE with {@code queues} written as the queue array; the group handle. */
    public int groupCreate(DrmPanthorGroupCreate args, List<DrmPanthorQueueCreate> queues) {
        return call("DRM_IOCTL_PANTHOR_GROUP_CREATE", PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE,
                args.withQueues(objArray(queues, DrmPanthorQueueCreate.SIZE)), DrmPanthorGroupCreate::decode).groupHandle();
    }

    public void groupDestroy(int groupHandle) {
        call("DRM_IOCTL_PANTHOR_GROUP_DESTROY", PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_DESTROY,
                new DrmPanthorGroupDestroy(groupHandle, 0), b -> null);
    }

    public void groupSubmit(int groupHandle, List<DrmPanthorQueueSubmit> submits) {
        call("DRM_IOCTL_PANTHOR_GROUP_SUBMIT", PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT,
                new DrmPanthorGroupSubmit(groupHandle, 0, objArray(submits, DrmPanthorQueueSubmit.SIZE)), b -> null);
    }

    public DrmPanthorGroupGetState groupGetState(int groupHandle) {
        return call("DRM_IOCTL_PANTHOR_GROUP_GET_STATE", PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE,
                new DrmPanthorGroupGetState(groupHandle, 0, 0, 0), DrmPanthorGroupGetState::decode);
    }

    public DrmPanthorTilerHeapCreate tilerHeapCreate(DrmPanthorTilerHeapCreate args) {
        return call("DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE", PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, args,
                DrmPanthorTilerHeapCreate::decode);
    }

    public void tilerHeapDestroy(int handle) {
        call("DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY", PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY,
                new DrmPanthorTilerHeapDestroy(handle, 0), b -> null);
    }

    /** Closes the DRM fd. */
    @Override
    public void close() {
        releaseArena();
        process.close(fd);
    }
}
