/**
 * The panthor UABI as code, as {@code include/uapi/drm/drm.h} and {@code panthor_drm.h} are
 * in C: ioctl request numbers ({@link Ioc}, {@link DrmIoctls}, {@link PanthorIoctls}), the
 * argument structs as records with exact little-endian LP64 layouts (one record per C struct,
 * named after it: {@code struct drm_panthor_bo_create} is {@link DrmPanthorBoCreate}), flag
 * constants and {@link Errno}. The UABI version these describe is
 * {@link PanthorIoctls#VERSION_MAJOR}.{@link PanthorIoctls#VERSION_MINOR}; see docs/uabi.md.
 */
@Export
@Version("1.0.0")
package driver.core.uapi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
