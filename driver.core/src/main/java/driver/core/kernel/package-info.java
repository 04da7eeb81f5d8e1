/**
 * Kernel services the driver core and the subsystem bundles share, as the Linux kernel
 * provides them to a DRM driver: the page allocator over the model's physical memory, GEM
 * buffer objects, DMA fences, syncobjs, sync_files and dma-bufs, and (from other parts of
 * driver.core) timers and work queues on virtual time.
 */
@Export
@Version("1.0.0")
package driver.core.kernel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
