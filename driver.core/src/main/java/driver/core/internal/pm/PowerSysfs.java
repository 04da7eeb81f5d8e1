package driver.core.internal.pm;

import driver.core.api.Sysfs;
import driver.core.api.SysfsAttribute;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/**
 * DOC: The device's sysfs entries.
 *
 * Created when the device registers ({@code drm_dev_register()} time):
 *
 * <pre>
 *   /sys/devices/platform/fb000000.gpu/
 *       driver -&gt; /sys/bus/platform/drivers/panthor
 *       drm/card0/device, drm/renderD128/device -&gt; the device
 *       power/control                 "auto" | "on"        (0644, EINVAL otherwise)
 *       power/runtime_status          active | suspending | suspended | resuming | error
 *       power/autosuspend_delay_ms    integer ms (0644; EINVAL unless kstrtol accepts it,
 *                                      EIO while autosuspend is not in use)
 *       power/runtime_active_time     ms spent active (transitions included)
 *       power/runtime_suspended_time  ms spent suspended
 *   /sys/class/drm/card0, /sys/class/drm/renderD128 -&gt; the device's drm/ entries
 *   /sys/bus/platform/devices/fb000000.gpu -&gt; the device
 * </pre>
 *
 * The semantics are those of {@code drivers/base/power/sysfs.c}: writing "on" to control
 * resumes the device and keeps it resumed, "auto" lets it autosuspend again; a negative
 * autosuspend delay keeps it resumed too.
 */
public final class PowerSysfs {

    private final RuntimePm pm;
    private final PanthorDeviceCore device;
    private final List<Sysfs.Registration> registrations = new ArrayList<>();

    public PowerSysfs(RuntimePm pm, PanthorDeviceCore device) {
        this.pm = pm;
        this.device = device;
    }

    /** Creates the entries; an entry that already exists is an error of the caller (EEXIST). */
    public synchronized void register(Sysfs sysfs) {
        String dev = Sysfs.DEVICE_PATH;
        String power = dev + "/power";
        add(sysfs.createDirectory(dev));
        add(sysfs.createDirectory(power));
        add(sysfs.createAttribute(power, "control", SysfsAttribute.readWrite(this::showControl, this::storeControl)));
        add(sysfs.createAttribute(power, "runtime_status", SysfsAttribute.readOnly(() -> pm.statusName() + "\n")));
        add(sysfs.createAttribute(power, "autosuspend_delay_ms",
                SysfsAttribute.readWrite(this::showAutosuspendDelay, this::storeAutosuspendDelay)));
        add(sysfs.createAttribute(power, "runtime_active_time",
                SysfsAttribute.readOnly(() -> pm.activeTimeMs() + "\n")));
        add(sysfs.createAttribute(power, "runtime_suspended_time",
                SysfsAttribute.readOnly(() -> pm.suspendedTimeMs() + "\n")));
        ensureDirectory(sysfs, "/sys/bus/platform/drivers/panthor");
        add(sysfs.createLink(dev + "/driver", "/sys/bus/platform/drivers/panthor"));
        for (String minor : new String[] {"card0", "renderD128"}) {
            String dir = dev + "/drm/" + minor;
            add(sysfs.createDirectory(dir));
            add(sysfs.createLink(dir + "/device", dev));
            ensureDirectory(sysfs, "/sys/class/drm");
            add(sysfs.createLink("/sys/class/drm/" + minor, dir));
        }
        ensureDirectory(sysfs, "/sys/bus/platform/devices");
        add(sysfs.createLink("/sys/bus/platform/devices/fb000000.gpu", dev));
    }

    /** Removes every entry {@link #register} created. */
    public synchronized void unregister() {
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).close();
        }
        registrations.clear();
    }

    private void add(Sysfs.Registration r) {
        registrations.add(r);
    }

    private void ensureDirectory(Sysfs sysfs, String path) {
        if (!sysfs.exists(path)) {
            add(sysfs.createDirectory(path));
        }
    }

    private String showControl() {
        return pm.isAllowed() ? "auto\n" : "on\n";
    }

    private void storeControl(String value) {
        String v = SysfsAttribute.stripNewline(value);
        if (device.isUnplugged()) {
            throw new ErrnoException(Errno.ENODEV);
        }
        switch (v) {
            case "on" -> {
                int ret = pm.forbid();
                if (ret < 0) {
                    throw new ErrnoException(-ret);
                }
            }
            case "auto" -> pm.allow();
            default -> throw new ErrnoException(Errno.EINVAL, "power/control: '" + v + "'");
        }
    }

    private String showAutosuspendDelay() {
        if (!pm.usesAutosuspend()) {
            throw new ErrnoException(Errno.EIO);
        }
        return pm.autosuspendDelayMs() + "\n";
    }

    private void storeAutosuspendDelay(String value) {
        if (!pm.usesAutosuspend()) {
            throw new ErrnoException(Errno.EIO);
        }
        pm.setAutosuspendDelay(kstrtoint(value));
    }

    /**
     * {@code kstrtol(buf, 10, &delay)} with the {@code delay != (int) delay} check: optional
     * sign, decimal digits, one optional trailing newline; anything else, or a value outside
     * int, is EINVAL.
     */
    static int kstrtoint(String value) {
        String v = SysfsAttribute.stripNewline(value);
        if (!v.matches("[+-]?[0-9]+")) {
            throw new ErrnoException(Errno.EINVAL, "not a decimal integer: '" + v + "'");
        }
        try {
            return Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            throw new ErrnoException(Errno.EINVAL, "out of range: '" + v + "'");
        }
    }
}
