package driver.core.slot;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * All slots of the driver, for the shell ({@code gpu:subsystems}, {@code gpu:swap},
 * {@code gpu:swaps}, {@code gpu:swap-stress}) and for configuration (the wanted
 * implementation per subsystem).
 */
@ProviderType
public interface SubsystemSlots {

    /** Every slot, in creation order. */
    List<SlotInfo> slots();

    /** The slot of {@code subsystem}. */
    Optional<SubsystemSlot<?, ?>> slot(String subsystem);

    /** {@link SubsystemSlot#swapTo}; {@link SwapOutcome#REFUSED} for an unknown subsystem. */
    SwapRecord swap(String subsystem, String impl, SwapTrigger trigger, String reason);

    /** {@link SubsystemSlot#setPreferred}; {@link SwapOutcome#REFUSED} for an unknown subsystem. */
    SwapRecord setPreferred(String subsystem, String impl, String reason);

    /** The history of every slot, in sequence order. */
    List<SwapRecord> history();
}
