package driver.core.internal.sysfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.Sysfs;
import driver.core.api.SysfsAttribute;
import driver.core.api.SysfsEntry;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SysfsTreeTest {

    private final SysfsTree sysfs = new SysfsTree();
    private final AtomicReference<String> value = new AtomicReference<>("1\n");

    SysfsTreeTest() {
        SysfsComponent.createSkeleton(sysfs);
        sysfs.createDirectory("/sys/devices/platform/gpu/power");
        sysfs.createAttribute("/sys/devices/platform/gpu/power", "rw", SysfsAttribute.readWrite(value::get, v -> {
            if (!SysfsAttribute.stripNewline(v).matches("[0-9]+")) {
                throw new ErrnoException(Errno.EINVAL);
            }
            value.set(SysfsAttribute.stripNewline(v) + "\n");
        }));
        sysfs.createAttribute("/sys/devices/platform/gpu/power", "ro", SysfsAttribute.readOnly(() -> "ro\n"));
        sysfs.createAttribute("/sys/devices/platform/gpu", "wo", new SysfsAttribute() {
            @Override public int mode() { return MODE_WO; }
            @Override public String show() { return "secret\n"; }
            @Override public void store(String v) { value.set("wo:" + v); }
        });
        sysfs.createLink("/sys/class/gpu0", "/sys/devices/platform/gpu");
    }

    private static void assertErrno(int errno, Executable call) {
        ErrnoException e = assertThrows(ErrnoException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
    }

    @Test
    void readWriteAndRelativePaths() {
        assertEquals("1\n", sysfs.read("/sys/devices/platform/gpu/power/rw"));
        sysfs.write("devices/platform/gpu/power/rw", "42\n");
        assertEquals("42\n", sysfs.read("//sys/devices//platform/gpu/power/rw/"));
        assertEquals("ro\n", sysfs.read("/sys/class/gpu0/power/ro"), "links are followed");
    }

    @Test
    void errnoCases() {
        assertErrno(Errno.ENOENT, () -> sysfs.read("/sys/devices/nope"));
        assertErrno(Errno.ENOENT, () -> sysfs.list("/sys/nope"));
        assertErrno(SysfsTree.ENOTDIR, () -> sysfs.list("/sys/devices/platform/gpu/power/rw"));
        assertErrno(SysfsTree.ENOTDIR, () -> sysfs.read("/sys/devices/platform/gpu/power/rw/x"));
        assertErrno(SysfsTree.EISDIR, () -> sysfs.read("/sys/devices"));
        assertErrno(SysfsTree.EISDIR, () -> sysfs.write("/sys/devices/platform/gpu", "1"));
        assertErrno(Errno.EACCES, () -> sysfs.write("/sys/devices/platform/gpu/power/ro", "1"));
        assertErrno(Errno.EACCES, () -> sysfs.read("/sys/devices/platform/gpu/wo"));
        assertErrno(Errno.EINVAL, () -> sysfs.write("/sys/devices/platform/gpu/power/rw", "x"));
        assertEquals("1\n", value.get(), "a rejected write changes nothing");
        assertErrno(Errno.EEXIST, () -> sysfs.createDirectory("/sys/devices/platform/gpu"));
        assertErrno(Errno.EEXIST, () -> sysfs.createAttribute("/sys/devices/platform/gpu/power", "rw",
                SysfsAttribute.readOnly(() -> "")));
        assertErrno(Errno.ENOENT, () -> sysfs.createAttribute("/sys/nope", "a", SysfsAttribute.readOnly(() -> "")));
        sysfs.createLink("/sys/class/dangling", "/sys/nowhere");
        assertErrno(Errno.ENOENT, () -> sysfs.list("/sys/class/dangling"));
        sysfs.createLink("/sys/class/loop", "/sys/class/loop");
        assertErrno(SysfsTree.ELOOP, () -> sysfs.read("/sys/class/loop"));
        sysfs.write("/sys/devices/platform/gpu/wo", "x");
        assertEquals("wo:x", value.get());
    }

    @Test
    void listShowsKindsModesAndTargets() {
        List<SysfsEntry> entries = sysfs.list("/sys/devices/platform/gpu/power");
        assertEquals(List.of(new SysfsEntry("ro", SysfsEntry.Kind.ATTRIBUTE, 0444, null),
                new SysfsEntry("rw", SysfsEntry.Kind.ATTRIBUTE, 0644, null)), entries);
        assertTrue(sysfs.list("/sys/class").contains(
                new SysfsEntry("gpu0", SysfsEntry.Kind.LINK, 0777, "/sys/devices/platform/gpu")));
        assertEquals(List.of("bus", "class", "devices"), sysfs.list("/").get(0).name().equals("sys")
                ? sysfs.list(Sysfs.ROOT).stream().map(SysfsEntry::name).toList() : List.of());
    }

    @Test
    void closingARegistrationRemovesTheSubtree() {
        Sysfs.Registration dir = sysfs.createDirectory("/sys/class/devfreq/gpu");
        sysfs.createAttribute("/sys/class/devfreq/gpu", "cur_freq", SysfsAttribute.readOnly(() -> "1000000000\n"));
        assertTrue(sysfs.exists("/sys/class/devfreq/gpu/cur_freq"));
        assertEquals("/sys/class/devfreq/gpu", dir.path());
        dir.close();
        assertFalse(sysfs.exists("/sys/class/devfreq/gpu/cur_freq"));
        assertFalse(sysfs.exists("/sys/class/devfreq/gpu"));
        assertTrue(sysfs.exists("/sys/class/devfreq"), "created parents stay");
        dir.close();
    }

    @Test
    void shellCommandsPrintAndReportStrerror() {
        SysfsCommands sh = new SysfsCommands(sysfs);
        assertEquals("1", sh.cat("devices/platform/gpu/power/rw"));
        sh.write("/sys/devices/platform/gpu/power/rw", "7");
        assertEquals("7", sh.cat("/sys/devices/platform/gpu/power/rw"));
        String ls = sh.ls("/sys/devices/platform/gpu");
        assertTrue(ls.contains("drwxr-xr-x  power/"), ls);
        assertTrue(ls.contains("--w-------  wo"), ls);
        assertTrue(sh.ls("/sys/class").contains("lrwxrwxrwx  gpu0 -> /sys/devices/platform/gpu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sh.cat("/sys/x"));
        assertEquals("sysfs: /sys/x: No such file or directory", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sh.write("devices/platform/gpu/power/ro", "1"));
        assertEquals("sysfs: /sys/devices/platform/gpu/power/ro: Permission denied", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sh.write("devices/platform/gpu/power/rw", "z"));
        assertEquals("sysfs: /sys/devices/platform/gpu/power/rw: Invalid argument", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sh.cat("/sys/devices"));
        assertEquals("sysfs: /sys/devices: Is a directory", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sh.ls("/sys/devices/platform/gpu/power/rw"));
        assertEquals("sysfs: /sys/devices/platform/gpu/power/rw: Not a directory", e.getMessage());
    }
}
