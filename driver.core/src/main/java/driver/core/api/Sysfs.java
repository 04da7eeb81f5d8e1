package driver.core.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: The virtual sysfs.
 *
 * A tree under {@value #ROOT} of directories, attributes and symbolic links, with the read and
 * write semantics of Linux sysfs (kernfs): reading an attribute calls its {@code show},
 * writing calls its {@code store}; both fail with the errno Linux gives, carried by
 * {@link driver.core.uapi.ErrnoException}:
 * <ul>
 * <li>ENOENT: no such path;
 * <li>ENOTDIR: a path component (or the listed path) is not a directory;
 * <li>EISDIR: reading or writing a directory;
 * <li>EACCES: reading an attribute without a read mode bit, writing one without a write bit
 *     (or without a store callback), as kernfs refuses the open;
 * <li>whatever the attribute's callback throws, typically EINVAL for a value it rejects.
 * </ul>
 * Paths are absolute ({@code /sys/devices/...}) or relative to {@value #ROOT}; "." and ".."
 * are not interpreted, repeated slashes are. Symbolic links are followed in every operation
 * (their target is an absolute sysfs path).
 *
 * Subsystems add their directories with {@link #createDirectory} / {@link #createAttribute}
 * and remove them by closing the returned {@link Registration} (a directory goes with
 * everything under it), as {@code kobject_del()} / {@code sysfs_remove_group()}.
 */
@ProviderType
public interface Sysfs {

    String ROOT = "/sys";

    /** The panthor device's directory: the RK3588 GPU at 0xfb000000 on the platform bus. */
    String DEVICE_PATH = "/sys/devices/platform/fb000000.gpu";

    /**
     * The entries of a directory, sorted by name.
     *
     * @throws driver.core.uapi.ErrnoException ENOENT, ENOTDIR
     */
    List<SysfsEntry> list(String path);

    /**
     * Reads an attribute: what its {@code show} returns (usually newline-terminated).
     *
     * @throws driver.core.uapi.ErrnoException ENOENT, ENOTDIR, EISDIR, EACCES, or the attribute's errno
     */
    String read(String path);

    /**
     * Writes {@code value} to an attribute, as {@code echo value > path} (the caller decides
     * about the trailing newline; attributes accept it).
     *
     * @throws driver.core.uapi.ErrnoException ENOENT, ENOTDIR, EISDIR, EACCES, or the attribute's errno
     */
    void write(String path, String value);

    /** Whether {@code path} names an entry (links followed). */
    boolean exists(String path);

    /**
     * Creates a directory and any missing parents ({@code kobject_add()}).
     *
     * @throws driver.core.uapi.ErrnoException EEXIST if an entry of that name exists,
     *         ENOTDIR if a parent is not a directory
     */
    Registration createDirectory(String path);

    /**
     * Adds attribute {@code name} to directory {@code dir} ({@code sysfs_create_file()}).
     *
     * @throws driver.core.uapi.ErrnoException ENOENT (no such directory), EEXIST
     */
    Registration createAttribute(String dir, String name, SysfsAttribute attribute);

    /**
     * Creates symbolic link {@code path} pointing at {@code target} ({@code sysfs_create_link()}).
     * The target need not exist yet; following a dangling link is ENOENT.
     */
    Registration createLink(String path, String target);

    /** A created entry; closing it removes the entry (a directory with all it contains). */
    interface Registration extends AutoCloseable {
        /** The absolute path of the entry. */
        String path();

        @Override
        void close();
    }
}
