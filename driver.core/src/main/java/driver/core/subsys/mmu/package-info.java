/**
 * The MMU subsystem contract ({@code panthor_mmu.c}): VM ioctls, kernel VM services, MMU IRQ and device hooks, introspection, and its state. See docs/subsystems.md.
 */
@Export
@Version("1.1.0")
package driver.core.subsys.mmu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
