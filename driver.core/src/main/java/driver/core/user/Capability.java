package driver.core.user;

/** The Linux capabilities the DRM and panthor code paths check. */
public enum Capability {
    /** Raise scheduling priority: panthor allows HIGH and REALTIME groups. */
    CAP_SYS_NICE,
    /** System administration: DRM_ROOT_ONLY ioctls. */
    CAP_SYS_ADMIN
}
