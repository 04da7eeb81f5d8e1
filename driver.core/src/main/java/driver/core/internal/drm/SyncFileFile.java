package driver.core.internal.drm;

import driver.core.kernel.SyncFile;
import driver.core.user.FileOps;

/** The file behind a sync_file fd (SYNC_IOC_* ioctls are not modelled: ENOTTY). */
final class SyncFileFile implements FileOps {

    private final SyncFile syncFile;

    SyncFileFile(SyncFile syncFile) {
        this.syncFile = syncFile;
    }

    SyncFile syncFile() {
        return syncFile;
    }

    @Override
    public String kind() {
        return "sync_file";
    }
}
