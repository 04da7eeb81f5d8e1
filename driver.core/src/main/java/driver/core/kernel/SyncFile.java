package driver.core.kernel;

/**
 * A sync_file: an immutable wrapper around one fence, the fd form in which fences cross
 * process and driver boundaries ({@code sync_file_create()}). Signaling or resetting the
 * syncobj it was exported from does not affect it.
 */
public record SyncFile(DmaFence fence) {

    public SyncFile {
        if (fence == null) {
            throw new IllegalArgumentException("a sync_file needs a fence");
        }
    }

    /** {@code SYNC_IOC_FILE_INFO} status: 1 signaled, 0 active, negative errno on error. */
    public int status() {
        if (!fence.isSignaled()) {
            return 0;
        }
        int err = fence.error();
        return err != 0 ? err : 1;
    }
}
