package hw.model.internal.mmu;

/**
 * A read-only snapshot of one address space: the registers as written, the configuration
 * the last UPDATE latched, command and fault state, the locked region and TLB statistics.
 * {@code lockLast} is inclusive (a lock of the whole 64-bit space ends at -1).
 */
public record AsState(
        int as,
        long transtab,
        long memattr,
        long lockaddr,
        long transcfg,
        long activeTranstab,
        long activeMemattr,
        long activeTranscfg,
        int status,
        boolean stuck,
        int faultStatus,
        long faultAddress,
        long faultExtra,
        boolean locked,
        long lockFirst,
        long lockLast,
        long commands,
        long tlbHits,
        long tlbMisses,
        long tlbWalks,
        long tlbInvalidations,
        int tlbEntries) {

    public boolean asActive() {
        return (status & MmuBlock.AS_STATUS_AS_ACTIVE) != 0;
    }

    public int exceptionType() {
        return faultStatus & 0xFF;
    }

    public int accessType() {
        return (faultStatus >>> 8) & 3;
    }

    public int sourceId() {
        return faultStatus >>> 16;
    }
}
