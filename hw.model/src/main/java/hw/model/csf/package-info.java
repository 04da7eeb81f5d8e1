/**
 * The CSF firmware interface as the G610 firmware model publishes it in the MCU shared section:
 * the global, CSG and CS control/input/output structures, their REQ/ACK bits, and the user I/O
 * pages ({@code panthor_fw.h}). The firmware model writes it; the driver's firmware layer reads it.
 */
@Export
@Version("1.0.0")
package hw.model.csf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
