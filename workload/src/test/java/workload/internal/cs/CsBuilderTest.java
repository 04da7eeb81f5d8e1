package workload.internal.cs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hw.model.internal.cs.CsDisassembler;
import hw.model.internal.cs.CsInstr;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The user-space encoder against the GPU model's own encodings and disassembler (test scope only). */
class CsBuilderTest {

    private static long one(java.util.function.Consumer<CsBuilder> emit) {
        CsBuilder b = new CsBuilder();
        emit.accept(b);
        long[] code = b.build();
        assertEquals(1, code.length);
        return code[0];
    }

    @Test
    void everyInstructionEncodesAsTheModelDecodesIt() {
        assertEquals(CsInstr.nop(), one(CsBuilder::nop));
        assertEquals(CsInstr.move32(5, 0xdeadbeef), one(b -> b.mov32(5, 0xdeadbeef)));
        assertEquals(CsInstr.move48(6, 0xffff_1234_5678L), one(b -> b.mov48(6, 0xffff_1234_5678L)));
        assertEquals(CsInstr.addImm32(3, 4, -7), one(b -> b.addImm32(3, 4, -7)));
        assertEquals(CsInstr.addImm64(2, 10, 123456), one(b -> b.addImm64(2, 10, 123456)));
        assertEquals(CsInstr.umin32(1, 2, 3), one(b -> b.umin32(1, 2, 3)));
        assertEquals(CsInstr.storeMultiple(2, 0b11, 0, 8), one(b -> b.store(2, 0b11, 0, 8)));
        assertEquals(CsInstr.loadMultiple(10, 0b11, 4, -16), one(b -> b.load(10, 0b11, 4, -16)));
        assertEquals(CsInstr.setSbEntry(1, 2), one(b -> b.setSbEntry(1, 2)));
        assertEquals(CsInstr.runCompute(1, CsInstr.AXIS_X, 0, 0, 0, 0, true), one(b -> b.runCompute(1, CsBuilder.AXIS_X, true)));
        assertEquals(CsInstr.waitMask(0b10, false), one(b -> b.waitScoreboards(0b10)));
        assertEquals(CsInstr.flushCache2(3, 3, 2, 7, 0xff, 1), one(b -> b.flushCache2(3, 3, 2, 7, 0xff, 1)));
        assertEquals(CsInstr.syncAdd64(4, 12, true, CsInstr.SCOPE_SYSTEM, 0, 0),
                one(b -> b.syncAdd64(4, 12, true, CsBuilder.SCOPE_SYSTEM, 0, 0)));
        assertEquals(CsInstr.syncSet64(4, 12, false, CsInstr.SCOPE_CSG, 0x3, 2),
                one(b -> b.syncSet64(4, 12, false, CsBuilder.SCOPE_CSG, 0x3, 2)));
        assertEquals(CsInstr.syncAdd32(4, 9, true, CsInstr.SCOPE_CSG, 0, 0), one(b -> b.syncAdd32(4, 9, true, CsBuilder.SCOPE_CSG, 0, 0)));
        assertEquals(CsInstr.syncSet32(4, 9, false, CsInstr.SCOPE_SYSTEM, 1, 3), one(b -> b.syncSet32(4, 9, false, CsBuilder.SCOPE_SYSTEM, 1, 3)));
        assertEquals(CsInstr.syncWait64(CsInstr.COND_GT, 4, 6, false), one(b -> b.syncWait64(CsBuilder.COND_GT, 4, 6, false)));
        assertEquals(CsInstr.syncWait32(CsInstr.COND_LE, 4, 7, true), one(b -> b.syncWait32(CsBuilder.COND_LE, 4, 7, true)));
        assertEquals(CsInstr.storeState(CsInstr.STATE_TIMESTAMP, 0, 16, 0, 0), one(b -> b.storeState(CsBuilder.STATE_TIMESTAMP, 0, 16, 0, 0)));
        assertEquals(CsInstr.call(80, 82), one(b -> b.call(80, 82)));
        assertEquals(CsInstr.errorBarrier(), one(CsBuilder::errorBarrier));
    }

    @Test
    void branchesToLabelsBoundBeforeAndAfter() {
        CsBuilder b = new CsBuilder();
        CsBuilder.Label forward = b.label();
        b.mov32(8, 3);
        CsBuilder.Label top = b.here();
        b.addImm32(8, 8, -1);
        b.branch(CsBuilder.COND_GT, 8, top);
        b.branch(CsBuilder.COND_ALWAYS, 8, forward);
        b.nop();
        b.bind(forward);
        b.nop();
        long[] code = b.build();
        assertEquals(CsInstr.branch(CsInstr.COND_GT, 8, -2), code[2]);
        assertEquals(CsInstr.branch(CsInstr.COND_ALWAYS, 8, 1), code[3]);
        assertEquals("BRANCH.gt r8, #-2", CsDisassembler.decode(code[2]));
    }

    @Test
    void loopJobDisassemblesAsExpected() {
        long[] code = JobStreams.loop(new CsBuilder(), 0x200_0010L, 0x1_0000_0005L, 4, 3).build();
        String[] lines = Arrays.stream(code).mapToObj(CsDisassembler::decode).toArray(String[]::new);
        assertArrayEquals(new String[] {
            "MOVE48 d0, #0x2000010",
            "MOVE48 d2, #0x100000005",
            "MOVE32 r8, #0x4",
            "ADD_IMMEDIATE64 d2, d2, #3",
            "ADD_IMMEDIATE32 r8, r8, #-1",
            "BRANCH.gt r8, #-3",
            "STORE_MULTIPLE [d0], r2:r3",
        }, lines);
    }

    @Test
    void sixtyFourBitValuesUseTwoMoves() {
        long[] code = new CsBuilder().mov64(2, 0xabcd_0000_0000_0001L).build();
        assertArrayEquals(new long[] {CsInstr.move32(2, 1), CsInstr.move32(3, 0xabcd_0000)}, code);
        assertEquals(1, new CsBuilder().mov64(2, (1L << 48) - 1).size());
    }

    @Test
    void badOperandsAreRefused() {
        CsBuilder b = new CsBuilder();
        assertThrows(IllegalArgumentException.class, () -> b.mov48(3, 1));
        assertThrows(IllegalArgumentException.class, () -> b.mov32(96, 1));
        assertThrows(IllegalArgumentException.class, () -> b.mov48(0, 1L << 48));
        assertThrows(IllegalArgumentException.class, () -> b.store(94, 0b111, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> b.store(2, 0b11, 0, 40000));
        assertThrows(IllegalArgumentException.class, () -> b.syncWait64(CsBuilder.COND_EQ, 0, 2, false));
        assertThrows(IllegalArgumentException.class, () -> b.syncAdd64(0, 2, false, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> b.loop(8, 0, () -> { }));
        assertEquals(0, b.size());
        b.branch(CsBuilder.COND_ALWAYS, 0, b.label());
        assertThrows(IllegalStateException.class, b::build);
    }

    @Test
    void bytesAreLittleEndianInstructions() {
        byte[] bytes = new CsBuilder().mov32(1, 0x11223344).toBytes();
        long ins = CsInstr.move32(1, 0x11223344);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (ins >>> (8 * i)), bytes[i]);
        }
    }
}
