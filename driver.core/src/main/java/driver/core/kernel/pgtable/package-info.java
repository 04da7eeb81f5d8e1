/**
 * Page-table encodings shared by every GPU page-table writer in the driver: AArch64 LPAE
 * stage-1 descriptors as io-pgtable-arm writes them, and the AS_* register values Panthor
 * derives from them.
 */
@Export
@Version("1.0.0")
package driver.core.kernel.pgtable;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
