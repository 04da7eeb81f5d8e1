/**
 * Live-swappable subsystems: the contract every subsystem implementation extends
 * ({@link driver.core.slot.Subsystem}, {@link driver.core.slot.SubsystemState}), the slot all
 * calls into a subsystem pass through ({@link driver.core.slot.SubsystemSlot}), and the
 * introspection records the shell prints. The protocol is described in docs/live-swap.md.
 */
@Export
@Version("1.1.0")
package driver.core.slot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
