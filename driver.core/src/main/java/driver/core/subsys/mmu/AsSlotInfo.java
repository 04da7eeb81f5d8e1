package driver.core.subsys.mmu;

/**
 * An address space for {@code mmu:as}.
 *
 * @param as        AS number (AS0 is the MCU's)
 * @param vm        the VM bound to it, null if free
 * @param active    whether the VM is active (not evictable)
 * @param faulted   whether the AS is disabled after a fault
 * @param lruOrder  eviction order among idle VMs (lower is evicted first), -1 if not idle
 */
public record AsSlotInfo(int as, VmRef vm, boolean active, boolean faulted, long lruOrder) {
}
