package driver.core.internal.drm;

import driver.core.kernel.Syncobj;
import driver.core.user.FileOps;

/** The opaque file behind a syncobj fd ({@code drm_syncobj_file_fops}); owns one syncobj reference. */
final class SyncobjFile implements FileOps {

    private final Syncobj syncobj;

    /** Takes over one reference on {@code syncobj}. */
    SyncobjFile(Syncobj syncobj) {
        this.syncobj = syncobj;
    }

    Syncobj syncobj() {
        return syncobj;
    }

    @Override
    public String kind() {
        return "syncobj";
    }

    @Override
    public void release() {
        syncobj.put();
    }
}
