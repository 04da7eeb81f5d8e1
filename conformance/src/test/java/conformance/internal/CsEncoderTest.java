package conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hw.model.internal.cs.CsInstr;
import org.junit.jupiter.api.Test;

/** The suite's encoder gives the bit patterns the model's interpreter decodes (v10.xml). */
class CsEncoderTest {

    @Test
    void encodingsMatchTheModel() {
        assertEquals(CsInstr.move48(4, 0x1234_5678_9abcL), CsEncoder.move48(4, 0x1234_5678_9abcL));
        assertEquals(CsInstr.move32(7, -2), CsEncoder.move32(7, -2));
        assertEquals(CsInstr.addImm32(4, 4, -1), CsEncoder.addImm32(4, 4, -1));
        assertEquals(CsInstr.storeMultiple(2, 0b11, 0, -8), CsEncoder.storeMultiple(2, 0b11, 0, -8));
        assertEquals(CsInstr.branch(CsInstr.COND_NE, 4, -3), CsEncoder.branch(CsEncoder.COND_NE, 4, -3));
        assertEquals(CsInstr.branch(CsInstr.COND_ALWAYS, 0, -1), CsEncoder.spin());
        assertEquals(CsInstr.syncAdd64(0, 2, false, CsInstr.SCOPE_SYSTEM, 0, 0), CsEncoder.syncAdd64(0, 2));
        assertEquals(CsInstr.syncWait64(CsInstr.COND_GT, 0, 2, false), CsEncoder.syncWait64(CsEncoder.COND_GT, 0, 2));
        long[] v = CsEncoder.move64(2, 0xfedc_ba98_7654_3210L);
        assertEquals(CsInstr.move32(2, 0x7654_3210), v[0]);
        assertEquals(CsInstr.move32(3, 0xfedc_ba98), v[1]);
    }

    @Test
    void badOperandsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CsEncoder.move48(3, 0));
        assertThrows(IllegalArgumentException.class, () -> CsEncoder.move48(2, 1L << 48));
        assertThrows(IllegalArgumentException.class, () -> CsEncoder.branch(CsEncoder.COND_EQ, 0, 40000));
    }
}
