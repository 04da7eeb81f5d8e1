package driver.core.slot;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: Subsystem slot.
 *
 * The one way into a subsystem. The driver core holds a slot per subsystem; UABI calls, IRQ
 * dispatch and the other subsystems reach the current implementation only through it:
 * {@code slot.call(mmu -> mmu.bind(vm, ops))}. A call takes the slot's gate (a per-thread
 * flag, no lock), runs on the implementation that owns the state, and releases the gate.
 *
 * <p>A swap closes the gate (new calls wait, they are never refused), drains the calls in
 * flight, exports the state from the old implementation, imports it into the new one,
 * verifies that the new one exports exactly what it imported, and opens the gate on the new
 * one. If anything fails the old implementation continues exactly where it was. Every swap is
 * recorded with its pause, the time the gate was closed.
 *
 * <p>Re-entrancy: a call made through the slot from inside a call through the same slot on
 * the same thread passes the gate without waiting and reaches the same implementation, even
 * when a swap is waiting for the outer call to finish. Swaps (and service changes that lead
 * to swaps) must not be requested from inside a call through any slot; they are refused with
 * {@link SwapOutcome#REFUSED} or {@link IllegalStateException}.
 *
 * <p>When no implementation is present the state is parked in the slot. A call then waits up to
 * the slot's grace period for one to arrive; after that it fails with
 * {@link SubsystemUnavailableException} (mandatory subsystems, mapped to {@code ENODEV}) or runs
 * on the subsystem's degraded fallback (optional subsystems).
 *
 * @param <T> the subsystem contract
 * @param <S> its state type
 */
@ProviderType
public interface SubsystemSlot<T extends Subsystem<S>, S extends SubsystemState> {

    /** A call into the implementation that returns a value. */
    @FunctionalInterface
    interface Call<T, R, X extends Throwable> {
        R apply(T impl) throws X;
    }

    /** A call into the implementation that returns nothing. */
    @FunctionalInterface
    interface Task<T, X extends Throwable> {
        void accept(T impl) throws X;
    }

    /** The subsystem's name, e.g. {@code mmu}. */
    String subsystem();

    /** The contract interface. */
    Class<T> contract();

    /**
     * Runs {@code op} on the current implementation and returns its result. Waits while a swap
     * is in progress, and up to the grace period while no implementation is present.
     *
     * @throws SubsystemUnavailableException if no implementation came within the grace period
     *         and the subsystem has no fallback
     * @throws X whatever {@code op} throws, unchanged
     */
    <R, X extends Throwable> R call(Call<? super T, ? extends R, X> op) throws X;

    /** {@link #call} for operations without a result. */
    <X extends Throwable> void run(Task<? super T, X> op) throws X;

    /**
     * {@link #run}, but only if an implementation owns the state: while the state is parked it
     * returns at once instead of waiting the grace period (or running on the fallback); a swap
     * in progress is still waited for. For work the state's next owner re-arms anyway: IRQ and
     * reset hooks, an old implementation's leftover work items.
     *
     * @return whether {@code op} ran
     */
    <X extends Throwable> boolean runIfPresent(Task<? super T, X> op) throws X;

    /**
     * Swaps to the best available implementation named {@code impl} (highest ranking, then
     * lowest service id), or restores the parked state into it. Synchronous: returns when the
     * swap has finished or rolled back.
     *
     * @return the history entry; {@link SwapOutcome#UNCHANGED} if it already runs,
     *         {@link SwapOutcome#REFUSED} if no such implementation is available
     */
    SwapRecord swapTo(String impl, SwapTrigger trigger, String reason);

    /**
     * Sets the wanted implementation ({@code null} or empty clears it). If it is available and
     * not active the slot swaps to it now; otherwise the slot remembers it and swaps when it
     * arrives. While set, it outranks {@code service.ranking} in every choice the slot makes.
     * Clearing the preference does not swap.
     */
    SwapRecord setPreferred(String impl, String reason);

    /** The wanted implementation, if one is set. */
    Optional<String> preferred();

    /** A snapshot for the shell. */
    SlotInfo info();

    /** The recorded swaps of this slot, oldest first (bounded; old entries are dropped). */
    List<SwapRecord> history();
}
