package driver.core.slot;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * DOC: Subsystem state.
 *
 * The implementation-neutral state of one subsystem: everything another implementation needs
 * to continue exactly where this one stopped (for the MMU: VMs, their mapping trees, the
 * page-table pages they own in GPU memory, address-space slot assignments, queued binds).
 * Each subsystem contract defines one state type, normally a record, and gives it a version
 * that changes whenever its meaning changes.
 *
 * <p>States are values: {@code equals} compares content, never identity. The slot verifies a
 * swap with {@code imported.equals(target.exportState())}, so a state must not hold arrays
 * (use immutable lists), mutable objects, or anything whose equality is identity. A state is
 * immutable and never shares mutable structures with the implementation that produced it.
 */
@ConsumerType
public interface SubsystemState {

    /**
     * The version of the state's layout and meaning. An implementation refuses (with
     * {@link IncompatibleStateException}) a version it cannot take.
     */
    int version();
}
