package driver.core.internal.sysfs;

import driver.core.api.Sysfs;
import driver.core.api.SysfsEntry;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code sysfs:*} shell commands: {@code ls}, {@code cat}, {@code write}. A failing call
 * is an IllegalArgumentException reading {@code sysfs: <path>: <strerror>}, like the message
 * a shell prints for a failed {@code cat} or {@code echo >}.
 */
@Component(service = SysfsCommands.class, property = {
        "osgi.command.scope=sysfs",
        "osgi.command.function=ls",
        "osgi.command.function=cat",
        "osgi.command.function=write"})
public final class SysfsCommands {

    private static final Map<Integer, String> STRERROR = Map.of(
            Errno.ENOENT, "No such file or directory",
            SysfsTree.ENOTDIR, "Not a directory",
            SysfsTree.EISDIR, "Is a directory",
            Errno.EACCES, "Permission denied",
            Errno.EINVAL, "Invalid argument",
            Errno.EIO, "Input/output error",
            Errno.EBUSY, "Device or resource busy",
            Errno.EEXIST, "File exists",
            Errno.ENODEV, "No such device",
            SysfsTree.ELOOP, "Too many levels of symbolic links");

    private final Sysfs sysfs;

    @Activate
    public SysfsCommands(@Reference Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    @Descriptor("list the sysfs root")
    public String ls() {
        return ls(Sysfs.ROOT);
    }

    @Descriptor("list a sysfs directory: mode, kind and name (links with their target)")
    public String ls(@Descriptor("directory, absolute or relative to /sys") String path) {
        List<SysfsEntry> entries = call(path, () -> sysfs.list(path));
        StringBuilder sb = new StringBuilder();
        for (SysfsEntry e : entries) {
            switch (e.kind()) {
                case DIRECTORY -> sb.append(String.format("d%s  %s/%n", perms(e.mode()), e.name()));
                case LINK -> sb.append(String.format("l%s  %s -> %s%n", perms(e.mode()), e.name(), e.target()));
                default -> sb.append(String.format("-%s  %s%n", perms(e.mode()), e.name()));
            }
        }
        if (sb.length() > 0) {
            sb.setLength(sb.length() - System.lineSeparator().length());
        }
        return sb.toString();
    }

    @Descriptor("print a sysfs attribute")
    public String cat(@Descriptor("attribute, absolute or relative to /sys") String path) {
        String value = call(path, () -> sysfs.read(path));
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    @Descriptor("write a value to a sysfs attribute (as echo value > path)")
    public String write(@Descriptor("attribute, absolute or relative to /sys") String path,
                        @Descriptor("the value; a newline is appended as echo does") String value) {
        call(path, () -> {
            sysfs.write(path, value + "\n");
            return null;
        });
        return "";
    }

    /** {@code strerror()} for the errnos sysfs returns. */
    public static String strerror(int errno) {
        String s = STRERROR.get(Math.abs(errno));
        return s != null ? s : "Unknown error " + Math.abs(errno);
    }

    private interface Op<T> {
        T run();
    }

    private static <T> T call(String path, Op<T> op) {
        try {
            return op.run();
        } catch (ErrnoException e) {
            throw new IllegalArgumentException("sysfs: " + SysfsTree.normalize(path) + ": " + strerror(e.errno()), e);
        }
    }

    private static String perms(int mode) {
        StringBuilder sb = new StringBuilder(9);
        String rwx = "rwx";
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >>> shift) & 7;
            for (int b = 0; b < 3; b++) {
                sb.append((bits & (4 >> b)) != 0 ? rwx.charAt(b) : '-');
            }
        }
        return sb.toString();
    }
}
