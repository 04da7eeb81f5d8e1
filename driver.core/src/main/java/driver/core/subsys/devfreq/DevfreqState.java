package driver.core.subsys.devfreq;

import driver.core.slot.SubsystemState;

/**
 * The devfreq state: the operating point and the busy/idle accounting of the current window.
 *
 * @param currentHz       frequency the clock runs at
 * @param targetHz        the governor's last target
 * @param busy            whether the last record was busy
 * @param busyNanos       busy time in the current window (virtual time)
 * @param idleNanos       idle time in the current window
 * @param lastRecordNanos virtual time of the last busy/idle record
 * @param suspended       between suspend and resume
 */
public record DevfreqState(int version, long currentHz, long targetHz, boolean busy, long busyNanos,
                           long idleNanos, long lastRecordNanos, boolean suspended) implements SubsystemState {

    public static final int VERSION = 1;

    /** An idle device at the clock's current rate. */
    public static DevfreqState initial(long currentHz) {
        return new DevfreqState(VERSION, currentHz, currentHz, false, 0, 0, 0, false);
    }
}
