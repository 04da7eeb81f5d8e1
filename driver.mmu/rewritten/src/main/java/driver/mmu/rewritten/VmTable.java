package driver.mmu.rewritten;

import driver.core.subsys.mmu.VmRef;
import driver.mmu.rewritten.vm.Vm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Every VM of the device by key, and the next key to hand out. A key is used once per device
 * life; a VM that could not be created does not use one. Thread-safe.
 */
final class VmTable {

    private final TreeMap<Long, Vm> byKey = new TreeMap<>();
    private long nextKey = 1;

    /** Creates a VM with the next key (the key is used only if {@code create} succeeds). */
    synchronized Vm add(LongFunction<Vm> create) {
        Vm vm = create.apply(nextKey);
        byKey.put(vm.key(), vm);
        nextKey++;
        return vm;
    }

    synchronized Optional<Vm> find(VmRef ref) {
        return ref == null ? Optional.empty() : Optional.ofNullable(byKey.get(ref.key()));
    }

    synchronized Vm byKey(long key) {
        return byKey.get(key);
    }

    synchronized void remove(Vm vm) {
        byKey.remove(vm.key(), vm);
    }

    /** Every VM, by key. */
    synchronized List<Vm> all() {
        List<Vm> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparingLong(Vm::key));
        return out;
    }

    synchronized long nextKey() {
        return nextKey;
    }

    synchronized void replace(Map<Long, Vm> vms, long next) {
        byKey.clear();
        byKey.putAll(vms);
        nextKey = next;
    }
}
