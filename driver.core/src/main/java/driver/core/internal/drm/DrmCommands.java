package driver.core.internal.drm;

import driver.core.api.DrmClientInfo;
import driver.core.api.DrmDevice;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorGroupPrioritiesInfo;
import driver.core.uapi.DrmPanthorTimestampInfo;
import driver.core.uapi.Errno;
import driver.core.uapi.Ioc;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Capability;
import driver.core.user.Credentials;
import driver.core.user.FileOps;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: The {@code drm:*} shell commands: a user process at the shell.
 *
 * {@code drm:open} makes a simulated process ({@link DrmDevice#newProcess}) with the chosen
 * credentials and opens a DRM node in it; the shell then names that process and its DRM fd by a
 * small client id. Every other command goes through the byte path of that process exactly as a
 * C client would ({@link PanthorClient}, or for {@code drm:ioctl} raw struct bytes written into
 * the process's memory and {@link UserProcess#ioctl}); nothing reaches the driver another way.
 *
 * The component is immediate: the clients live until {@code drm:close} or until the bundle
 * stops (a delayed component would be disposed, and its processes ended, between two
 * commands, since Gogo releases the service after each).
 *
 * An errno is a result, not a failure: it is printed as {@code -22 EINVAL} and the command
 * succeeds. Only bad shell input (unknown client id, unparsable number, unknown request name)
 * fails the command, with an {@link IllegalArgumentException} whose message the shell prints.
 *
 * Gogo cannot map hyphenated command names to Java methods, so {@code bo-create},
 * {@code bo-mmap-offset}, {@code gem-close}, {@code syncobj-create} and {@code syncobj-destroy}
 * are registered as {@link Function} services that call the methods of the same name.
 */
@Component(service = DrmCommands.class, immediate = true, property = {
        "osgi.command.scope=drm",
        "osgi.command.function=open",
        "osgi.command.function=close",
        "osgi.command.function=ps",
        "osgi.command.function=query",
        "osgi.command.function=ioctl",
        "osgi.command.function=requests"})
public final class DrmCommands {

    /** A shell client: the process and its DRM fd. */
    record ShellClient(int id, UserProcess process, PanthorClient client, String node) {
    }

    private final DrmDevice drm;
    private final Map<Integer, ShellClient> clients = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    public DrmCommands(DrmDevice drm) {
        this.drm = drm;
    }

    @Activate
    public DrmCommands(@Reference DrmDevice drm, BundleContext context) {
        this(drm);
        for (Map.Entry<String, Function> e : hyphenated().entrySet()) {
            var props = new java.util.Hashtable<String, Object>();
            props.put("osgi.command.scope", "drm");
            props.put("osgi.command.function", e.getKey());
            registrations.add(context.registerService(Function.class, e.getValue(), props));
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
        registrations.clear();
        for (ShellClient c : clients.values()) {
            c.process().exit();
        }
        clients.clear();
    }

    // ---- processes ---------------------------------------------------------------------------

    @Descriptor("start a simulated process with the given credentials, open the render node in it and print its "
            + "client id (with --master the process holds DRM master and opens the primary node /dev/dri/card0)")
    public String open(
            @Descriptor("process name (comm)") @Parameter(names = {"-c", "--comm"}, absentValue = "gogo") String comm,
            @Descriptor("give the process CAP_SYS_NICE (HIGH/REALTIME group priorities)")
            @Parameter(names = {"-n", "--nice"}, presentValue = "true", absentValue = "false") boolean nice,
            @Descriptor("the process holds the DRM master role; opens /dev/dri/card0 (render nodes are never master)")
            @Parameter(names = {"-m", "--master"}, presentValue = "true", absentValue = "false") boolean master) {
        String name = comm == null || comm.isBlank() ? "gogo" : comm.strip();
        if (name.length() > 15) {
            throw new IllegalArgumentException("drm:open: comm '" + name + "' is longer than 15 characters (TASK_COMM_LEN)");
        }
        Set<Capability> caps = nice ? EnumSet.of(Capability.CAP_SYS_NICE) : Set.of();
        Credentials creds = new Credentials(1000, caps, master);
        String node = master ? DrmDevice.PRIMARY_NODE : DrmDevice.RENDER_NODE;
        UserProcess process = drm.newProcess(name, creds);
        int fd = process.open(node);
        if (fd < 0) {
            process.exit();
            return "open(" + node + ") = " + errno(fd);
        }
        int id = nextId.getAndIncrement();
        clients.put(id, new ShellClient(id, process, new PanthorClient(process, fd), node));
        return String.format("client %d: pid %d comm %s%s opened %s as fd %d", id, process.pid(), name,
                credentialsText(creds), node, fd);
    }

    @Descriptor("close a shell client: the process exits, closing its DRM file and everything it holds")
    public String close(@Descriptor("client id from drm:open") String id) {
        ShellClient c = client("drm:close", id);
        clients.remove(c.id());
        c.process().exit();
        return "client " + c.id() + " closed (pid " + c.process().pid() + " exited)";
    }

    @Descriptor("list the shell's clients: process, credentials, open fds and the objects each DRM file holds")
    public String ps() {
        if (clients.isEmpty()) {
            return "no shell clients (drm:open starts one)";
        }
        List<DrmClientInfo> files = drm.clients();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%3s %6s %-15s %-18s %-20s %5s %5s %12s %8s %4s %6s%n", "ID", "PID", "COMM", "CREDS",
                "NODE", "FD", "BOS", "RESIDENT", "SYNCOBJS", "VMS", "GROUPS"));
        for (ShellClient c : clients.values()) {
            DrmClientInfo f = files.stream().filter(i -> i.pid() == c.process().pid()).findFirst().orElse(null);
            String creds = credentialsText(c.process().credentials()).strip().replace("(", "").replace(")", "");
            sb.append(String.format("%3d %6d %-15s %-18s %-20s %5d %5s %12s %8s %4s %6s%n", c.id(), c.process().pid(),
                    c.process().comm(), creds.isEmpty() ? "user" : creds, c.node(), c.client().fd(),
                    f == null ? "-" : f.gemHandles(), f == null ? "-" : f.residentBytes() / 1024 + " KiB",
                    f == null ? "-" : f.syncobjs(), f == null ? "-" : f.vms(), f == null ? "-" : f.groups()));
            Map<Integer, FileOps> fds = c.process().openFiles();
            if (fds.size() > 1) {
                StringBuilder more = new StringBuilder();
                fds.forEach((fd, ops) -> more.append(' ').append(fd).append('=').append(ops.kind()));
                sb.append("      fds:").append(more).append(System.lineSeparator());
            }
        }
        return sb.toString().stripTrailing();
    }

    // ---- DEV_QUERY ---------------------------------------------------------------------------

    @Descriptor("DEV_QUERY through the byte path: the decoded fields and the exact bytes the kernel wrote")
    public String query(@Descriptor("client id from drm:open") String id,
                        @Descriptor("gpu-info, csif-info, timestamp-info or group-priorities") String what) {
        return query(id, what, "0");
    }

    @Descriptor("DEV_QUERY TIMESTAMP_INFO with drm_panthor_timestamp_info.flags set before the call "
            + "(0 = GPU timestamp, offset and frequency); the decoded fields and the exact bytes")
    public String query(@Descriptor("client id from drm:open") String id,
                        @Descriptor("timestamp-info (the other queries take no input)") String what,
                        @Descriptor("flags: a number, e.g. 0x83 = GPU | CPU_MONOTONIC | DURATION") String flags) {
        ShellClient c = client("drm:query", id);
        int inFlags = (int) number("drm:query", "flags", flags);
        record Query(int type, int size, Class<? extends Record> struct, String cName) {
        }
        Query q = switch (what == null ? "" : what.strip().toLowerCase(Locale.ROOT)) {
            case "gpu-info", "gpu_info" -> new Query(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO, DrmPanthorGpuInfo.SIZE,
                    DrmPanthorGpuInfo.class, "drm_panthor_gpu_info");
            case "csif-info", "csif_info" -> new Query(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
                    DrmPanthorCsifInfo.SIZE, DrmPanthorCsifInfo.class, "drm_panthor_csif_info");
            case "timestamp-info", "timestamp_info" -> new Query(PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
                    DrmPanthorTimestampInfo.SIZE, DrmPanthorTimestampInfo.class, "drm_panthor_timestamp_info");
            case "group-priorities", "group_priorities", "group-priorities-info" -> new Query(
                    PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, DrmPanthorGroupPrioritiesInfo.SIZE,
                    DrmPanthorGroupPrioritiesInfo.class, "drm_panthor_group_priorities_info");
            default -> throw new IllegalArgumentException("drm:query: unknown query '" + what
                    + "' (gpu-info, csif-info, timestamp-info, group-priorities)");
        };
        String head = String.format("DRM_IOCTL_PANTHOR_DEV_QUERY type %d (%s), size %d", q.type(), q.cName(), q.size());
        byte[] bytes;
        try {
            if (inFlags != 0 && q.type() != PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO) {
                throw new IllegalArgumentException("drm:query: only timestamp-info takes flags");
            }
            byte[] in = q.type() == PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO
                    ? DrmPanthorTimestampInfo.ZERO.withFlags(inFlags).toBytes() : new byte[0];
            bytes = c.client().devQuery(q.type(), q.size(), in);
        } catch (IoctlException e) {
            return head + " = " + errno(-e.errno());
        }
        StringBuilder sb = new StringBuilder(head).append(" = 0").append(System.lineSeparator());
        sb.append("struct ").append(q.cName()).append(" (").append(bytes.length).append(" bytes):")
                .append(System.lineSeparator());
        sb.append(UapiDump.fields(q.struct(), bytes));
        sb.append("bytes:").append(System.lineSeparator()).append(UapiDump.hex(bytes));
        return sb.toString().stripTrailing();
    }

    // ---- BOs and syncobjs (registered under hyphenated names) -------------------------------

    @Descriptor("BO_CREATE: a buffer object of size bytes (rounded up to pages); prints the handle")
    public String boCreate(@Descriptor("client id") String id, @Descriptor("size in bytes (4096, 0x1000, 64K, 1M)") String size) {
        return boCreate(id, size, "0");
    }

    @Descriptor("BO_CREATE with flags (number or no-mmap,wb-mmap)")
    public String boCreate(@Descriptor("client id") String id, @Descriptor("size in bytes") String size,
                           @Descriptor("flags: a number or names no-mmap, wb-mmap joined by ','") String flags) {
        ShellClient c = client("drm:bo-create", id);
        long bytes = number("drm:bo-create", "size", size);
        int f = boFlags(flags);
        try {
            DrmPanthorBoCreate r = c.client().boCreate(bytes, f, 0);
            return String.format("BO_CREATE = 0: handle %d, size %d (0x%x)%s", r.handle(), r.size(), r.size(),
                    f == 0 ? "" : String.format(", flags 0x%x", f));
        } catch (IoctlException e) {
            return "BO_CREATE = " + errno(-e.errno());
        }
    }

    @Descriptor("BO_MMAP_OFFSET: the fake offset to mmap a BO at")
    public String boMmapOffset(@Descriptor("client id") String id, @Descriptor("GEM handle") String handle) {
        ShellClient c = client("drm:bo-mmap-offset", id);
        int h = (int) number("drm:bo-mmap-offset", "handle", handle);
        try {
            long off = c.client().boMmapOffset(h);
            return String.format("BO_MMAP_OFFSET = 0: handle %d offset 0x%x", h, off);
        } catch (IoctlException e) {
            return "BO_MMAP_OFFSET = " + errno(-e.errno());
        }
    }

    @Descriptor("GEM_CLOSE: drop a GEM handle")
    public String gemClose(@Descriptor("client id") String id, @Descriptor("GEM handle") String handle) {
        ShellClient c = client("drm:gem-close", id);
        int h = (int) number("drm:gem-close", "handle", handle);
        try {
            c.client().gemClose(h);
            return "GEM_CLOSE = 0: handle " + h + " closed";
        } catch (IoctlException e) {
            return "GEM_CLOSE = " + errno(-e.errno());
        }
    }

    @Descriptor("SYNCOBJ_CREATE: a binary syncobj, optionally already signaled; prints the handle")
    public String syncobjCreate(@Descriptor("client id") String id,
                                @Descriptor("create it signaled") boolean signaled) {
        ShellClient c = client("drm:syncobj-create", id);
        try {
            int h = c.client().syncobjCreate(signaled ? DrmIoctls.DRM_SYNCOBJ_CREATE_SIGNALED : 0);
            return "SYNCOBJ_CREATE = 0: handle " + h + (signaled ? " (signaled)" : "");
        } catch (IoctlException e) {
            return "SYNCOBJ_CREATE = " + errno(-e.errno());
        }
    }

    @Descriptor("SYNCOBJ_DESTROY: drop a syncobj handle")
    public String syncobjDestroy(@Descriptor("client id") String id, @Descriptor("syncobj handle") String handle) {
        ShellClient c = client("drm:syncobj-destroy", id);
        int h = (int) number("drm:syncobj-destroy", "handle", handle);
        try {
            c.client().syncobjDestroy(h);
            return "SYNCOBJ_DESTROY = 0: handle " + h + " destroyed";
        } catch (IoctlException e) {
            return "SYNCOBJ_DESTROY = " + errno(-e.errno());
        }
    }

    // ---- raw ioctl ---------------------------------------------------------------------------

    @Descriptor("raw ioctl: write the struct bytes into the process's memory, call ioctl with the named request and "
            + "print the result with its errno and the struct bytes after the call")
    public String ioctl(@Descriptor("client id") String id,
                        @Descriptor("request: DRM_IOCTL_PANTHOR_BO_CREATE, PANTHOR_BO_CREATE, BO_CREATE, "
                                + "DRM_IOCTL_SYNCOBJ_CREATE, ... or a number like 0xc0186445 (drm:requests lists them)")
                        String request,
                        @Descriptor("the struct's bytes in memory order, hex (e.g. 0010000000000000 00000000...); "
                                + "zero-padded to the request's size") String hexBytes) {
        ShellClient c = client("drm:ioctl", id);
        UapiDump.Request r = UapiDump.request(request);
        if (r == null) {
            throw new IllegalArgumentException("drm:ioctl: unknown request '" + request
                    + "' (drm:requests lists the names; a number like 0xc0186445 works too)");
        }
        byte[] given = UapiDump.parseHex(hexBytes);
        int size = Math.max(given.length, Ioc.size(r.number()));
        byte[] arg = new byte[size];
        System.arraycopy(given, 0, arg, 0, given.length);
        byte[] after = new byte[size];
        int ret = c.client().ioctlBytes(r.number(), arg, after);
        StringBuilder sb = new StringBuilder();
        sb.append(r.name()).append(" [").append(UapiDump.describe(r.number())).append("]").append(System.lineSeparator());
        if (given.length < size) {
            sb.append(String.format("argument: %d bytes given, zero-padded to %d%n", given.length, size));
        }
        sb.append("ioctl(").append(c.client().fd()).append(", ").append(r.name()).append(", arg) = ").append(errno(ret))
                .append(System.lineSeparator());
        sb.append("struct after the call:").append(System.lineSeparator());
        sb.append(r.struct() == null ? UapiDump.hex(after) : UapiDump.fields(r.struct(), after));
        return sb.toString().stripTrailing();
    }

    @Descriptor("the request names drm:ioctl knows, with their numbers")
    public String requests() {
        StringBuilder sb = new StringBuilder();
        for (UapiDump.Request r : UapiDump.requests().values()) {
            sb.append(String.format("%-40s %s%n", r.name(), UapiDump.describe(r.number())));
        }
        return sb.toString().stripTrailing();
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The Function services behind the hyphenated command names. */
    Map<String, Function> hyphenated() {
        Map<String, Function> raw = Map.of(
                "bo-create", (session, args) -> switch (args.size()) {
                    case 2 -> boCreate(str(args, 0), str(args, 1));
                    case 3 -> boCreate(str(args, 0), str(args, 1), str(args, 2));
                    default -> throw usage("drm:bo-create <id> <size> [flags]");
                },
                "bo-mmap-offset", (session, args) -> {
                    requireArgs(args, 2, "drm:bo-mmap-offset <id> <handle>");
                    return boMmapOffset(str(args, 0), str(args, 1));
                },
                "gem-close", (session, args) -> {
                    requireArgs(args, 2, "drm:gem-close <id> <handle>");
                    return gemClose(str(args, 0), str(args, 1));
                },
                "syncobj-create", (session, args) -> {
                    List<String> rest = new ArrayList<>();
                    boolean signaled = false;
                    for (int i = 0; i < args.size(); i++) {
                        String a = str(args, i);
                        if (a.equals("--signaled") || a.equals("-s")) {
                            signaled = true;
                        } else {
                            rest.add(a);
                        }
                    }
                    if (rest.size() != 1) {
                        throw usage("drm:syncobj-create [--signaled] <id>");
                    }
                    return syncobjCreate(rest.get(0), signaled);
                },
                "syncobj-destroy", (session, args) -> {
                    requireArgs(args, 2, "drm:syncobj-destroy <id> <handle>");
                    return syncobjDestroy(str(args, 0), str(args, 1));
                });
        Map<String, Function> withHelp = new java.util.TreeMap<>();
        raw.forEach((name, fn) -> withHelp.put(name, (session, args) ->
                args.size() == 1 && ("--help".equals(str(args, 0)) || "-h".equals(str(args, 0)))
                        ? HELP.get(name) : fn.execute(session, args)));
        return withHelp;
    }

    /** What {@code drm:<name> --help} prints (Gogo's help cannot see Function services). */
    private static final Map<String, String> HELP = Map.of(
            "bo-create", "drm:bo-create <id> <size> [flags] - BO_CREATE: size in bytes (4096, 0x1000, 64K, 1M), "
                    + "rounded up to pages; flags a number or no-mmap,wb-mmap; prints the handle or the errno",
            "bo-mmap-offset", "drm:bo-mmap-offset <id> <handle> - BO_MMAP_OFFSET: the fake offset to mmap the BO at",
            "gem-close", "drm:gem-close <id> <handle> - GEM_CLOSE: drop a GEM handle",
            "syncobj-create", "drm:syncobj-create [--signaled] <id> - SYNCOBJ_CREATE: a binary syncobj; prints the handle",
            "syncobj-destroy", "drm:syncobj-destroy <id> <handle> - SYNCOBJ_DESTROY: drop a syncobj handle");

    private static String str(List<Object> args, int i) {
        Object o = args.get(i);
        return o == null ? "" : o.toString();
    }

    private static void requireArgs(List<Object> args, int n, String usage) {
        if (args.size() != n) {
            throw usage(usage);
        }
    }

    private static IllegalArgumentException usage(String usage) {
        return new IllegalArgumentException("usage: " + usage);
    }

    private ShellClient client(String command, String id) {
        int n;
        try {
            n = Integer.parseInt(id == null ? "" : id.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": '" + id + "' is not a client id (drm:ps lists them)");
        }
        ShellClient c = clients.get(n);
        if (c == null) {
            throw new IllegalArgumentException(command + ": no client " + n + (clients.isEmpty()
                    ? " (drm:open starts one)" : " (open: " + clients.keySet() + ")"));
        }
        return c;
    }

    /** Decimal, 0x hex, or with a K/M/G suffix (binary units). */
    static long number(String command, String what, String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long v = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(command + ": " + what + " '" + text + "' is not a number "
                    + "(decimal, 0x hex, or with K/M/G)");
        }
    }

    static int boFlags(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return 0;
        }
        if (Character.isDigit(s.charAt(0))) {
            return (int) number("drm:bo-create", "flags", s);
        }
        int flags = 0;
        for (String name : s.split(",")) {
            flags |= switch (name.strip()) {
                case "no-mmap", "no_mmap" -> PanthorIoctls.DRM_PANTHOR_BO_NO_MMAP;
                case "wb-mmap", "wb_mmap" -> PanthorIoctls.DRM_PANTHOR_BO_WB_MMAP;
                default -> throw new IllegalArgumentException("drm:bo-create: unknown flag '" + name
                        + "' (no-mmap, wb-mmap, or a number)");
            };
        }
        return flags;
    }

    /** {@code 0}, a non-negative result, or {@code -22 EINVAL}. */
    static String errno(long ret) {
        return ret >= 0 ? Long.toString(ret) : ret + " " + Errno.name((int) -ret);
    }

    private static String credentialsText(Credentials c) {
        StringBuilder sb = new StringBuilder();
        if (c.capable(Capability.CAP_SYS_NICE)) {
            sb.append(" CAP_SYS_NICE");
        }
        if (c.drmMaster()) {
            sb.append(" master");
        }
        return sb.length() == 0 ? "" : " (" + sb.toString().strip() + ")";
    }

    /** The clients, for tests. */
    Map<Integer, ShellClient> clients() {
        return clients;
    }
}
