package driver.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dma-buf: a GEM object exported for sharing ({@code PRIME_HANDLE_TO_FD}). The buffer is
 * referenced by every fd (in any process) that refers to it and by the PRIME tables of the
 * DRM files that hold a handle for it; it holds one reference on the object, dropped when the
 * last buffer reference goes ({@code drm_gem_dmabuf_release}). {@link #exporter()} identifies
 * the exporting device, so importing on that device gives back the same object (self-import)
 * rather than an imported one.
 */
public final class DmaBuf {

    private final GemObject object;
    private final Object exporter;
    private final AtomicInteger refs = new AtomicInteger(1);

    /** A buffer with one reference owned by the caller; takes over one reference on {@code object}. */
    public DmaBuf(GemObject object, Object exporter) {
        this.object = object;
        this.exporter = exporter;
    }

    public GemObject object() {
        return object;
    }

    public Object exporter() {
        return exporter;
    }

    public long size() {
        return object.size();
    }

    public DmaBuf get() {
        if (refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("dma-buf used after release");
        }
        return this;
    }

    /** Drops a reference; the last one releases the object reference. */
    public void put() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            synchronized (object) {
                if (object.exportedDmaBuf() == this) {
                    object.setExportedDmaBuf(null);
                }
            }
            object.put();
        } else if (left < 0) {
            throw new IllegalStateException("dma-buf over-released");
        }
    }

    public int refCount() {
        return refs.get();
    }

    @Override
    public String toString() {
        return "dmabuf[" + object + "]";
    }
}
