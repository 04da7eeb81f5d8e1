package hw.model.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The model's hardware event trace: a running hash of every visible hardware event with its
 * virtual time. Two deterministic runs of the same scenario give the same hash.
 */
@ProviderType
public interface EventLog {

    long hash();

    long count();

    /** The last {@code n} events in text form, oldest first. */
    List<String> recent(int n);
}
