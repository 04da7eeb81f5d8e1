package driver.core.slot;

import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: Subsystem contract.
 *
 * The shape every subsystem contract (mmu, sched, devfreq, coredump) extends, so that one
 * implementation can hand its work to another in a running driver. An implementation is a
 * service registered under its contract interface with the properties
 * {@link SubsystemProperties#SUBSYSTEM subsystem}, {@link SubsystemProperties#IMPL impl} and
 * {@code service.ranking}; the driver core calls it only through its {@link SubsystemSlot}.
 *
 * <p>Life of an implementation object:
 * <ol>
 * <li><b>Inert</b> after activation: it owns nothing, touches no hardware, arms no timers.
 *     Registering a second implementation therefore never disturbs the one that runs.
 * <li><b>Owner</b> after {@link #importState}: it owns the subsystem's state, including the
 *     GPU memory and hardware resources the state names, and serves calls. The very first
 *     owner imports the subsystem's initial state (an idle device), so every start is an import.
 * <li><b>Inert</b> again after {@link #releaseState}: it forgets the state without touching the
 *     resources, which now belong to the next owner (or are parked in the slot).
 * </ol>
 * At most one implementation of a subsystem is the owner at any time. The slot calls these
 * methods with its gate closed: no call is in flight in any implementation of the subsystem.
 *
 * <p>Every way into an owner (UABI calls, IRQ handlers, timer and work-queue callbacks) must
 * pass through the slot, so that a swap can drain them; an implementation never keeps work
 * running on its own threads across a swap.
 *
 * @param <S> the subsystem's state type
 */
@ProviderType
public interface Subsystem<S extends SubsystemState> {

    /** The implementation's name, the same as its {@code impl} service property, e.g. {@code cstyle}. */
    String impl();

    /**
     * A snapshot of the complete state. Must not change anything: the slot may discard the
     * snapshot and keep using this implementation (a rolled-back swap).
     */
    S exportState();

    /**
     * Takes ownership of {@code state}: adopts the resources it names (page tables and ring
     * buffers stay where they are in GPU memory; nothing is re-created) and re-arms what it
     * describes (timers, queued work). Afterwards {@link #exportState()} must return a state
     * equal to {@code state}; the slot checks that.
     *
     * <p>All or nothing: on failure it throws, having written nothing shared (GPU memory,
     * registers) and armed nothing, because the previous owner continues.
     *
     * @throws IncompatibleStateException if this implementation cannot take the state
     */
    void importState(S state) throws IncompatibleStateException;

    /**
     * Forgets the state and becomes inert: cancels its own timers and drops its references,
     * without touching the resources the state names (another implementation owns them now).
     * Called on the previous owner after a successful swap or when its state is parked, and
     * on a target whose import or verification failed.
     */
    void releaseState();
}
