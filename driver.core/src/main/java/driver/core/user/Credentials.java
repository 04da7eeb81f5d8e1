package driver.core.user;

import java.util.EnumSet;
import java.util.Set;

/**
 * A process's credentials: uid, effective capabilities, and whether it holds the DRM master
 * role on the device (a display server that opened the primary node {@code /dev/dri/card0}).
 *
 * <p>{@code capable()} checks are made against the process doing the call, as Linux checks
 * {@code current}; master is a property of the DRM file, which a process holding the master
 * role gets when it opens the primary node. Render-node files are never master.
 */
public record Credentials(int uid, Set<Capability> capabilities, boolean drmMaster) {

    public Credentials {
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    }

    /** An unprivileged user (uid 1000, no capabilities). */
    public static Credentials user() {
        return new Credentials(1000, Set.of(), false);
    }

    /** root: every capability, not DRM master. */
    public static Credentials root() {
        return new Credentials(0, EnumSet.allOf(Capability.class), false);
    }

    /** An unprivileged user with CAP_SYS_NICE. */
    public static Credentials niceUser() {
        return new Credentials(1000, Set.of(Capability.CAP_SYS_NICE), false);
    }

    /** A display server: unprivileged, but holding DRM master. */
    public static Credentials drmMasterUser() {
        return new Credentials(1000, Set.of(), true);
    }

    public boolean capable(Capability capability) {
        return capabilities.contains(capability);
    }
}
