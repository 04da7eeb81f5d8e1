package driver.core.user;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.Le;
import driver.core.uapi.UapiStruct;
import hw.model.api.PhysicalMemory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DOC: Simulated user processes.
 *
 * A process has a 64-bit virtual address space of 4 KiB pages, an fd table, and
 * {@link Credentials}. It makes the system calls a GPU client makes, with the Linux calling
 * convention of the raw syscall: a non-negative result, or {@code -errno} (libdrm's
 * {@code drmIoctl()} would turn that into -1 and {@code errno}; here the negative errno is
 * returned directly). No Java exception escapes a system call.
 *
 * Memory: {@link #alloc} is malloc-like and places every block so that it ends exactly at a
 * page boundary followed by an unmapped guard page, so overruns fault ("electric fence").
 * Unmapped addresses (including 0) fault: the process's own accessors throw
 * {@link SegmentationFault}; the kernel's {@link UserMemory} copies report EFAULT.
 * {@link #mmap} installs the pages a file hands out: BO pages alias the model's physical
 * memory (CPU writes are GPU-visible and vice versa), the flush-id page reads device
 * registers.
 *
 * Files: fds are allocated lowest-free from 3 (0..2 stand for stdio and are not open here),
 * at most {@link #RLIMIT_NOFILE}. One open file may be referred to by several fds and by
 * mappings, in several processes ({@link #dup}, {@link #sendFd} — the SCM_RIGHTS transfer of a
 * Unix socket); the driver's {@link FileOps#release()} runs when the last one goes.
 * {@link #exit()} closes every fd and mapping.
 *
 * Simplifications: {@code munmap} must cover whole mappings; mappings are placed by the
 * process (no MAP_FIXED); 32-bit (compat) processes are not modelled.
 */
public final class UserProcess implements UserMemory, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UserProcess.class.getName());

    public static final int PAGE_SIZE = 4096;
    public static final int RLIMIT_NOFILE = 1024;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;

    private static final long HEAP_BASE = 0x5555_0000_0000L;
    private static final long MMAP_BASE = 0x7f00_0000_0000L;
    private static final long TASK_SIZE = 1L << 48;

    /** An open file and the number of fds and mappings referring to it. */
    private static final class FileRef {
        final FileOps ops;
        final AtomicInteger count = new AtomicInteger(1);

        FileRef(FileOps ops) {
            this.ops = ops;
        }

        FileRef get() {
            count.incrementAndGet();
            return this;
        }

        void put() {
            if (count.decrementAndGet() == 0) {
                try {
                    ops.release();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "release of " + ops.kind() + " file failed", e);
                }
            }
        }
    }

    private interface Page {
        boolean readable();

        boolean writable();

        void read(int off, byte[] dst, int dOff, int len);

        void write(int off, byte[] src, int sOff, int len);
    }

    private record AnonPage(byte[] data) implements Page {
        public boolean readable() { return true; }
        public boolean writable() { return true; }
        public void read(int off, byte[] dst, int dOff, int len) { System.arraycopy(data, off, dst, dOff, len); }
        public void write(int off, byte[] src, int sOff, int len) { System.arraycopy(src, sOff, data, off, len); }
    }

    private record PhysPage(PhysicalMemory memory, long pa, boolean readable, boolean writable) implements Page {
        public void read(int off, byte[] dst, int dOff, int len) { memory.read(pa + off, dst, dOff, len); }
        public void write(int off, byte[] src, int sOff, int len) { memory.write(pa + off, src, sOff, len); }
    }

    private record RegisterPage(IntUnaryOperator read32, boolean readable) implements Page {
        public boolean writable() { return false; }

        public void read(int off, byte[] dst, int dOff, int len) {
            for (int i = 0; i < len; i++) {
                int at = off + i;
                int word = read32.applyAsInt(at & ~3);
                dst[dOff + i] = (byte) (word >>> (8 * (at & 3)));
            }
        }

        public void write(int off, byte[] src, int sOff, int len) {
            throw new IllegalStateException("read-only page");
        }
    }

    private record Vma(long start, int pages, Mapping mapping, FileRef file) {
    }

    private final int pid;
    private final String comm;
    private final Credentials credentials;
    private final Map<String, DeviceNode> devices;
    private final ConcurrentHashMap<Long, Page> pageTable = new ConcurrentHashMap<>();
    private final TreeMap<Long, long[]> allocations = new TreeMap<>();
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private final TreeMap<Integer, FileRef> fds = new TreeMap<>();
    private long heapCursor = HEAP_BASE;
    private long mmapCursor = MMAP_BASE;
    private boolean exited;

    /**
     * @param devices the simulated {@code /dev}: path to node
     */
    public UserProcess(int pid, String comm, Credentials credentials, Map<String, DeviceNode> devices) {
        this.pid = pid;
        this.comm = comm;
        this.credentials = credentials;
        this.devices = Map.copyOf(devices);
    }

    public int pid() {
        return pid;
    }

    public String comm() {
        return comm;
    }

    public Credentials credentials() {
        return credentials;
    }

    public boolean capable(Capability capability) {
        return credentials.capable(capability);
    }

    // ------------------------------------------------------------------ memory

    /**
     * Allocates {@code size} bytes of zeroed anonymous memory ending exactly at a page
     * boundary followed by an unmapped guard page; the address of the first byte.
     */
    public synchronized long alloc(long size) {
        if (size < 0 || size > (1L << 34)) {
            throw new IllegalArgumentException("alloc size out of range: " + size);
        }
        checkAlive();
        int pages = (int) Math.max(1, (size + PAGE_SIZE - 1) / PAGE_SIZE);
        long base = heapCursor;
        heapCursor += (long) (pages + 1) * PAGE_SIZE;
        long[] vpns = new long[pages];
        for (int i = 0; i < pages; i++) {
            long vpn = (base >>> 12) + i;
            vpns[i] = vpn;
            pageTable.put(vpn, new AnonPage(new byte[PAGE_SIZE]));
        }
        long addr = base + (long) pages * PAGE_SIZE - size;
        allocations.put(addr, vpns);
        return addr;
    }

    /** Frees a block returned by {@link #alloc}; its pages become unmapped. */
    public synchronized void free(long addr) {
        long[] vpns = allocations.remove(addr);
        if (vpns == null) {
            throw new IllegalArgumentException(String.format("free of 0x%x: not an allocation", addr));
        }
        for (long vpn : vpns) {
            pageTable.remove(vpn);
        }
    }

    /** Allocates a copy of {@code data}. */
    public long allocBytes(byte[] data) {
        long addr = alloc(data.length);
        write(addr, data, 0, data.length);
        return addr;
    }

    /** Allocates a NUL-terminated UTF-8 copy of {@code s}. */
    public long allocCString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return allocBytes(z);
    }

    /** Allocates the bytes of {@code struct}. */
    public long allocStruct(UapiStruct struct) {
        return allocBytes(struct.toBytes());
    }

    public void read(long addr, byte[] dst, int off, int len) {
        if (!access(addr, dst, off, len, false)) {
            throw new SegmentationFault(firstFault(addr, len, false), false);
        }
    }

    public void write(long addr, byte[] src, int off, int len) {
        if (!access(addr, src, off, len, true)) {
            throw new SegmentationFault(firstFault(addr, len, true), true);
        }
    }

    public byte[] readBytes(long addr, int len) {
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        return b;
    }

    public void writeBytes(long addr, byte[] data) {
        write(addr, data, 0, data.length);
    }

    public int read8(long addr) {
        return readBytes(addr, 1)[0] & 0xff;
    }

    public int read32(long addr) {
        return Le.u32(readBytes(addr, 4), 0);
    }

    public long read64(long addr) {
        return Le.u64(readBytes(addr, 8), 0);
    }

    public void write8(long addr, int value) {
        write(addr, new byte[] {(byte) value}, 0, 1);
    }

    public void write32(long addr, int value) {
        byte[] b = new byte[4];
        Le.put32(b, 0, value);
        write(addr, b, 0, 4);
    }

    public void write64(long addr, long value) {
        byte[] b = new byte[8];
        Le.put64(b, 0, value);
        write(addr, b, 0, 8);
    }

    /** Writes {@code struct}'s bytes at {@code addr}. */
    public void writeStruct(long addr, UapiStruct struct) {
        writeBytes(addr, struct.toBytes());
    }

    /** Reads a NUL-terminated UTF-8 string of at most {@code max} bytes. */
    public String readCString(long addr, int max) {
        byte[] buf = new byte[max];
        int n = 0;
        while (n < max) {
            byte b = readBytes(addr + n, 1)[0];
            if (b == 0) {
                break;
            }
            buf[n++] = b;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** Whether {@code addr} is mapped (readable). */
    public boolean isMapped(long addr) {
        Page p = pageTable.get(addr >>> 12);
        return p != null && p.readable();
    }

    @Override
    public boolean copyFromUser(long uaddr, byte[] dst, int off, int len) {
        return access(uaddr, dst, off, len, false);
    }

    @Override
    public boolean copyToUser(long uaddr, byte[] src, int off, int len) {
        return access(uaddr, src, off, len, true);
    }

    @Override
    public boolean clearUser(long uaddr, long len) {
        byte[] zeros = new byte[(int) Math.min(len, PAGE_SIZE)];
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, zeros.length);
            if (!access(uaddr + done, zeros, 0, n, true)) {
                return false;
            }
            done += n;
        }
        return true;
    }

    @Override
    public long strnlenUser(long uaddr, long n) {
        if (n <= 0) {
            return 0;
        }
        byte[] one = new byte[1];
        for (long i = 0; i < n; i++) {
            if (!access(uaddr + i, one, 0, 1, false)) {
                return 0;
            }
            if (one[0] == 0) {
                return i + 1;
            }
        }
        return n + 1;
    }

    private boolean access(long addr, byte[] buf, int off, int len, boolean write) {
        if (len == 0) {
            return true;
        }
        if (addr < 0 || addr >= TASK_SIZE || len < 0 || addr + len > TASK_SIZE) {
            return false;
        }
        long a = addr;
        int done = 0;
        while (done < len) {
            Page page = pageTable.get(a >>> 12);
            if (page == null || !(write ? page.writable() : page.readable())) {
                return false;
            }
            int pageOff = (int) (a & (PAGE_SIZE - 1));
            int n = Math.min(len - done, PAGE_SIZE - pageOff);
            if (write) {
                page.write(pageOff, buf, off + done, n);
            } else {
                page.read(pageOff, buf, off + done, n);
            }
            done += n;
            a += n;
        }
        return true;
    }

    private long firstFault(long addr, int len, boolean write) {
        for (long a = addr; a < addr + Math.max(1, len); a = (a | (PAGE_SIZE - 1)) + 1) {
            Page page = a >= 0 && a < TASK_SIZE ? pageTable.get(a >>> 12) : null;
            if (page == null || !(write ? page.writable() : page.readable())) {
                return a;
            }
        }
        return addr;
    }

    // ------------------------------------------------------------------ files

    /** {@code open(path, flags)}: an fd, or {@code -errno} (ENOENT for an unknown path). */
    public int open(String path, int flags) {
        DeviceNode node = devices.get(path);
        if (node == null) {
            return -Errno.ENOENT;
        }
        synchronized (this) {
            if (exited) {
                return -Errno.ESRCH;
            }
            if (fds.size() >= RLIMIT_NOFILE) {
                return -Errno.EMFILE;
            }
        }
        FileOps ops;
        try {
            ops = node.open(this, flags);
        } catch (ErrnoException e) {
            return -e.errno();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "open(" + path + ") failed in the kernel", e);
            return -Errno.EIO;
        }
        int fd = fdInstall(ops);
        if (fd < 0) {
            ops.release();
        }
        return fd;
    }

    public int open(String path) {
        return open(path, O_RDWR | O_CLOEXEC);
    }

    /** {@code close(fd)}: 0 or {@code -EBADF}. */
    public int close(int fd) {
        FileRef ref;
        synchronized (this) {
            ref = fds.remove(fd);
        }
        if (ref == null) {
            return -Errno.EBADF;
        }
        ref.put();
        return 0;
    }

    /** {@code ioctl(fd, request, arg)}: the driver's result, or {@code -errno}. */
    public int ioctl(int fd, int request, long arg) {
        FileRef ref;
        synchronized (this) {
            ref = fds.get(fd);
            if (ref == null) {
                return -Errno.EBADF;
            }
            ref.get();
        }
        try {
            return ref.ops.ioctl(this, request, arg);
        } catch (ErrnoException e) {
            return -e.errno();
        } catch (OutOfMemoryError e) {
            return -Errno.ENOMEM;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, String.format("kernel bug in ioctl 0x%08x on %s", request, ref.ops.kind()), e);
            return -Errno.EIO;
        } finally {
            ref.put();
        }
    }

    /** {@code dup(fd)}: a new fd referring to the same open file, or {@code -errno}. */
    public int dup(int fd) {
        synchronized (this) {
            FileRef ref = fds.get(fd);
            if (ref == null) {
                return -Errno.EBADF;
            }
            return install(ref.get());
        }
    }

    /**
     * Passes {@code fd} to {@code target} as {@code sendmsg(SCM_RIGHTS)} over a Unix socket and
     * the receiver's {@code recvmsg} would: the open file gets a new fd in {@code target}.
     *
     * @return the fd in {@code target}, or {@code -errno}
     */
    public int sendFd(int fd, UserProcess target) {
        FileRef ref;
        synchronized (this) {
            ref = fds.get(fd);
            if (ref == null) {
                return -Errno.EBADF;
            }
            ref.get();
        }
        int installed;
        synchronized (target) {
            installed = target.install(ref);
        }
        if (installed < 0) {
            ref.put();
        }
        return installed;
    }

    /** Kernel side: the file behind {@code fd} ({@code fdget}), or null. */
    public synchronized FileOps fget(int fd) {
        FileRef ref = fds.get(fd);
        return ref == null ? null : ref.ops;
    }

    /** Kernel side: installs a new open file ({@code get_unused_fd} + {@code fd_install}); the fd or {@code -EMFILE}. */
    public synchronized int fdInstall(FileOps ops) {
        return install(new FileRef(ops));
    }

    private int install(FileRef ref) {
        if (exited) {
            return -Errno.ESRCH;
        }
        if (fds.size() >= RLIMIT_NOFILE) {
            return -Errno.EMFILE;
        }
        int fd = 3;
        for (int used : fds.keySet()) {
            if (used > fd) {
                break;
            }
            if (used == fd) {
                fd++;
            }
        }
        fds.put(fd, ref);
        return fd;
    }

    /** The open fds and the kind of file each refers to, for listings. */
    public synchronized Map<Integer, FileOps> openFiles() {
        Map<Integer, FileOps> m = new TreeMap<>();
        fds.forEach((fd, ref) -> m.put(fd, ref.ops));
        return Collections.unmodifiableMap(m);
    }

    // ------------------------------------------------------------------ mappings

    /**
     * {@code mmap(NULL, length, prot, flags, fd, offset)}: the address of the new mapping, or
     * {@code -errno} (EINVAL for a zero length, a misaligned offset or bad flags; EBADF).
     */
    public long mmap(int fd, long offset, long length, int prot, int flags) {
        if (length <= 0 || (offset & (PAGE_SIZE - 1)) != 0 || length > TASK_SIZE) {
            return -Errno.EINVAL;
        }
        int type = flags & (MAP_SHARED | MAP_PRIVATE);
        if (type != MAP_SHARED && type != MAP_PRIVATE) {
            return -Errno.EINVAL;
        }
        long pageLength = (length + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1);
        FileRef ref;
        synchronized (this) {
            ref = fds.get(fd);
            if (ref == null) {
                return -Errno.EBADF;
            }
            ref.get();
        }
        Mapping mapping;
        try {
            mapping = ref.ops.mmap(this, offset, pageLength, prot, flags);
        } catch (ErrnoException e) {
            ref.put();
            return -e.errno();
        } catch (RuntimeException e) {
            ref.put();
            LOG.log(Level.SEVERE, "kernel bug in mmap of " + ref.ops.kind(), e);
            return -Errno.EIO;
        }
        int pages = (int) (pageLength / PAGE_SIZE);
        if (mapping.pageCount() != pages) {
            mapping.unmap();
            ref.put();
            LOG.severe("driver mapped " + mapping.pageCount() + " pages for a " + pages + "-page mmap");
            return -Errno.EIO;
        }
        boolean readable = (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) != 0;
        boolean writable = (prot & PROT_WRITE) != 0;
        synchronized (this) {
            if (exited) {
                mapping.unmap();
                ref.put();
                return -Errno.ESRCH;
            }
            long start = mmapCursor;
            mmapCursor += (long) (pages + 1) * PAGE_SIZE;
            for (int i = 0; i < pages; i++) {
                long vpn = (start >>> 12) + i;
                Page page;
                if (mapping instanceof Mapping.PhysicalPages pp) {
                    page = new PhysPage(pp.memory(), pp.pages()[i], readable, writable && pp.writable());
                } else {
                    Mapping.IoPage io = (Mapping.IoPage) mapping;
                    page = new RegisterPage(io.read32(), readable);
                }
                pageTable.put(vpn, page);
            }
            vmas.put(start, new Vma(start, pages, mapping, ref));
            return start;
        }
    }

    /** {@code mmap} with {@link #MAP_SHARED}. */
    public long mmap(int fd, long offset, long length, int prot) {
        return mmap(fd, offset, length, prot, MAP_SHARED);
    }

    /**
     * {@code munmap(addr, length)}: 0, or {@code -EINVAL} if the range does not consist of
     * whole mappings made by {@link #mmap} (partial unmapping is not modelled).
     */
    public int munmap(long addr, long length) {
        if ((addr & (PAGE_SIZE - 1)) != 0 || length <= 0) {
            return -Errno.EINVAL;
        }
        long end = addr + ((length + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1));
        List<Vma> victims = new ArrayList<>();
        synchronized (this) {
            Map.Entry<Long, Vma> before = vmas.lowerEntry(addr);
            if (before != null && before.getKey() + (long) before.getValue().pages * PAGE_SIZE > addr) {
                return -Errno.EINVAL;
            }
            for (Vma vma : vmas.subMap(addr, end).values()) {
                if (vma.start + (long) vma.pages * PAGE_SIZE > end) {
                    return -Errno.EINVAL;
                }
                victims.add(vma);
            }
            for (Vma vma : victims) {
                removeVma(vma);
            }
        }
        for (Vma vma : victims) {
            vma.mapping.unmap();
            vma.file.put();
        }
        return 0;
    }

    private void removeVma(Vma vma) {
        vmas.remove(vma.start);
        for (int i = 0; i < vma.pages; i++) {
            pageTable.remove((vma.start >>> 12) + i);
        }
    }

    /** Number of live mappings made by {@link #mmap}. */
    public synchronized int mappingCount() {
        return vmas.size();
    }

    // ------------------------------------------------------------------ lifetime

    /** Process exit: closes every fd and mapping and frees the memory. Idempotent. */
    public void exit() {
        List<FileRef> files;
        List<Vma> maps;
        synchronized (this) {
            if (exited) {
                return;
            }
            exited = true;
            files = new ArrayList<>(fds.values());
            fds.clear();
            maps = new ArrayList<>(vmas.values());
            for (Vma vma : maps) {
                removeVma(vma);
            }
            allocations.clear();
            pageTable.clear();
        }
        for (Vma vma : maps) {
            vma.mapping.unmap();
            vma.file.put();
        }
        for (FileRef ref : files) {
            ref.put();
        }
    }

    public synchronized boolean hasExited() {
        return exited;
    }

    @Override
    public void close() {
        exit();
    }

    private void checkAlive() {
        if (exited) {
            throw new IllegalStateException("process " + pid + " has exited");
        }
    }

    @Override
    public String toString() {
        return comm + "[" + pid + "]";
    }
}
