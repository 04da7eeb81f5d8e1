package driver.mmu.rewritten;

import static driver.mmu.rewritten.ModelFixture.map;
import static driver.mmu.rewritten.ModelFixture.pattern;
import static driver.mmu.rewritten.ModelFixture.unmap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import driver.core.kernel.GemObject;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.VmRef;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.regs.typed.AsCommand;
import hw.model.regs.typed.GpuCommand;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both page-table update sequences on the model's TLB: Panthor's (LOCK, update, GPU_CMD
 * FLUSH_CACHES, UNLOCK) and Tyr's (LOCK, update, FLUSH_PT). The register writes of a remap
 * and of a partial unmap inside a 2 MiB block are recorded, the TLB holds the old
 * translations before, and the GPU sees the new ones after: no stale translation survives a
 * bind with either.
 */
class FlushSequencesTest {

    @ParameterizedTest
    @CsvSource({"cstyle, LOCK FLUSH_CACHES UNLOCK", "rewritten, LOCK FLUSH_PT"})
    void remapAndBlockSplitLeaveNoStaleTranslation(String impl, String sequence) throws GpuFault {
        try (ModelFixture f = new ModelFixture(impl)) {
            GemObject a = f.bo(Lpae.SZ_2M, 1);
            GemObject b = f.bo(Lpae.SZ_4K, 2);
            int ha = f.file.addGem(a);
            int hb = f.file.addGem(b);
            int vm = f.vmCreate();
            VmRef ref = f.mmu.lookupVm(f.file, vm);
            assertEquals(0, f.mmu.vmActive(ref));
            int as = f.mmu.vmAs(ref);
            GpuBus bus = f.model.mmu().bus(as);
            long va = 8 * Lpae.SZ_2M;
            f.bind(vm, map(ha, 0, va, Lpae.SZ_2M, 0));
            for (int page = 0; page < 8; page++) {
                assertEquals(pattern(1, page, 0), bus.read64(va + page * Lpae.SZ_4K));
            }
            assertNotNull(f.model.mmu().tlb(as).lookup((va + 3 * Lpae.SZ_4K) >>> 12), "cached");

            f.mmio.recording = true;
            f.bind(vm, map(hb, 0, va + 3 * Lpae.SZ_4K, Lpae.SZ_4K, 0));
            f.mmio.recording = false;
            assertEquals(sequence, commands(f, as));
            assertEquals(pattern(2, 0, 0), bus.read64(va + 3 * Lpae.SZ_4K), "the remapped page, not the old one");
            assertEquals(pattern(1, 4, 0), bus.read64(va + 4 * Lpae.SZ_4K), "the rest of the split block");

            f.mmio.writes.clear();
            f.mmio.recording = true;
            f.bind(vm, unmap(va + 5 * Lpae.SZ_4K, 2 * Lpae.SZ_4K));
            f.mmio.recording = false;
            assertEquals(sequence, commands(f, as));
            assertThrows(GpuFault.class, () -> bus.read64(va + 5 * Lpae.SZ_4K));
            assertThrows(GpuFault.class, () -> bus.read64(va + 6 * Lpae.SZ_4K));
            assertEquals(pattern(1, 7, 0), bus.read64(va + 7 * Lpae.SZ_4K));
        }
    }

    /** The AS commands on {@code as} and GPU_CMD cache flushes, in order. */
    private static String commands(ModelFixture f, int as) {
        List<String> out = f.mmio.writes.stream()
                .filter(w -> w[0] == AsCommand.offset(as) || w[0] == GpuCommand.OFFSET)
                .map(w -> w[0] == GpuCommand.OFFSET ? "FLUSH_CACHES" : AsCommand.Command.of((int) w[1]).name())
                .collect(Collectors.toList());
        return String.join(" ", out);
    }
}
