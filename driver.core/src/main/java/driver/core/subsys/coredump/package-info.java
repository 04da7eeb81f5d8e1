/**
 * The coredump subsystem contract (devcoredump of a faulted or timed-out group), optional: without it no dumps are taken. See docs/subsystems.md.
 */
@Export
@Version("1.0.0")
package driver.core.subsys.coredump;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
