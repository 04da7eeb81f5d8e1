package driver.core.internal.drm;

import driver.core.uapi.ErrnoException;

import driver.core.kernel.DmaBuf;
import driver.core.kernel.GemObject;
import driver.core.kernel.Syncobj;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.FileOps;
import driver.core.user.Mapping;
import driver.core.user.UserProcess;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * DOC: DRM files.
 *
 * One open of a device node, as {@code struct drm_file} with {@code struct panthor_file} as
 * its driver part. Everything a process can name through the UABI is named per file: GEM
 * handles and syncobj handles (idr from 1, lowest free), VM ids (1..32) and group handles
 * (1..128, owned by the MMU and scheduler through {@link #vms()} and {@link #groups()}). One
 * file can never name another file's objects; sharing goes through PRIME (dma-buf fds) and
 * syncobj fds only.
 *
 * A file opened on the primary node ({@code card0}) by a process holding the DRM master role
 * is master and authenticated; other primary-node files are neither; render-node files
 * ({@code renderD128}) are never master and need no authentication.
 *
 * The PRIME table maps dma-bufs to the handle this file has for them, so importing the same
 * buffer twice gives the same handle, as {@code drm_prime_lookup_buf_handle()}.
 */
public final class DrmFile implements FileOps {

    /** PANTHOR_MAX_VMS_PER_FILE. */
    public static final int MAX_VMS_PER_FILE = 32;
    /** MAX_GROUPS_PER_POOL. */
    public static final int MAX_GROUPS_PER_FILE = 128;

    /** The kind of DRM minor the file was opened on. */
    public enum Minor { PRIMARY, RENDER }

    private final DrmDeviceCore device;
    private final Minor minor;
    private final boolean master;
    private final int clientId;
    private final int openerPid;
    private final String openerComm;
    private final HandleTable<GemObject> gemHandles = HandleTable.idr();
    private final Map<GemObject, Integer> gemAllowed = new IdentityHashMap<>();
    private final Map<DmaBuf, Integer> primeByBuf = new IdentityHashMap<>();
    private final Map<Integer, DmaBuf> primeByHandle = new HashMap<>();
    private final HandleTable<Syncobj> syncobjs = HandleTable.idr();
    private final HandleTable<Object> vms = HandleTable.limited(MAX_VMS_PER_FILE);
    private final HandleTable<Object> groups = HandleTable.limited(MAX_GROUPS_PER_FILE);
    private volatile long userMmioOffset = PanthorIoctls.DRM_PANTHOR_USER_MMIO_OFFSET;
    private volatile boolean closed;

    DrmFile(DrmDeviceCore device, Minor minor, boolean master, int clientId, UserProcess opener) {
        this.device = device;
        this.minor = minor;
        this.master = master;
        this.clientId = clientId;
        this.openerPid = opener.pid();
        this.openerComm = opener.comm();
    }

    public DrmDeviceCore device() {
        return device;
    }

    public Minor minor() {
        return minor;
    }

    public boolean isRenderClient() {
        return minor == Minor.RENDER;
    }

    /** {@code drm_is_current_master()}. */
    public boolean isMaster() {
        return master;
    }

    public boolean isAuthenticated() {
        return master;
    }

    /** {@code drm_file.client_id}: unique per device, never reused. */
    public int clientId() {
        return clientId;
    }

    public int openerPid() {
        return openerPid;
    }

    public String openerComm() {
        return openerComm;
    }

    /** VM ids of this file (the MMU's pool: ids 1..32). */
    public HandleTable<Object> vms() {
        return vms;
    }

    /** Group handles of this file (the scheduler's pool: 1..128). */
    public HandleTable<Object> groups() {
        return groups;
    }

    public long userMmioOffset() {
        return userMmioOffset;
    }

    void setUserMmioOffset(long offset) {
        this.userMmioOffset = offset;
    }

    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ GEM handles

    /** {@code drm_gem_handle_create()}: a new handle holding a new reference on {@code obj}. */
    public int gemHandleCreate(GemObject obj) {
        synchronized (this) {
            int handle = gemHandles.alloc(obj);
            obj.get();
            obj.handleOpened();
            gemAllowed.merge(obj, 1, Integer::sum);
            return handle;
        }
    }

    /** {@code drm_gem_object_lookup()}: the object with a new reference, or null. */
    public GemObject lookupGem(int handle) {
        synchronized (this) {
            GemObject obj = gemHandles.get(handle);
            return obj == null ? null : obj.get();
        }
    }

    /** {@code drm_gem_handle_delete()}: 0, or {@code -EINVAL} for an unknown handle. */
    public int gemHandleDelete(int handle) {
        GemObject obj;
        DmaBuf prime;
        synchronized (this) {
            obj = gemHandles.remove(handle);
            if (obj == null) {
                return -Errno.EINVAL;
            }
            prime = primeByHandle.remove(handle);
            if (prime != null) {
                primeByBuf.remove(prime);
            }
            gemAllowed.computeIfPresent(obj, (o, n) -> n == 1 ? null : n - 1);
        }
        if (prime != null) {
            prime.put();
        }
        obj.handleClosed();
        obj.put();
        return 0;
    }

    /** {@code drm_vma_node_is_allowed()}: whether this file holds a handle for {@code obj}. */
    public synchronized boolean gemAllowed(GemObject obj) {
        return gemAllowed.containsKey(obj);
    }

    /** Handles and objects, for listings. */
    public Map<Integer, GemObject> gemObjects() {
        return gemHandles.snapshot();
    }

    synchronized Integer primeLookupHandle(DmaBuf buf) {
        return primeByBuf.get(buf);
    }

    /** Records that {@code handle} is this file's handle for {@code buf}; takes a buffer reference. */
    synchronized void primeAdd(DmaBuf buf, int handle) {
        if (primeByBuf.containsKey(buf)) {
            return;
        }
        primeByBuf.put(buf, handle);
        primeByHandle.put(handle, buf.get());
    }

    // ------------------------------------------------------------------ syncobjs

    /**
     * {@code drm_syncobj_get_handle()}: installs a syncobj reference under a new handle. The
     * reference passes to the table; if no handle is free it is dropped and the errno thrown.
     */
    public int syncobjInstall(Syncobj syncobj) {
        try {
            return syncobjs.alloc(syncobj);
        } catch (ErrnoException e) {
            syncobj.put();
            throw e;
        }
    }

    /** {@code drm_syncobj_find()}: the syncobj with a new reference, or null. */
    public Syncobj lookupSyncobj(int handle) {
        synchronized (syncobjs) {
            Syncobj s = syncobjs.get(handle);
            return s == null ? null : s.get();
        }
    }

    /** {@code drm_syncobj_destroy()}: false for an unknown handle. */
    boolean syncobjDestroy(int handle) {
        Syncobj s;
        synchronized (syncobjs) {
            s = syncobjs.remove(handle);
        }
        if (s == null) {
            return false;
        }
        s.put();
        return true;
    }

    public Map<Integer, Syncobj> syncobjHandles() {
        return syncobjs.snapshot();
    }

    // ------------------------------------------------------------------ FileOps

    @Override
    public String kind() {
        return "drm";
    }

    @Override
    public int ioctl(UserProcess caller, int request, long arg) {
        return device.dispatcher().ioctl(this, caller, request, arg);
    }

    @Override
    public Mapping mmap(UserProcess caller, long offset, long length, int prot, int flags) {
        return device.mmap(this, caller, offset, length, prot, flags);
    }

    /** {@code drm_release()} → {@code drm_file_free()}: syncobjs, GEM handles, then the driver's postclose. */
    @Override
    public void release() {
        closed = true;
        for (Map.Entry<Integer, Syncobj> e : syncobjs.drain()) {
            e.getValue().put();
        }
        Map<Integer, GemObject> handles;
        Map<Integer, DmaBuf> primes;
        synchronized (this) {
            handles = new HashMap<>();
            for (Map.Entry<Integer, GemObject> e : gemHandles.drain()) {
                handles.put(e.getKey(), e.getValue());
            }
            primes = new HashMap<>(primeByHandle);
            primeByHandle.clear();
            primeByBuf.clear();
            gemAllowed.clear();
        }
        for (DmaBuf buf : primes.values()) {
            buf.put();
        }
        for (GemObject obj : handles.values()) {
            obj.handleClosed();
            obj.put();
        }
        device.postclose(this);
    }

    @Override
    public String toString() {
        return "drm-file#" + clientId + "[" + minor.name().toLowerCase() + ", " + openerComm + "/" + openerPid + "]";
    }
}
