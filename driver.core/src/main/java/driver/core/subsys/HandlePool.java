package driver.core.subsys;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** A per-file id table (an xarray with a limit): lowest free id first; full is {@code EBUSY}. */
@ProviderType
public interface HandlePool {

    /**
     * Stores {@code value} under the lowest free id.
     *
     * @throws driver.core.uapi.ErrnoException EBUSY when the pool is full
     */
    int alloc(Object value);

    /** The value under {@code id}, or null. */
    Object get(int id);

    /** Removes and returns the value under {@code id}, or null. */
    Object remove(int id);

    /** Every entry, by id. */
    Map<Integer, Object> snapshot();

    int size();
}
