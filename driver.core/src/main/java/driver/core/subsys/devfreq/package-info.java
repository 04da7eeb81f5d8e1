/**
 * The devfreq subsystem contract ({@code panthor_devfreq.c}), optional: without it the GPU runs at a fixed operating point. See docs/subsystems.md.
 */
@Export
@Version("1.0.0")
package driver.core.subsys.devfreq;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
