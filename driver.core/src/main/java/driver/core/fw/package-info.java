/**
 * The firmware API for subsystems ({@code panthor_fw.h} and the parts of {@code panthor_gpu.h}
 * and {@code panthor_device.h} the scheduler calls): interfaces, REQ/ACK, doorbells, firmware
 * memory, runtime PM and reset. See docs/subsystems.md.
 */
@Export
@Version("1.0.0")
package driver.core.fw;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
