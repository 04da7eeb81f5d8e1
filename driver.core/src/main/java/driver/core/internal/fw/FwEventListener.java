package driver.core.internal.fw;

/**
 * The scheduler's side of the JOB IRQ ({@code panthor_sched_report_fw_events()}): called on
 * the IRQ thread, once the firmware is booted, with the JOB_INT status the handler cleared:
 * bit 31 (JOB_INT_GLOBAL_IF) for global-interface events (GLB_IDLE, acknowledged requests),
 * bit n for events on CSG slot n. It must only record the events and queue work; the work then
 * reads the interfaces ({@link PanthorFw#glbIface()}, {@link PanthorFw#csgIface(int)}) and
 * acknowledges the events.
 */
@FunctionalInterface
public interface FwEventListener {
    void reportFwEvents(int events);
}
