package driver.core.internal.drm;

import driver.core.kernel.DmaBuf;
import driver.core.kernel.GemObject;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.user.FileOps;
import driver.core.user.Mapping;
import driver.core.user.UserProcess;

/**
 * The file behind a dma-buf fd. Mapping it maps the exported object's pages
 * ({@code dma_buf_mmap} → {@code drm_gem_prime_mmap}); it owns one buffer reference.
 */
final class DmaBufFile implements FileOps {

    private final DmaBuf buf;

    /** Takes over one reference on {@code buf}. */
    DmaBufFile(DmaBuf buf) {
        this.buf = buf;
    }

    DmaBuf buffer() {
        return buf;
    }

    @Override
    public String kind() {
        return "dma-buf";
    }

    @Override
    public Mapping mmap(UserProcess caller, long offset, long length, int prot, int flags) {
        GemObject obj = buf.object();
        long pages = length / UserProcess.PAGE_SIZE;
        long first = offset / UserProcess.PAGE_SIZE;
        if (first + pages > obj.pageCount()) {
            throw new ErrnoException(Errno.EINVAL, "mmap beyond the dma-buf");
        }
        return DrmDeviceCore.mapObject(obj, first, (int) pages, prot, flags);
    }

    @Override
    public void release() {
        buf.put();
    }
}
