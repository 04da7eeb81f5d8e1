package hw.model.regs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.Mmio;
import hw.model.internal.GpuModel;
import hw.model.regs.typed.AsCommand;
import hw.model.regs.typed.AsFaultstatus;
import hw.model.regs.typed.AsTranscfg;
import hw.model.regs.typed.AsTranstab;
import hw.model.regs.typed.ExceptionType;
import hw.model.regs.typed.FlushMode;
import hw.model.regs.typed.GpuCommand;
import hw.model.regs.typed.GpuCommandFlush;
import hw.model.regs.typed.GpuCommandReset;
import hw.model.regs.typed.GpuCommandType;
import hw.model.regs.typed.GpuCycleCount;
import hw.model.regs.typed.GpuId;
import hw.model.regs.typed.GpuIntMask;
import hw.model.regs.typed.GpuMmuFeatures;
import hw.model.regs.typed.JobIntClear;
import hw.model.regs.typed.GpuL2Present;
import hw.model.regs.typed.L2Ready;
import hw.model.regs.typed.McuControl;
import hw.model.regs.typed.McuStatus;
import hw.model.regs.typed.RegisterIo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed binding against the model and against scripted fake MMIO. */
class TypedBindingTest {

    /** Records accesses; register values come from a function so tests can script changes. */
    private static final class FakeMmio implements Mmio {
        final List<String> log = new ArrayList<>();
        final java.util.function.IntUnaryOperator reader;

        FakeMmio(java.util.function.IntUnaryOperator reader) {
            this.reader = reader;
        }

        @Override public int size() { return 2 << 20; }

        @Override
        public int read32(int offset) {
            log.add("r" + Integer.toHexString(offset));
            return reader.applyAsInt(offset);
        }

        @Override
        public void write32(int offset, int value) {
            log.add("w" + Integer.toHexString(offset) + "=" + Integer.toHexString(value));
        }
    }

    @Test
    void gpuIdOnTheModel() {
        GpuModel model = new GpuModel();
        try {
            GpuId id = GpuId.read(model.mmio());
            assertEquals(10, id.archMajor());
            assertEquals(7, id.productMajor());
            assertEquals(8, id.archMinor());
            GpuMmuFeatures mmu = GpuMmuFeatures.read(model.mmio());
            assertEquals(48, mmu.vaBits());
            assertEquals(40, mmu.paBits());
            assertEquals(1L, GpuL2Present.read(model.mmio()).raw());
            assertEquals(L2Ready.OFFSET, MaliRegs.L2_READY_LO);
        } finally {
            model.shutdown();
        }
    }

    @Test
    void sixtyFourBitReadDoesNotTearWhenHiChangesBetweenReads() {
        // A counter at 0x1_ffff_ffff that carries into HI right after the first HI read.
        long[] counter = {0x1_ffff_ffffL};
        int lo = GpuCycleCount.OFFSET;
        int[] reads = {0};
        FakeMmio mmio = new FakeMmio(off -> {
            long v = counter[0];
            if (reads[0]++ == 0) {
                counter[0]++;
            }
            return off == lo ? (int) v : (int) (v >>> 32);
        });
        assertEquals(0x2_0000_0000L, GpuCycleCount.read(mmio).raw());
        assertEquals(List.of("r94", "r90", "r94", "r90", "r94"), mmio.log, "HI, LO, HI, then again until HI is stable");

        // The naive LO-then-HI read of the same sequence returns a value that never existed.
        counter[0] = 0x1_ffff_ffffL;
        reads[0] = 0;
        FakeMmio naive = new FakeMmio(off -> {
            long v = counter[0];
            if (reads[0]++ == 0) {
                counter[0]++;
            }
            return off == lo ? (int) v : (int) (v >>> 32);
        });
        assertEquals(0x2_ffff_ffffL, naive.read64Raw(lo));
    }

    @Test
    void stableHiReadsOnce() {
        FakeMmio mmio = new FakeMmio(off -> off == 0x2480 ? 0x1234_5000 : 0x7);
        assertEquals(0x7_1234_5000L, AsTranstab.read(mmio, 2).raw());
        assertEquals(3, mmio.log.size());
    }

    @Test
    void sixtyFourBitWriteIsLoThenHi() {
        FakeMmio mmio = new FakeMmio(off -> 0);
        AsTranstab.of(0x12_3456_7000L).write(mmio, 2);
        assertEquals(List.of("w2480=34567000", "w2484=12"), mmio.log);
        assertEquals(MaliRegs.AS_TRANSTAB_LO(2), 0x2480);
    }

