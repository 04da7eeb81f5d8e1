package driver.core.subsys.mmu;

/**
 * A VM, named the same way by every MMU implementation: {@code key} is unique on the device
 * for the VM's life and part of {@link MmuState}, so a reference taken before a swap still
 * names the same VM after it. This is what the file's VM pool, a BO's exclusive VM, a group
 * and a tiler heap hold (C: a {@code struct panthor_vm *}).
 */
public record VmRef(long key) {
    @Override
    public String toString() {
        return "vm#" + key;
    }
}
