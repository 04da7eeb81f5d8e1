package driver.core.api;

/**
 * The state of the panthor device as the UABI layer and the shell see it: probing, then the
 * runtime-PM state ({@code enum panthor_device_pm_state}), with resets and unplug on top.
 * Once {@link #UNPLUGGED}, every UABI call is ENODEV ({@code drm_dev_enter()} fails).
 */
public enum DeviceState {
    /** {@code panthor_device_init()} is running. */
    PROBING,
    /** Powered and usable ({@code PANTHOR_DEVICE_PM_STATE_ACTIVE}). */
    ACTIVE,
    /** A GPU reset is in progress; calls that need the hardware wait. */
    RESETTING,
    /** Runtime suspend in progress. */
    SUSPENDING,
    /** Runtime suspended: the next user of the hardware resumes it. */
    SUSPENDED,
    /** Runtime resume in progress. */
    RESUMING,
    /** Unplugged (removed, probe failed or unrecoverable reset): ENODEV from now on. */
    UNPLUGGED
}
