package driver.core.internal.drm;

import driver.core.kernel.DmaBuf;
import driver.core.kernel.GemObject;
import driver.core.uapi.DrmGemClose;
import driver.core.uapi.DrmGetCap;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPrimeHandle;
import driver.core.uapi.DrmVersion;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.Ioc;
import driver.core.uapi.Le;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.FileOps;
import driver.core.user.UserMemory;
import java.nio.charset.StandardCharsets;

/**
 * DOC: DRM core ioctls.
 *
 * VERSION ({@code drm_version()}: each string is copied up to the caller's buffer length,
 * the full length is always reported back, a NULL buffer only asks for the length), GET_UNIQUE
 * (empty: no SET_VERSION support), GET_CAP (the render-only capabilities; anything else is
 * EOPNOTSUPP on a non-modesetting driver), GEM_CLOSE (EINVAL for an unknown handle), and
 * PRIME: HANDLE_TO_FD exports a GEM object as a dma-buf fd in the calling process (ENOENT
 * for an unknown handle, EINVAL for flags other than DRM_CLOEXEC|DRM_RDWR and for objects
 * with an exclusive VM, which panthor refuses to export); FD_TO_HANDLE imports one (EBADF
 * for a bad fd, EINVAL for an fd that is not a dma-buf); a buffer of this device yields the
 * file's existing handle for the object, or a new handle to the same object.
 */
final class CoreIoctls {

    /** {@code DRM_IOWR(0x01, struct drm_unique)}: {size_t unique_len; char *unique}. */
    static final int DRM_IOCTL_GET_UNIQUE = Ioc.iowr(DrmIoctls.BASE, 0x01, 16);

    private final DrmDeviceCore device;

    CoreIoctls(DrmDeviceCore device) {
        this.device = device;
    }

    int version(DrmCall call, byte[] k) {
        DrmVersion v = DrmVersion.decode(k);
        Le.put32(k, DrmVersion.OFFSET_VERSION_MAJOR, PanthorIoctls.VERSION_MAJOR);
        Le.put32(k, DrmVersion.OFFSET_VERSION_MINOR, PanthorIoctls.VERSION_MINOR);
        Le.put32(k, DrmVersion.OFFSET_VERSION_PATCHLEVEL, PanthorIoctls.VERSION_PATCHLEVEL);
        int err = copyField(call.caller(), k, v.name(), DrmVersion.OFFSET_NAME_LEN, PanthorIoctls.DRIVER_NAME);
        if (err == 0) {
            err = copyField(call.caller(), k, v.date(), DrmVersion.OFFSET_DATE_LEN, PanthorIoctls.DRIVER_DATE);
        }
        if (err == 0) {
            err = copyField(call.caller(), k, v.desc(), DrmVersion.OFFSET_DESC_LEN, PanthorIoctls.DRIVER_DESC);
        }
        return err;
    }

    /** {@code drm_copy_field()}. */
    private static int copyField(UserMemory mem, byte[] k, long buf, int lenOffset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        long bufLen = Le.u64(k, lenOffset);
        long len = Long.compareUnsigned(bytes.length, bufLen) > 0 ? bufLen : bytes.length;
        Le.put64(k, lenOffset, bytes.length);
        if (len != 0 && buf != 0 && !mem.copyToUser(buf, bytes, 0, (int) len)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    int getUnique(DrmCall call, byte[] k) {
        Le.put64(k, 0, 0);
        return 0;
    }

    int getCap(DrmCall call, byte[] k) {
        DrmGetCap req = DrmGetCap.decode(k);
        long value;
        if (req.capability() == DrmIoctls.DRM_CAP_TIMESTAMP_MONOTONIC) {
            value = 1;
        } else if (req.capability() == DrmIoctls.DRM_CAP_PRIME) {
            value = DrmIoctls.DRM_PRIME_CAP_IMPORT | DrmIoctls.DRM_PRIME_CAP_EXPORT;
        } else if (req.capability() == DrmIoctls.DRM_CAP_SYNCOBJ || req.capability() == DrmIoctls.DRM_CAP_SYNCOBJ_TIMELINE) {
            value = 1;
        } else {
            Le.put64(k, DrmGetCap.OFFSET_VALUE, 0);
            return -Errno.EOPNOTSUPP;
        }
        Le.put64(k, DrmGetCap.OFFSET_VALUE, value);
        return 0;
    }

    int gemClose(DrmCall call, byte[] k) {
        return call.file().gemHandleDelete(DrmGemClose.decode(k).handle());
    }

    int primeHandleToFd(DrmCall call, byte[] k) {
        DrmPrimeHandle args = DrmPrimeHandle.decode(k);
        if ((args.flags() & ~(DrmIoctls.DRM_CLOEXEC | DrmIoctls.DRM_RDWR)) != 0) {
            return -Errno.EINVAL;
        }
        DrmFile file = call.file();
        GemObject obj = file.lookupGem(args.handle());
        if (obj == null) {
            return -Errno.ENOENT;
        }
        DmaBuf buf;
        try {
            synchronized (obj) {
                buf = obj.exportedDmaBuf();
                if (buf != null) {
                    buf.get();
                } else {
                    if (obj.exclusiveVm() != null) {
                        throw new ErrnoException(Errno.EINVAL, "objects with an exclusive VM cannot be exported");
                    }
                    buf = new DmaBuf(obj.get(), device);
                    obj.setExportedDmaBuf(buf);
                }
            }
            file.primeAdd(buf, args.handle());
        } finally {
            obj.put();
        }
        int fd = call.caller().fdInstall(new DmaBufFile(buf));
        if (fd < 0) {
            buf.put();
            return fd;
        }
        Le.put32(k, DrmPrimeHandle.OFFSET_FD, fd);
        return 0;
    }

    int primeFdToHandle(DrmCall call, byte[] k) {
        DrmPrimeHandle args = DrmPrimeHandle.decode(k);
        FileOps f = call.caller().fget(args.fd());
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof DmaBufFile dmaBufFile)) {
            return -Errno.EINVAL;
        }
        DmaBuf buf = dmaBufFile.buffer();
        if (buf.exporter() != device) {
            return -Errno.EINVAL;
        }
        DrmFile file = call.file();
        int handle;
        synchronized (file) {
            Integer existing = file.primeLookupHandle(buf);
            if (existing != null) {
                handle = existing;
            } else {
                handle = file.gemHandleCreate(buf.object());
                file.primeAdd(buf, handle);
            }
        }
        Le.put32(k, DrmPrimeHandle.OFFSET_HANDLE, handle);
        return 0;
    }
}
