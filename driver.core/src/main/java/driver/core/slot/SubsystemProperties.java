package driver.core.slot;

/** Service property names and values that identify subsystem implementations. */
public final class SubsystemProperties {

    /** Which subsystem a service implements: {@link #MMU}, {@link #SCHED}, {@link #DEVFREQ}, {@link #COREDUMP}. */
    public static final String SUBSYSTEM = "subsystem";

    /** The implementation's name, e.g. {@code cstyle} or {@code rewritten}. */
    public static final String IMPL = "impl";

    public static final String MMU = "mmu";
    public static final String SCHED = "sched";
    public static final String DEVFREQ = "devfreq";
    public static final String COREDUMP = "coredump";

    private SubsystemProperties() {
    }
}
