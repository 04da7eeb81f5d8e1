package driver.core.internal.drm;

import driver.core.uapi.DrmIoctls;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.uapi.Ioc;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Capability;
import driver.core.user.UserProcess;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DOC: ioctl dispatch.
 *
 * {@code drm_ioctl()} for a panthor device, byte for byte:
 *
 *  1. The request's number selects the ioctl: {@code 0x40..0x9f} are driver ioctls (panthor
 *     ids 0..16; beyond is EINVAL), anything else a core ioctl (unknown or unimplemented is
 *     EINVAL). The type byte and the encoded size are not used to select anything.
 *  2. The argument is copied in with the caller's encoded size, but only if both the caller's
 *     and the kernel's request have the IN direction; likewise out. The kernel buffer is as
 *     large as the largest of the two sizes and the kernel struct, zero-extended: a request
 *     encoded with an older, smaller struct is accepted and sees zeros in the new fields, one
 *     with a larger struct has its extra bytes ignored (and copied back unchanged).
 *  3. ENODEV if the device is unplugged; permission checks ({@code drm_ioctl_permit}):
 *     ROOT_ONLY needs CAP_SYS_ADMIN, AUTH an authenticated or render client, MASTER the
 *     master, and a render client may only call RENDER_ALLOW ioctls (EACCES).
 *  4. The handler runs on the kernel copy; the copy is written back even when the handler
 *     fails (which is how VM_BIND reports the failing op), and a fault on the way back is
 *     EFAULT.
 *
 * Handlers return 0 or {@code -errno}, or throw {@link ErrnoException}; a rejected call
 * changes no state. An unexpected exception in a handler is a kernel bug: logged, EIO.
 */
public final class IoctlDispatcher {

    private static final Logger LOG = Logger.getLogger(IoctlDispatcher.class.getName());

    public static final int DRM_AUTH = 0x1;
    public static final int DRM_MASTER = 0x2;
    public static final int DRM_ROOT_ONLY = 0x4;
    public static final int DRM_RENDER_ALLOW = 0x20;

    private static final int IOC_IN = Ioc.WRITE << Ioc.DIRSHIFT;
    private static final int IOC_OUT = Ioc.READ << Ioc.DIRSHIFT;

    /** An ioctl implementation working on the kernel copy of the argument. */
    @FunctionalInterface
    interface Handler {
        int handle(DrmCall call, byte[] kdata);
    }

    /** {@code struct drm_ioctl_desc}. */
    record IoctlDesc(String name, int cmd, int flags, Handler handler) {
    }

    private final DrmDeviceCore device;
    private final IoctlDesc[] core = new IoctlDesc[0x100];
    private final IoctlDesc[] driver = new IoctlDesc[PanthorIoctls.COUNT];

