package driver.core.slot;

/**
 * An implementation available to a slot.
 *
 * @param impl      its {@code impl} property
 * @param ranking   its {@code service.ranking}
 * @param serviceId its {@code service.id}
 * @param origin    where it comes from, e.g. {@code driver.mmu.cstyle 0.1.0 [bundle 7]}
 * @param active    whether it owns the slot's state
 */
public record ProviderInfo(String impl, int ranking, long serviceId, String origin, boolean active) {
}
