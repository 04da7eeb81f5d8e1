package hw.model.internal.cs;

import static hw.model.internal.cs.CsInstr.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CsAssemblerTest {

    /** Words from Panthor's queue_run_job() (addr_reg = 92, val_reg = 94, 8 scoreboards). */
    @Test
    void encodingsMatchPanthorRingWords() {
        assertEquals((2L << 56) | (94L << 48) | 0x55, move32(94, 0x55));
        assertEquals((36L << 56) | (94L << 40) | 0x233,
                flushCache2(FLUSH_CLEAN_INVALIDATE, FLUSH_CLEAN_INVALIDATE, FLUSH_OTHER_INVALIDATE, 94, 0, 0));
        assertEquals((1L << 56) | (92L << 48) | 0x1234_5678_9000L, move48(92, 0x1234_5678_9000L));
        assertEquals((3L << 56) | (1 << 16), waitMask(1, false));
        assertEquals((32L << 56) | (92L << 40) | (94L << 32), call(92, 94));
        assertEquals((3L << 56) | (0xffL << 16), waitMask(0xff, false));
        assertEquals((51L << 56) | (92L << 40) | (94L << 32) | 1, syncAdd64(92, 94, true, SCOPE_SYSTEM, 0, 0));
        assertEquals(47L << 56, errorBarrier());
        assertEquals((40L << 56) | (92L << 40) | (1L << 32), storeState(STATE_CYCLE_COUNT, 92, 0, 0, 0));
    }

    @Test
    void encodingsPlaceFieldsWhereV10SaysTheyAre() {
        assertEquals(0x1600_0500_5000_fffeL, branch(COND_GE, 5, -2));
        assertEquals(0x1007_0300_ffff_fff6L, addImm32(7, 3, -10));
        assertEquals(0x1104_0600_0000_0010L, addImm64(4, 6, 16));
        assertEquals(0x1403_0a00_0005_fff8L, loadMultiple(3, 0b101, 10, -8));
        assertEquals(0x1503_0a00_0005_0010L, storeMultiple(3, 0b101, 10, 16));
        assertEquals(0x2700_0c02_1000_0001L, syncWait32(COND_GT, 12, 2, true));
        assertEquals(0x2503_0c02_00ff_0005L, syncAdd32(12, 2, true, SCOPE_CSG, 0xff, 3));
        assertEquals(0x0400_e900_0000_4003L, runCompute(3, AXIS_Y, 1, 2, 2, 3, false));
        assertEquals(0x1700_0000_0000_0021L, setSbEntry(1, 2));
        assertEquals(0x1202_0304_0000_0000L, umin32(2, 3, 4));
    }

    @Test
    void disassembly() {
        assertEquals("NOP", CsDisassembler.decode(nop()));
        assertEquals("MOVE48 d92, #0x1000", CsDisassembler.decode(move48(92, 0x1000)));
        assertEquals("MOVE32 r5, #0xffffffff", CsDisassembler.decode(move32(5, -1)));
        assertEquals("WAIT #0xff", CsDisassembler.decode(waitMask(0xff, false)));
        assertEquals("WAIT.progress_inc #0x1", CsDisassembler.decode(waitMask(1, true)));
        assertEquals("RUN_COMPUTE.y.srt1.spd2.tsd2.fau3 #3", CsDisassembler.decode(runCompute(3, AXIS_Y, 1, 2, 2, 3, false)));
        assertEquals("ADD_IMMEDIATE32 r7, r3, #-10", CsDisassembler.decode(addImm32(7, 3, -10)));
        assertEquals("ADD_IMMEDIATE64 d4, d6, #16", CsDisassembler.decode(addImm64(4, 6, 16)));
        assertEquals("UMIN32 r2, r3, r4", CsDisassembler.decode(umin32(2, 3, 4)));
        assertEquals("LOAD_MULTIPLE r3:r5, [d10 - 8]", CsDisassembler.decode(loadMultiple(3, 0b101, 10, -8)));
        assertEquals("STORE_MULTIPLE [d10 + 16], r4 (base r3)", CsDisassembler.decode(storeMultiple(3, 0b10, 10, 16)));
        assertEquals("BRANCH.ge r5, #-2", CsDisassembler.decode(branch(COND_GE, 5, -2)));
        assertEquals("BRANCH.always r0, #3", CsDisassembler.decode(branch(COND_ALWAYS, 0, 3)));
        assertEquals("SET_SB_ENTRY #1, #2", CsDisassembler.decode(setSbEntry(1, 2)));
        assertEquals("CALL d92, r94", CsDisassembler.decode(call(92, 94)));
        assertEquals("JUMP d2, r4", CsDisassembler.decode(jump(2, 4)));
        assertEquals("FLUSH_CACHE2.l2_clean_invalidate.lsc_clean_invalidate.other_invalidate r94, #0x0, #0",
                CsDisassembler.decode(flushCache2(3, 3, 2, 94, 0, 0)));
        assertEquals("SYNC_ADD64.propagate.system [d92], d94, #0x0, #0",
                CsDisassembler.decode(syncAdd64(92, 94, true, SCOPE_SYSTEM, 0, 0)));
        assertEquals("SYNC_SET32.csg [d0], r2, #0xff, #3", CsDisassembler.decode(syncSet32(0, 2, false, SCOPE_CSG, 0xff, 3)));
        assertEquals("SYNC_WAIT32.gt.reject [d12], r2", CsDisassembler.decode(syncWait32(COND_GT, 12, 2, true)));
        assertEquals("SYNC_WAIT64.le.inherit [d0], d2", CsDisassembler.decode(syncWait64(COND_LE, 0, 2, false)));
        assertEquals("STORE_STATE.timestamp [d92 + 8], #0x0, #0", CsDisassembler.decode(storeState(0, 92, 8, 0, 0)));
        assertEquals("ERROR_BARRIER", CsDisassembler.decode(errorBarrier()));
        assertEquals("PROGRESS_LOAD d4", CsDisassembler.decode(progressLoad(4)));
        assertEquals("REQ_RESOURCE.compute.tiler", CsDisassembler.decode(reqResource(true, false, true, false)));
        assertEquals("UNKNOWN_10 0x12", CsDisassembler.decode(0x0A00_0000_0000_0012L));
        assertEquals("UNKNOWN_255 0x0", CsDisassembler.decode(0xFF00_0000_0000_0000L));
        assertNull(CsDisassembler.mnemonic(10));
        assertEquals("CS_INSTR_INVALID", CsException.name(0x49));
        assertEquals("TRANSLATION_FAULT_3", CsException.name(0xC3));
        assertEquals("UNKNOWN_0x42", CsException.name(0x42));
        assertEquals("SYNC_WAIT32", CsDisassembler.mnemonic(39));
    }

    /**
     * Round trip: random operands encode to words whose fields decode back to the operands,
     * and the text is lossless (two different words never print the same).
     */
    @Test
    void randomRoundTrip() {
        Random rnd = new Random(42);
        Map<String, Long> seen = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            int r1 = rnd.nextInt(48) * 2;
            int r2 = rnd.nextInt(48) * 2;
            int r3 = rnd.nextInt(96);
            int imm = rnd.nextInt();
            int off16 = rnd.nextInt(65536) - 32768;
            int mask16 = rnd.nextInt(65536);
            int slot = rnd.nextInt(8);
            int cond = rnd.nextInt(7);
            long imm48 = rnd.nextLong() >>> 16;

            check(seen, move48(r1, imm48), w -> field(w, 48, 8) == r1 && field(w, 0, 48) == imm48);
            check(seen, move32(r3, imm), w -> ufield(w, 48, 8) == r3 && (int) field(w, 0, 32) == imm);
            check(seen, addImm32(r3, r1, imm), w -> ufield(w, 48, 8) == r3 && ufield(w, 40, 8) == r1 && sfield(w, 0, 32) == imm);
            check(seen, addImm64(r1, r2, imm), w -> ufield(w, 48, 8) == r1 && ufield(w, 40, 8) == r2 && sfield(w, 0, 32) == imm);
            check(seen, loadMultiple(r3, mask16, r1, off16),
                    w -> ufield(w, 48, 8) == r3 && ufield(w, 16, 16) == mask16 && ufield(w, 40, 8) == r1 && sfield(w, 0, 16) == off16);
            check(seen, storeMultiple(r3, mask16, r1, off16),
                    w -> ufield(w, 48, 8) == r3 && ufield(w, 16, 16) == mask16 && ufield(w, 40, 8) == r1 && sfield(w, 0, 16) == off16);
            check(seen, branch(cond, r3, off16), w -> ufield(w, 28, 3) == cond && ufield(w, 40, 8) == r3 && sfield(w, 0, 16) == off16);
            check(seen, call(r1, r3), w -> ufield(w, 40, 8) == r1 && ufield(w, 32, 8) == r3);
            check(seen, jump(r1, r3), w -> ufield(w, 40, 8) == r1 && ufield(w, 32, 8) == r3);
            check(seen, syncAdd64(r1, r2, (imm & 1) != 0, (imm & 2) != 0 ? SCOPE_CSG : SCOPE_SYSTEM, mask16, slot),
                    w -> ufield(w, 40, 8) == r1 && ufield(w, 32, 8) == r2 && field(w, 0, 1) == (imm & 1)
                            && ufield(w, 1, 2) == ((imm & 2) != 0 ? 2 : 0) && ufield(w, 16, 16) == mask16 && ufield(w, 48, 4) == slot);
            check(seen, syncSet32(r1, r3, false, SCOPE_SYSTEM, mask16, slot),
                    w -> ufield(w, 40, 8) == r1 && ufield(w, 32, 8) == r3 && ufield(w, 48, 4) == slot);
            check(seen, syncWait64(cond & 1, r1, r2, (imm & 4) != 0),
                    w -> ufield(w, 28, 4) == (cond & 1) && ufield(w, 40, 8) == r1 && ufield(w, 32, 8) == r2
                            && field(w, 0, 1) == ((imm & 4) != 0 ? 1 : 0));
            check(seen, flushCache2(imm & 1, (imm & 2) != 0 ? 3 : 0, (imm & 4) != 0 ? 2 : 0, r3, mask16, slot),
                    w -> ufield(w, 0, 4) == (imm & 1) && ufield(w, 40, 8) == r3 && ufield(w, 16, 16) == mask16 && ufield(w, 48, 4) == slot);
            check(seen, storeState(imm & 3, r1, off16, mask16, slot),
                    w -> ufield(w, 32, 2) == (imm & 3) && ufield(w, 40, 8) == r1 && sfield(w, 0, 16) == off16);
            check(seen, waitMask(mask16 & 0xff, (imm & 8) != 0), w -> ufield(w, 16, 8) == (mask16 & 0xff));
            check(seen, runCompute(mask16 & 0x3fff, Math.floorMod(imm, 3), slot & 3, (slot >> 1) & 3, r3 & 3, (r3 >> 2) & 3, false),
                    w -> ufield(w, 0, 14) == (mask16 & 0x3fff) && ufield(w, 40, 2) == (slot & 3));
        }
    }

    private static void check(Map<String, Long> seen, long word, Function<Long, Boolean> fieldsOk) {
        assertTrue(fieldsOk.apply(word), () -> String.format("fields of 0x%016x (%s)", word, CsDisassembler.decode(word)));
        String text = CsDisassembler.decode(word);
        Long prev = seen.putIfAbsent(text, word);
        assertTrue(prev == null || prev == word, () -> String.format("'%s' printed for 0x%x and 0x%x", text, prev, word));
    }

    @Test
    void labelsResolveForwardAndBackward() {
        CsAssembler a = new CsAssembler();
        CsAssembler.Label fwd = a.label();
        a.branch(COND_ALWAYS, 0, fwd);              // 0 -> 3: offset 2
        CsAssembler.Label back = a.here();           // 1
        a.nop();                                     // 1
        a.branch(COND_NE, 4, back);                  // 2 -> 1: offset -2
        a.bind(fwd);                                 // 3
        a.nop();
        assertEquals(2, sfield(a.get(0), 0, 16));
        assertEquals(-2, sfield(a.get(2), 0, 16));
        assertEquals(4, ufield(a.get(2), 40, 8));
        assertEquals(3, fwd.index());
        assertThrows(IllegalStateException.class, () -> a.bind(fwd));
        assertThrows(IllegalStateException.class, () -> a.verify(a.label()));
    }

    @Test
    void assemblerRejectsBadOperands() {
        assertThrows(IllegalArgumentException.class, () -> move48(3, 0));
        assertThrows(IllegalArgumentException.class, () -> move48(2, 1L << 48));
        assertThrows(IllegalArgumentException.class, () -> move32(256, 0));
        assertThrows(IllegalArgumentException.class, () -> branch(COND_LE, 0, 40000));
        assertThrows(IllegalArgumentException.class, () -> loadMultiple(0, 0x1_0000, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> call(1, 2));
        assertThrows(IllegalArgumentException.class, () -> waitMask(0x100, false));
        assertThrows(IllegalArgumentException.class, () -> flushCache2(16, 0, 0, 0, 0, 0));
    }

    @Test
    void move64AndPaddingAndBytes() {
        CsAssembler a = new CsAssembler().move64(4, 0x1234L).move64(6, 0xFFFF_0000_0000_0001L).padTo(8);
        assertEquals(8, a.size());
        assertEquals(move48(4, 0x1234L), a.get(0));
        assertEquals(move32(6, 1), a.get(1));
        assertEquals(move32(7, 0xFFFF_0000), a.get(2));
        assertEquals(nop(), a.get(7));
        byte[] b = a.toBytes();
        assertEquals(64, b.length);
        assertEquals(0x34, b[0]);
        assertEquals(0x12, b[1]);
        assertEquals(MOVE48, b[7]);
        assertEquals(64, a.byteSize());
    }

    @Test
    void listingShowsOffsetsWordsAndText() {
        String l = CsDisassembler.listing(0x1000, new long[] {nop(), errorBarrier()});
        assertTrue(l.contains("0000000000001008: 2f00000000000000  ERROR_BARRIER"), l);
    }
}
