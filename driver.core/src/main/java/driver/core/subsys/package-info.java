/**
 * Common types of the subsystem contracts: the UABI call and file as a subsystem sees them, and typed access to the four slots. See docs/subsystems.md.
 */
@Export
@Version("1.0.0")
package driver.core.subsys;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
