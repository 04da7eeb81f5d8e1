package driver.mmu.rewritten.vm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * DOC: A VM's mappings by VA, and the drm_gpuvm split steps.
 *
 * Mappings never overlap. {@link #planUnmap} computes what an unmap of a range does to each
 * mapping it touches, as values ({@link Step}): the mapping goes, and the pieces before and
 * after the range (if any) stay as mappings of their own. {@link #apply} commits a step after
 * the page tables were updated. Guarded by the owning VM's lock.
 */
public final class MappingTree {

    /**
     * What an unmap does to one mapping: {@code removed} goes; {@code before}/{@code after} are
     * the pieces outside [{@code unmapStart}, {@code unmapEnd}) that stay.
     */
    public record Step(Mapping removed, long unmapStart, long unmapEnd, Optional<Mapping> before,
                       Optional<Mapping> after) {
        public boolean keepsSomething() {
            return before.isPresent() || after.isPresent();
        }
    }

    private final TreeMap<Long, Mapping> byVa = new TreeMap<>();

    /** The mappings overlapping [va, va + size), by VA. */
    public List<Mapping> overlapping(long va, long size) {
        List<Mapping> out = new ArrayList<>();
        Map.Entry<Long, Mapping> floor = byVa.floorEntry(va);
        long from = floor != null ? floor.getKey() : va;
        for (Mapping m : byVa.tailMap(from, true).values()) {
            if (m.va() >= va + size) {
                break;
            }
            if (m.end() > va) {
                out.add(m);
            }
        }
        return out;
    }

    /** The steps an unmap of [va, va + size) takes, by VA. */
    public List<Step> planUnmap(long va, long size) {
        long end = va + size;
        List<Step> steps = new ArrayList<>();
        for (Mapping m : overlapping(va, size)) {
            long start = Math.max(va, m.va());
            long stop = Math.min(end, m.end());
            Optional<Mapping> before = m.va() < start ? Optional.of(m.slice(m.va(), start - m.va())) : Optional.empty();
            Optional<Mapping> after = stop < m.end() ? Optional.of(m.slice(stop, m.end() - stop)) : Optional.empty();
            steps.add(new Step(m, start, stop, before, after));
        }
        return steps;
    }

    /** Commits a step: the removed mapping goes, the kept pieces come in. */
    public void apply(Step step) {
        byVa.remove(step.removed().va());
        step.before().ifPresent(this::insert);
        step.after().ifPresent(this::insert);
    }

    public void insert(Mapping m) {
        byVa.put(m.va(), m);
    }

    /** The mapping starting exactly at {@code va}. */
    public Optional<Mapping> at(long va) {
        return Optional.ofNullable(byVa.get(va));
    }

    public Collection<Mapping> all() {
        return byVa.values();
    }

    public boolean isEmpty() {
        return byVa.isEmpty();
    }

    public int size() {
        return byVa.size();
    }

    /** [first VA, end of the last mapping), or empty. */
    public Optional<long[]> span() {
        if (byVa.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new long[] {byVa.firstKey(), byVa.lastEntry().getValue().end()});
    }

    public long mappedBytes() {
        long sum = 0;
        for (Mapping m : byVa.values()) {
            sum += m.size();
        }
        return sum;
    }

    public void clear() {
        byVa.clear();
    }
}
