package driver.core.api;

import driver.core.kernel.PageAllocator;
import driver.core.user.Credentials;
import driver.core.user.UserProcess;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The panthor DRM device as user space reaches it: its nodes in the simulated {@code /dev},
 * and the processes that open them. Every process made here sees {@link #RENDER_NODE} and
 * {@link #PRIMARY_NODE}; what they can do there is exactly the UABI (see docs/uabi.md).
 */
@ProviderType
public interface DrmDevice {

    String RENDER_NODE = "/dev/dri/renderD128";
    String PRIMARY_NODE = "/dev/dri/card0";

    /** A new simulated process, with its own memory and fd table, that can open the device nodes. */
    UserProcess newProcess(String comm, Credentials credentials);

    /** The UABI version DRM_IOCTL_VERSION reports: major. */
    int uabiVersionMajor();

    /** The UABI version DRM_IOCTL_VERSION reports: minor. */
    int uabiVersionMinor();

    /** The open DRM files and what each holds, like {@code /proc/<pid>/fdinfo}. */
    List<DrmClientInfo> clients();

    /** The physical page allocator the device's memory comes from. */
    PageAllocator pageAllocator();
}
