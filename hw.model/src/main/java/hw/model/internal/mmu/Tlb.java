package hw.model.internal.mmu;

import java.util.Arrays;

/**
 * DOC: Translation lookaside buffer.
 *
 * One per address space: a direct-mapped table of {@value #SIZE} entries indexed by a hash
 * of the VA page number. An entry maps one 4 KiB VA page to its PA page with the walk's
 * flags (permissions, leaf level, block size); a 2 MiB or 1 GiB block is cached page by
 * page as it is used, each entry remembering its block size so that invalidating any part
 * of the block drops it (as a TLBI by VA drops the block entry covering it). A conflicting
 * fill evicts the previous occupant, which is the only way an entry leaves the TLB without
 * an MMU command: otherwise the TLB keeps serving what it cached, even after the page tables
 * in memory change.
 *
 * Entries are immutable and published by a plain array store, so a lookup is lock-free and
 * allocation-free: one array load and a tag compare. Fills and invalidations happen under
 * the model lock; each invalidation bumps {@link #generation}, which the GPU buses compare
 * against to drop the one translation they keep on the side. Counters are plain fields,
 * exact when one thread uses the AS and approximate under concurrent use.
 */
public final class Tlb {

    public static final int SIZE = 1024;

    /** One cached translation. */
    public static final class Entry {
        final long vpn;
        final long pa;
        final int flags;

        Entry(long vpn, long pa, int flags) {
            this.vpn = vpn;
            this.pa = pa;
            this.flags = flags;
        }

        public long vpn() { return vpn; }
        public long pa() { return pa; }
        public int flags() { return flags; }

        long firstVa() {
            int shift = PageTableWalker.blockShift(flags);
            return (vpn << 12) & ~((1L << shift) - 1);
        }

        long lastVa() {
            return firstVa() + (1L << PageTableWalker.blockShift(flags)) - 1;
        }
    }

    private final Entry[] slots = new Entry[SIZE];
    volatile int generation;
    long hits;
    long misses;
    long walks;
    long invalidations;

    static int index(long vpn) {
        return (int) (vpn ^ (vpn >>> 10)) & (SIZE - 1);
    }

    /** The cached translation of VA page {@code vpn}, or null. */
    public Entry lookup(long vpn) {
        Entry e = slots[index(vpn)];
        return e != null && e.vpn == vpn ? e : null;
    }

    Entry fill(long vpn, long pa, int flags) {
        Entry e = new Entry(vpn, pa, flags);
        slots[index(vpn)] = e;
        return e;
    }

    /** Drops every entry whose page or block overlaps [first, last] (unsigned, inclusive). */
    void invalidate(long first, long last) {
        for (int i = 0; i < SIZE; i++) {
            Entry e = slots[i];
            if (e != null && Long.compareUnsigned(e.firstVa(), last) <= 0 && Long.compareUnsigned(first, e.lastVa()) <= 0) {
                slots[i] = null;
            }
        }
        invalidations++;
        generation++;
    }

    void invalidateAll() {
        Arrays.fill(slots, null);
        invalidations++;
        generation++;
    }

    void resetCounters() {
        hits = 0;
        misses = 0;
        walks = 0;
        invalidations = 0;
    }

    public int entries() {
        int n = 0;
        for (Entry e : slots) {
            if (e != null) {
                n++;
            }
        }
        return n;
    }

    public int generation() { return generation; }
    public long hits() { return hits; }
    public long misses() { return misses; }
    public long walks() { return walks; }
    public long invalidations() { return invalidations; }
}