    @Test
    void commandsMatchTheCStyleBinding() {
        assertEquals(MaliRegs.GPU_SOFT_RESET, GpuCommandReset.gpuSoftReset().raw());
        assertEquals(MaliRegs.GPU_HARD_RESET, GpuCommandReset.gpuHardReset().raw());
        assertEquals(MaliRegs.GPU_FLUSH_CACHES(MaliRegs.CACHE_CLEAN | MaliRegs.CACHE_INV, MaliRegs.CACHE_CLEAN | MaliRegs.CACHE_INV, 0),
                GpuCommandFlush.gpuFlushCaches(FlushMode.CLEAN_INV, FlushMode.CLEAN_INV, FlushMode.NONE).raw());
        GpuCommand cmd = GpuCommand.of(MaliRegs.GPU_SOFT_RESET);
        assertEquals(GpuCommandType.RESET, cmd.type());
        assertEquals(GpuCommandReset.Mode.SOFT, cmd.asReset().mode());
        assertEquals(MaliRegs.AS_COMMAND_FLUSH_MEM, AsCommand.zero().withCommand(AsCommand.Command.FLUSH_MEM).raw());

        FakeMmio mmio = new FakeMmio(off -> 0);
        AsCommand.zero().withCommand(AsCommand.Command.UPDATE).write(mmio, 5);
        assertEquals(List.of("w" + Integer.toHexString(MaliRegs.AS_COMMAND(5)) + "=1"), mmio.log);
    }

    @Test
    void transcfgBuildsWhatPanthorWrites() {
        long panthor = MaliRegs.AS_TRANSCFG_PTW_MEMATTR_WB | MaliRegs.AS_TRANSCFG_PTW_RA
                | MaliRegs.AS_TRANSCFG_ADRMODE_AARCH64_4K | MaliRegs.AS_TRANSCFG_INA_BITS(55 - 48);
        AsTranscfg typed = AsTranscfg.zero()
                .withPtwMemattr(AsTranscfg.PtwMemattr.WB)
                .withPtwRa(true)
                .withAdrmode(AsTranscfg.Adrmode.AARCH64_4K)
                .withInaBits(7);
        assertEquals(panthor, typed.raw());
        assertEquals(AsTranscfg.PtwSh.NS, typed.ptwSh());
    }

    @Test
    void irqLayoutsAndBits() {
        GpuIntMask m = GpuIntMask.zero().withFault(true).withResetCompleted(true).withCleanCachesCompleted(true);
        assertEquals(MaliRegs.GPU_IRQ_FAULT | MaliRegs.GPU_IRQ_RESET_COMPLETED | MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED, m.raw());
        JobIntClear c = JobIntClear.zero().withGlobalIf(true).withCsgIf(2, true);
        assertEquals(MaliRegs.JOB_INT_GLOBAL_IF | MaliRegs.JOB_INT_CSG_IF(2), c.raw());
        assertTrue(c.csgIf(2));
        assertThrows(IndexOutOfBoundsException.class, () -> c.csgIf(31));
    }

    @Test
    void decodingFaultsAndUnknownValues() {
        AsFaultstatus fs = AsFaultstatus.of(0x0042_03c8);
        assertEquals(ExceptionType.PERM_FAULT_0, fs.exceptionType());
        assertEquals(AsFaultstatus.AccessType.WRITE, fs.accessType());
        assertEquals(0x42, fs.sourceId());
        assertNull(AsFaultstatus.of(0x01).exceptionType(), "0x01 is no exception type");
        assertEquals(0x01, AsFaultstatus.of(0x01).exceptionTypeRaw());
        assertEquals(McuStatus.State.DISABLED, McuStatus.of(0).state());
        assertTrue(fs.toString().contains("EXCEPTION_TYPE=PERM_FAULT_0"), fs.toString());
    }

    @Test
    void misuseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> McuControl.zero().withModeRaw(4));
        assertThrows(IllegalArgumentException.class, () -> AsTranscfg.zero().withInaBits(32));
        assertThrows(NullPointerException.class, () -> McuControl.zero().withMode(null));
        assertThrows(IndexOutOfBoundsException.class, () -> AsCommand.offset(16));
        assertThrows(IndexOutOfBoundsException.class, () -> AsCommand.zero().write(new FakeMmio(o -> 0), -1));
    }

    @Test
    void valueSemantics() {
        assertEquals(McuControl.of(2), McuControl.zero().withMode(McuControl.Mode.AUTO));
        assertNotEquals(McuControl.of(1), McuControl.of(2));
        assertEquals(McuControl.of(2).hashCode(), McuControl.zero().withMode(McuControl.Mode.AUTO).hashCode());
        assertEquals(0L, RegisterIo.read64(new FakeMmio(o -> 0), 0x100));
    }
}
