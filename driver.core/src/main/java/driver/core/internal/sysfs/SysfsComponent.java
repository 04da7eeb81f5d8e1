package driver.core.internal.sysfs;

import driver.core.api.Sysfs;
import driver.core.api.SysfsAttribute;
import driver.core.api.SysfsEntry;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * DOC: The sysfs service.
 *
 * Publishes one {@link SysfsTree} as the {@link Sysfs} service, with the skeleton every Linux
 * system has ({@code /sys/devices/platform}, {@code /sys/class}, {@code /sys/bus/platform}).
 * The device, devfreq and devcoredump add their own entries through the service.
 */
@Component(service = Sysfs.class, immediate = true)
public final class SysfsComponent implements Sysfs {

    private final SysfsTree tree = new SysfsTree();

    public SysfsComponent() {
        createSkeleton(tree);
    }

    /** The directories present before any driver binds. */
    public static void createSkeleton(Sysfs sysfs) {
        sysfs.createDirectory("/sys/devices/platform");
        sysfs.createDirectory("/sys/class");
        sysfs.createDirectory("/sys/bus/platform/devices");
        sysfs.createDirectory("/sys/bus/platform/drivers");
    }

    @Override
    public List<SysfsEntry> list(String path) {
        return tree.list(path);
    }

    @Override
    public String read(String path) {
        return tree.read(path);
    }

    @Override
    public void write(String path, String value) {
        tree.write(path, value);
    }

    @Override
    public boolean exists(String path) {
        return tree.exists(path);
    }

    @Override
    public Registration createDirectory(String path) {
        return tree.createDirectory(path);
    }

    @Override
    public Registration createAttribute(String dir, String name, SysfsAttribute attribute) {
        return tree.createAttribute(dir, name, attribute);
    }

    @Override
    public Registration createLink(String path, String target) {
        return tree.createLink(path, target);
    }
}
