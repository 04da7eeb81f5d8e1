/**
 * The panthor device as the rest of the system sees it: identification, and (later) the
 * UABI and the subsystem contracts.
 */
@Export
@Version("1.1.0")
package driver.core.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