    IoctlDispatcher(DrmDeviceCore device) {
        this.device = device;
        CoreIoctls coreIoctls = new CoreIoctls(device);
        SyncobjIoctls sync = new SyncobjIoctls(device);
        PanthorIoctlHandlers panthor = new PanthorIoctlHandlers(device);
        coreDef(DrmIoctls.DRM_IOCTL_VERSION, "VERSION", DRM_RENDER_ALLOW, coreIoctls::version);
        coreDef(CoreIoctls.DRM_IOCTL_GET_UNIQUE, "GET_UNIQUE", 0, coreIoctls::getUnique);
        coreDef(DrmIoctls.DRM_IOCTL_GEM_CLOSE, "GEM_CLOSE", DRM_RENDER_ALLOW, coreIoctls::gemClose);
        coreDef(DrmIoctls.DRM_IOCTL_GET_CAP, "GET_CAP", DRM_RENDER_ALLOW, coreIoctls::getCap);
        coreDef(DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD, "PRIME_HANDLE_TO_FD", DRM_AUTH | DRM_RENDER_ALLOW, coreIoctls::primeHandleToFd);
        coreDef(DrmIoctls.DRM_IOCTL_PRIME_FD_TO_HANDLE, "PRIME_FD_TO_HANDLE", DRM_AUTH | DRM_RENDER_ALLOW, coreIoctls::primeFdToHandle);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE, "SYNCOBJ_CREATE", DRM_RENDER_ALLOW, sync::create);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY, "SYNCOBJ_DESTROY", DRM_RENDER_ALLOW, sync::destroy);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, "SYNCOBJ_HANDLE_TO_FD", DRM_RENDER_ALLOW, sync::handleToFd);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, "SYNCOBJ_FD_TO_HANDLE", DRM_RENDER_ALLOW, sync::fdToHandle);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT, "SYNCOBJ_WAIT", DRM_RENDER_ALLOW, sync::waitIoctl);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_RESET, "SYNCOBJ_RESET", DRM_RENDER_ALLOW, sync::reset);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_SIGNAL, "SYNCOBJ_SIGNAL", DRM_RENDER_ALLOW, sync::signal);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, "SYNCOBJ_TIMELINE_WAIT", DRM_RENDER_ALLOW, sync::timelineWait);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_QUERY, "SYNCOBJ_QUERY", DRM_RENDER_ALLOW, sync::query);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER, "SYNCOBJ_TRANSFER", DRM_RENDER_ALLOW, sync::transfer);
        coreDef(DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, "SYNCOBJ_TIMELINE_SIGNAL", DRM_RENDER_ALLOW, sync::timelineSignal);

        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, panthor::devQuery);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, panthor::vmCreate);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, panthor::vmDestroy);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, panthor::vmBind);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE, panthor::vmGetState);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, panthor::boCreate);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, panthor::boMmapOffset);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, panthor::groupCreate);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_DESTROY, panthor::groupDestroy);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT, panthor::groupSubmit);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE, panthor::groupGetState);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, panthor::tilerHeapCreate);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, panthor::tilerHeapDestroy);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, panthor::boSetLabel);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, panthor::setUserMmioOffset);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SYNC, panthor::boSync);
        driverDef(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_QUERY_INFO, panthor::boQueryInfo);
    }

    private void coreDef(int cmd, String name, int flags, Handler h) {
        core[Ioc.nr(cmd)] = new IoctlDesc(name, cmd, flags, h);
    }

    private void driverDef(int cmd, Handler h) {
        int id = Ioc.nr(cmd) - DrmIoctls.COMMAND_BASE;
        driver[id] = new IoctlDesc(PanthorIoctls.name(id), cmd, DRM_RENDER_ALLOW, h);
    }

    /** The descriptor {@code cmd} selects, or null (EINVAL). */
    IoctlDesc lookup(int cmd) {
        int nr = Ioc.nr(cmd);
        if (nr >= DrmIoctls.COMMAND_BASE && nr < DrmIoctls.COMMAND_END) {
            int index = nr - DrmIoctls.COMMAND_BASE;
            return index < driver.length ? driver[index] : null;
        }
        return core[nr];
    }

    /** {@code drm_ioctl(filp, cmd, arg)}. */
    int ioctl(DrmFile file, UserProcess caller, int cmd, long arg) {
        if (device.isUnplugged()) {
            return -Errno.ENODEV;
        }
        IoctlDesc desc = lookup(cmd);
        if (desc == null) {
            return -Errno.EINVAL;
        }
        int drvSize = Ioc.size(desc.cmd);
        int inSize = Ioc.size(cmd);
        int outSize = inSize;
        if ((cmd & desc.cmd & IOC_IN) == 0) {
            inSize = 0;
        }
        if ((cmd & desc.cmd & IOC_OUT) == 0) {
            outSize = 0;
        }
        int ksize = Math.max(Math.max(inSize, outSize), drvSize);
        byte[] kdata = new byte[ksize];
        if (!caller.copyFromUser(arg, kdata, 0, inSize)) {
            return -Errno.EFAULT;
        }
        int ret = ioctlKernel(file, caller, desc, kdata);
        if (!caller.copyToUser(arg, kdata, 0, outSize)) {
            ret = -Errno.EFAULT;
        }
        return ret;
    }

    /** {@code drm_ioctl_kernel()}. */
    private int ioctlKernel(DrmFile file, UserProcess caller, IoctlDesc desc, byte[] kdata) {
        if (device.isUnplugged()) {
            return -Errno.ENODEV;
        }
        int permit = permit(desc.flags, file, caller);
        if (permit != 0) {
            return permit;
        }
        try {
            return desc.handler.handle(new DrmCall(file, caller), kdata);
        } catch (ErrnoException e) {
            return -e.errno();
        } catch (OutOfMemoryError e) {
            return -Errno.ENOMEM;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "kernel bug in DRM_IOCTL " + desc.name, e);
            return -Errno.EIO;
        }
    }

    /** {@code drm_ioctl_permit()}. */
    static int permit(int flags, DrmFile file, UserProcess caller) {
        if ((flags & DRM_ROOT_ONLY) != 0 && !caller.capable(Capability.CAP_SYS_ADMIN)) {
            return -Errno.EACCES;
        }
        if ((flags & DRM_AUTH) != 0 && !file.isRenderClient() && !file.isAuthenticated()) {
            return -Errno.EACCES;
        }
        if ((flags & DRM_MASTER) != 0 && !file.isMaster()) {
            return -Errno.EACCES;
        }
        if ((flags & DRM_RENDER_ALLOW) == 0 && file.isRenderClient()) {
            return -Errno.EACCES;
        }
        return 0;
    }

    /** Name of the ioctl {@code cmd} selects, for logs; null if none. */
    public String name(int cmd) {
        IoctlDesc d = lookup(cmd);
        return d == null ? null : d.name;
    }
}
