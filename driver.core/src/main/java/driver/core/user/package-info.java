/**
 * Simulated user processes and the typed client API.
 *
 * <p>A {@link UserProcess} has its own sparse virtual memory, an fd table and credentials, and
 * makes system calls ({@code open}, {@code ioctl}, {@code mmap}, {@code munmap}, {@code close})
 * with the real numbers and byte layouts; the kernel side reads and writes its memory only
 * through {@link UserMemory} ({@code copy_from_user} semantics: a bad pointer is EFAULT).
 * {@link PanthorClient} is a typed API built on exactly that byte path. {@link FileOps},
 * {@link Mapping} and {@link DeviceNode} are the kernel-side hooks a driver implements.
 */
@Export
@Version("1.0.0")
package driver.core.user;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
