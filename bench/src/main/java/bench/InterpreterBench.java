package bench;

import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.GpuModel;
import hw.model.internal.SparseMemory;
import hw.model.internal.cs.CommandStream;
import hw.model.internal.cs.CsAssembler;
import hw.model.internal.cs.CsHost;
import hw.model.internal.cs.CsInstr;
import hw.model.internal.cs.CsState;
import hw.model.internal.cs.RingPointers;
import hw.model.internal.mmu.PageTableBuilder;
import hw.model.regs.MaliRegs;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Command-stream interpreter speed. Goal (issue 3): at least 20 million simple instructions
 * per second on one core.
 *
 * The program is a counted loop, {@code MOVE32 r0, #N; loop: ADD_IMMEDIATE32 r0, r0, #-1;
 * BRANCH.gt r0, loop}, 2N + 1 instructions per invocation; the score is instructions per
 * second. Parameters:
 * <ul>
 *   <li>{@code bus}: {@code identity} fetches through a trivial VA == PA GpuBus over
 *       SparseMemory (interpreter cost alone); {@code mmu} fetches through the real MMU
 *       ({@code MmuBlock.bus(as)}) with the code mapped by 4 KiB pages in AS 1, as the
 *       firmware runs queues.
 *   <li>{@code where}: {@code ring} runs the loop in the ring buffer itself; {@code call}
 *       runs it in a buffer CALLed from the ring (Panthor's layout for user streams).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InterpreterBench {

    private static final int N = 1_000_000;
    private static final int INSTRUCTIONS = 2 * N + 1;
    private static final int AS = 1;
    private static final long RING_VA = 0x10_0000_0000L;
    private static final long RING_SIZE = 4096;
    private static final long BUF_VA = RING_VA + 0x10_0000;
    private static final long RING_PA = 0x400_0000L;
    private static final long BUF_PA = 0x410_0000L;

    @Param({"identity", "mmu"})
    public String bus;

    @Param({"ring", "call"})
    public String where;

    private GpuModel model;
    private GpuBus gpuBus;
    private final CommandStream cs = new CommandStream();
    private final Ring ring = new Ring();
    private final Host host = new Host();
    private long programBytes;

    @Setup
    public void setUp() {
        SparseMemory memory;
        if (bus.equals("mmu")) {
            model = new GpuModel();
            memory = model.memory();
            PageTableBuilder pt = new PageTableBuilder(memory, 0x100_0000L, 1L << 20);
            pt.map4k(RING_VA, RING_PA, 0);
            pt.map4k(BUF_VA, BUF_PA, 0);
            var mmio = model.mmio();
            mmio.write64(MaliRegs.AS_TRANSTAB(AS), pt.root());
            mmio.write64(MaliRegs.AS_MEMATTR(AS), PageTableBuilder.MEMATTR);
            mmio.write64(MaliRegs.AS_TRANSCFG(AS), PageTableBuilder.transcfg(48));
            mmio.write32(MaliRegs.AS_COMMAND(AS), MaliRegs.AS_COMMAND_UPDATE);
            if (!model.clock().await(() -> (mmio.read32(MaliRegs.AS_STATUS(AS)) & 1) == 0, 1_000_000L)) {
                throw new IllegalStateException("AS UPDATE did not complete");
            }
            gpuBus = model.mmu().bus(AS);
        } else {
            memory = new SparseMemory(40);
            gpuBus = new IdentityBus(memory, RING_VA, RING_PA, BUF_VA, BUF_PA);
        }
        CsAssembler loop = new CsAssembler().move32(0, N);
        CsAssembler.Label top = loop.here();
        loop.addImm32(0, 0, -1).branch(CsInstr.COND_GT, 0, top);
        if (where.equals("call")) {
            loop.writeTo(memory, BUF_PA);
            CsAssembler root = new CsAssembler().move48(20, BUF_VA).move32(22, loop.byteSize()).call(20, 22);
            root.writeTo(memory, RING_PA);
            programBytes = root.byteSize();
        } else {
            loop.writeTo(memory, RING_PA);
            programBytes = loop.byteSize();
        }
        long before = cs.instructions();
        if (runOnce() != CsState.IDLE || cs.instructions() - before < INSTRUCTIONS) {
            throw new IllegalStateException("benchmark program did not run: " + cs);
        }
    }

    @TearDown
    public void tearDown() {
        if (model != null) {
            model.shutdown();
        }
    }

    private CsState runOnce() {
        cs.bind(RING_VA, RING_SIZE, 0);
        ring.insert = programBytes;
        return cs.run(gpuBus, ring, Long.MAX_VALUE, host);
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long countedLoop() {
        runOnce();
        return cs.instructions();
    }

    static final class Ring implements RingPointers {
        long insert;
        long extract;

        @Override
        public long insert() {
            return insert;
        }

        @Override
        public void extract(long extract) {
            this.extract = extract;
        }
    }

    static final class Host implements CsHost {
        @Override
        public long shaderCoreMask() {
            return 0x50005;
        }

        @Override
        public void syncUpdated(CommandStream cs, long va, boolean is64) {
        }

        @Override
        public long flushCaches(CommandStream cs, int l2Mode, int lscMode, int otherMode, int latestFlushId) {
            return 100;
        }
    }

    /** The two code pages mapped VA to PA by offset; everything else faults. */
    static final class IdentityBus implements GpuBus {
        private final SparseMemory memory;
        private final long va0;
        private final long pa0;
        private final long va1;
        private final long pa1;

        IdentityBus(SparseMemory memory, long va0, long pa0, long va1, long pa1) {
            this.memory = memory;
            this.va0 = va0;
            this.pa0 = pa0;
            this.va1 = va1;
            this.pa1 = pa1;
        }

        private long pa(long va, int access) throws GpuFault {
            long page = va & ~0xfffL;
            if (page == va0) {
                return pa0 + (va & 0xfff);
            }
            if (page == va1) {
                return pa1 + (va & 0xfff);
            }
            throw new GpuFault(AS, va, 0xC3, access);
        }

        @Override
        public int as() {
            return AS;
        }

        @Override
        public long read64(long va) throws GpuFault {
            return memory.read64(pa(va, GpuFault.ACCESS_READ));
        }

        @Override
        public void write64(long va, long value) throws GpuFault {
            memory.write64(pa(va, GpuFault.ACCESS_WRITE), value);
        }

        @Override
        public int read32(long va) throws GpuFault {
            return memory.read32(pa(va, GpuFault.ACCESS_READ));
        }

        @Override
        public void write32(long va, int value) throws GpuFault {
            memory.write32(pa(va, GpuFault.ACCESS_WRITE), value);
        }

        @Override
        public long fetch64(long va) throws GpuFault {
            return memory.read64(pa(va, GpuFault.ACCESS_EXECUTE));
        }
    }
}
