/**
 * The scheduler subsystem contract ({@code panthor_sched.c}, {@code panthor_heap.c}): group and tiler-heap ioctls, firmware events, MMU faults, device hooks, introspection, and its state. See docs/subsystems.md.
 */
@Export
@Version("1.1.0")
package driver.core.subsys.sched;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
