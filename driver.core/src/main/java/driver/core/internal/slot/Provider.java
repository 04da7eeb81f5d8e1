package driver.core.internal.slot;

import driver.core.slot.ProviderInfo;
import java.util.Comparator;
import java.util.Objects;

/**
 * An implementation a slot can use: the service object and what identifies it. Outside OSGi
 * (unit tests, benchmarks) the caller makes up the service id.
 *
 * @param impl      the {@code impl} service property
 * @param ranking   {@code service.ranking}
 * @param serviceId {@code service.id}; identifies the provider in the slot
 * @param origin    the bundle it comes from, for display
 * @param service   the implementation object
 */
public record Provider<T>(String impl, int ranking, long serviceId, String origin, T service) {

    public Provider {
        Objects.requireNonNull(impl);
        Objects.requireNonNull(origin);
        Objects.requireNonNull(service);
    }

    /**
     * Best first: the wanted implementation, then the highest ranking, then the lowest service
     * id (the DS order for unary references, FELIX-950).
     */
    static <T> Comparator<Provider<T>> bestFirst(String preferred) {
        Comparator<Provider<T>> byPreference = Comparator.comparing(p -> !p.impl().equals(preferred));
        return byPreference
                .thenComparing(Comparator.comparingInt((Provider<T> p) -> p.ranking()).reversed())
                .thenComparingLong(Provider::serviceId);
    }

    ProviderInfo info(boolean active) {
        return new ProviderInfo(impl, ranking, serviceId, origin, active);
    }
}
