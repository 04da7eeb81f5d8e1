package driver.mmu.rewritten.hw;

import driver.core.kernel.pgtable.Lpae;
import driver.mmu.rewritten.MmuError;
import hw.model.api.Mmio;
import hw.model.api.VirtualTime;
import hw.model.regs.typed.AsCommand;
import hw.model.regs.typed.AsLockaddr;
import hw.model.regs.typed.AsMemattr;
import hw.model.regs.typed.AsStatus;
import hw.model.regs.typed.AsTranscfg;
import hw.model.regs.typed.AsTranstab;
import hw.model.regs.typed.MmuIntClear;

/**
 * DOC: The address-space registers, through the typed binding (Tyr's {@code mmu/address_space.rs}).
 *
 * Every MMU command waits for {@code AS_STATUS.AS_ACTIVE} to clear first and after (a command
 * written while the AS is busy is lost). The wait is Panthor's 100 ms on virtual time (Tyr
 * polls 50 µs for 10 ms; the longer bound is kept so a stuck AS fails a call after the same
 * virtual time with either implementation). A timeout is an {@link MmuError} of kind
 * {@code HARDWARE_TIMEOUT}.
 *
 * <p>The page-table update sequence is Tyr's: LOCK the region, update, FLUSH_PT. On this MMU
 * FLUSH_PT drops the locked region's TLB entries and unlocks it (hw.model's {@code MmuBlock}),
 * so no UNLOCK follows. Panthor instead flushes L2/LSC with GPU_CMD FLUSH_CACHES and UNLOCKs.
 */
public final class AsRegisters {

    /** {@code wait_ready()} bound. */
    public static final long READY_TIMEOUT_NS = 100_000_000L;

    private final Mmio mmio;
    private final VirtualTime time;

    public AsRegisters(Mmio mmio, VirtualTime time) {
        this.mmio = mmio;
        this.time = time;
    }

    /** The AS translation configuration of a VM: AArch64 4 KiB, write-back read-allocate walks. */
    public static AsTranscfg transcfg(int vaBits, boolean coherent) {
        AsTranscfg cfg = AsTranscfg.zero()
                .withAdrmode(AsTranscfg.Adrmode.AARCH64_4K)
                .withInaBits(55 - vaBits)
                .withPtwMemattr(AsTranscfg.PtwMemattr.WB)
                .withPtwRa(true);
        return coherent ? cfg.withPtwSh(AsTranscfg.PtwSh.OS) : cfg;
    }

    private void awaitIdle(int as) {
        if (!time.await(() -> !AsStatus.read(mmio, as).asActive(), READY_TIMEOUT_NS)) {
            throw new MmuError(MmuError.Kind.HARDWARE_TIMEOUT, "AS" + as + " AS_ACTIVE stuck");
        }
    }

    /** Waits for the AS, issues {@code command}, waits for it to complete. */
    public void command(int as, AsCommand.Command command) {
        awaitIdle(as);
        AsCommand.zero().withCommand(command).write(mmio, as);
        awaitIdle(as);
    }

    /** LOCK the naturally aligned region (≥ 32 KiB) covering [start, start + size). */
    public void lock(int as, long start, long size) {
        awaitIdle(as);
        AsLockaddr.of(Lpae.lockRegion(start, size)).write(mmio, as);
        command(as, AsCommand.Command.LOCK);
    }

    /** Points the AS at a level-0 table and latches it (FLUSH_MEM of the whole space first). */
    public void enable(int as, long transtab, AsTranscfg transcfg, long memattr) {
        lock(as, 0, ~0L);
        command(as, AsCommand.Command.FLUSH_MEM);
        AsTranstab.of(transtab).write(mmio, as);
        AsMemattr.of(memattr).write(mmio, as);
        transcfg.write(mmio, as);
        command(as, AsCommand.Command.UPDATE);
    }

    /** Turns translation off on the AS: every access faults. */
    public void disable(int as) {
        enable(as, 0, AsTranscfg.zero().withAdrmode(AsTranscfg.Adrmode.UNMAPPED), 0);
    }

    /** The level-0 table AS {@code as} was pointed at (its TRANSTAB register). */
    public long translationTable(int as) {
        return AsTranstab.read(mmio, as).raw() & Lpae.PTE_ADDR_MASK;
    }

    /** Acknowledges the AS's page-fault interrupt. */
    public void clearFault(int as) {
        MmuIntClear.zero().withPageFault(as, true).write(mmio);
    }
}
