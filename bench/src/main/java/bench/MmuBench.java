package bench;

import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.GpuModel;
import hw.model.internal.mmu.PageTableBuilder;
import hw.model.internal.mmu.PageTableWalker;
import hw.model.regs.MaliRegs;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MMU cost. Goal (issue 3): a TLB hit costs no more than a hash lookup.
 *
 * <ul>
 *   <li>{@code walk4Level}: one 4-level page-table walk (PageTableWalker.translate), the
 *       work of every TLB miss; 1e9 / score = walks per second.
 *   <li>{@code tlbMissRead64}: GpuBus.read64 over 65536 pages, so every access misses the
 *       1024-entry TLB: lookup, miss path under the model lock, walk, fill, read.
 *   <li>{@code tlbHitRead64SamePage}: GpuBus.read64 within one page (the bus's side
 *       translation: the command-stream interpreter's common case).
 *   <li>{@code tlbHitRead64Rotating}: GpuBus.read64 round-robin over 64 pages: every access
 *       is a TLB-table hit (lock-free lookup) but misses the bus's side translation.
 *   <li>baselines, same run: {@code baselineHashMapGet} (HashMap&lt;Long, Long&gt;.get with
 *       pre-boxed keys), {@code baselineLongTable} (open-addressing long-keyed lookup) and
 *       {@code baselinePhysRead64} (the physical read every bus access ends with).
 * </ul>
 * A TLB hit is within the goal if {@code tlbHitRead64*} - {@code baselinePhysRead64} is no
 * more than {@code baselineHashMapGet}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MmuBench {

    private static final int AS = 1;
    private static final long VA_BASE = 0x10_0000_0000L;
    private static final long PA_BASE = 0x2000_0000L;
    private static final int MISS_PAGES = 1 << 16;
    private static final int HIT_PAGES = 64;

    private GpuModel model;
    private GpuBus bus;
    private PageTableWalker walker;
    private long root;
    private long transcfg;
    private int i;
    private long[] missVas;
    private long[] hitVas;
    private Long[] boxedKeys;
    private Map<Long, Long> hashMap;
    private long[] tableKeys;
    private long[] tableValues;

    @Setup
    public void setUp() {
        model = new GpuModel();
        PageTableBuilder pt = new PageTableBuilder(model.memory(), 0x100_0000L, 64L << 20);
        missVas = new long[MISS_PAGES];
        for (int p = 0; p < MISS_PAGES; p++) {
            long va = VA_BASE + ((long) p << 12);
            pt.map4k(va, PA_BASE + ((long) (p & 255) << 12), 0);
            missVas[p] = va + 8 * (p & 7);
        }
        hitVas = new long[HIT_PAGES];
        for (int p = 0; p < HIT_PAGES; p++) {
            hitVas[p] = VA_BASE + ((long) p << 12) + 16;
        }
        root = pt.root();
        transcfg = PageTableBuilder.transcfg(48);
        var mmio = model.mmio();
        mmio.write64(MaliRegs.AS_TRANSTAB(AS), root);
        mmio.write64(MaliRegs.AS_MEMATTR(AS), PageTableBuilder.MEMATTR);
        mmio.write64(MaliRegs.AS_TRANSCFG(AS), transcfg);
        mmio.write32(MaliRegs.AS_COMMAND(AS), MaliRegs.AS_COMMAND_UPDATE);
        if (!model.clock().await(() -> (mmio.read32(MaliRegs.AS_STATUS(AS)) & 1) == 0, 1_000_000L)) {
            throw new IllegalStateException("UPDATE did not complete");
        }
        bus = model.mmu().bus(AS);
        walker = new PageTableWalker(model.memory());

        hashMap = new HashMap<>();
        boxedKeys = new Long[HIT_PAGES];
        tableKeys = new long[256];
        tableValues = new long[256];
        java.util.Arrays.fill(tableKeys, -1L);
        for (int p = 0; p < HIT_PAGES; p++) {
            long vpn = hitVas[p] >>> 12;
            boxedKeys[p] = vpn;
            hashMap.put(vpn, PA_BASE + ((long) p << 12));
            int slot = (int) (vpn * 0x9E37_79B9_7F4A_7C15L >>> 56);
            while (tableKeys[slot] != -1L) {
                slot = (slot + 1) & 255;
            }
            tableKeys[slot] = vpn;
            tableValues[slot] = PA_BASE + ((long) p << 12);
        }
    }

    @TearDown
    public void tearDown() {
        model.shutdown();
    }

    @Benchmark
    public long walk4Level() {
        long va = missVas[i++ & (MISS_PAGES - 1)];
        return walker.translate(root, transcfg, PageTableBuilder.MEMATTR, va) + walker.pa;
    }

    @Benchmark
    public long tlbMissRead64() throws GpuFault {
        return bus.read64(missVas[i++ & (MISS_PAGES - 1)]);
    }

    @Benchmark
    public long tlbHitRead64SamePage() throws GpuFault {
        return bus.read64(VA_BASE + ((i++ & 511) << 3));
    }

    @Benchmark
    public long tlbHitRead64Rotating() throws GpuFault {
        return bus.read64(hitVas[i++ & (HIT_PAGES - 1)]);
    }

    @Benchmark
    public Long baselineHashMapGet() {
        return hashMap.get(boxedKeys[i++ & (HIT_PAGES - 1)]);
    }

    @Benchmark
    public long baselineLongTable() {
        long vpn = hitVas[i++ & (HIT_PAGES - 1)] >>> 12;
        int slot = (int) (vpn * 0x9E37_79B9_7F4A_7C15L >>> 56);
        while (true) {
            long k = tableKeys[slot];
            if (k == vpn) {
                return tableValues[slot];
            }
            if (k == -1L) {
                return -1L;
            }
            slot = (slot + 1) & 255;
        }
    }

    @Benchmark
    public long baselinePhysRead64() {
        return model.memory().read64(PA_BASE + ((i++ & 511) << 3));
    }
}
