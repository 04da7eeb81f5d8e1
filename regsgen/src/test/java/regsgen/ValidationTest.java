package regsgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every validation rule is a build error reported as file:line: message. */
class ValidationTest {

    private static List<String> errors(String text) {
        RegsException e = assertThrows(RegsException.class, () -> Parser.parse("t.regs", text));
        return e.errors();
    }

    /** Exactly one error, at {@code line}, whose message contains {@code fragment}. */
    private static void oneError(String text, int line, String fragment) {
        List<String> errs = errors(text);
        assertEquals(1, errs.size(), () -> "errors: " + errs);
        String e = errs.get(0);
        assertTrue(e.startsWith("t.regs:" + line + ": "), () -> "wrong position: " + e);
        assertTrue(e.contains(fragment), () -> "message lacks '" + fragment + "': " + e);
    }

    /** The first error is at {@code line} and contains {@code fragment}. */
    private static void firstError(String text, int line, String fragment) {
        List<String> errs = errors(text);
        String e = errs.get(0);
        assertTrue(e.startsWith("t.regs:" + line + ": ") && e.contains(fragment), () -> "errors: " + errs);
    }

    private static String block(String body) {
        return "Block B 0x0 0x100\n" + body + "EndBlock\n";
    }

    @Test
    void validDescriptionParses() {
        Model.Spec s = Parser.parse("t.regs", block("Reg R 0x0 32 rw\n Field 3:0 A\n Field 4 B\nEndReg\n"));
        assertEquals(2, s.register("R").layout.fields.size());
    }

    @Test
    void unknownStatementAtTopLevel() {
        oneError("# comment\n\nRegister R 0 32 ro\n", 3, "unknown statement 'Register'");
    }

    @Test
    void unknownStatementInRegister() {
        oneError(block("Reg R 0x0 32 rw\n Feild 3:0 A\nEndReg\n"), 3, "unknown statement 'Feild'");
    }

    @Test
    void unknownStatementInEnum() {
        oneError(block("Reg R 0x0 32 rw\n Enum 1:0 E\n  1 ONE\n  TWO 2\n EndEnum\nEndReg\n"), 5, "unknown statement 'TWO'");
    }

    @Test
    void unterminatedBlock() {
        oneError("Block B 0x0 0x100\nReg R 0x0 32 rw\nEndReg\n", 1, "unterminated Block B (missing EndBlock)");
    }

    @Test
    void unterminatedRegister() {
        List<String> errs = errors("Block B 0x0 0x100\nReg R 0x0 32 rw\n");
        assertEquals(List.of("t.regs:2: unterminated Reg R (missing EndReg)",
                "t.regs:1: unterminated Block B (missing EndBlock)"), errs);
    }

    @Test
    void unterminatedEnum() {
        List<String> errs = errors("Enum E 4\n 1 ONE\n");
        assertEquals(List.of("t.regs:1: unterminated Enum E (missing EndEnum)"), errs);
    }

    @Test
    void mismatchedEndIsUnknownInThatContext() {
        firstError(block("Reg R 0x0 32 rw\nEndBlock\n"), 3, "unknown statement 'EndBlock' in Reg R");
    }

    @Test
    void overlappingFields() {
        oneError(block("Reg R 0x0 32 rw\n Field 7:0 A\n Field 8:4 B\nEndReg\n"), 4, "B (8:4) overlaps A (7:0)");
    }

    @Test
    void res0OverlappingAField() {
        oneError(block("Reg R 0x0 32 rw\n Field 7:0 A\n Res0 31:7\nEndReg\n"), 4, "Res0 31:7 overlaps A (7:0)");
    }

    @Test
    void fieldOutsideRegisterWidth() {
        oneError(block("Reg R 0x0 32 rw\n Field 35:32 A\nEndReg\n"), 3, "outside the 32-bit R");
    }

    @Test
    void fieldWiderThanSixtyFourBits() {
        oneError(block("Reg R 0x0 64 rw\n Field 64:0 A\nEndReg\n"), 3, "beyond 63");
    }

    @Test
    void reversedRange() {
        oneError(block("Reg R 0x0 32 rw\n Field 0:3 A\nEndReg\n"), 3, "msb < lsb");
    }

    @Test
    void duplicateRegisterName() {
        oneError(block("Reg R 0x0 32 rw\nEndReg\nReg R 0x4 32 rw\nEndReg\n"), 4, "duplicate name: register R");
    }

    @Test
    void duplicateFieldName() {
        oneError(block("Reg R 0x0 32 rw\n Field 1 A\n Field 2 A\nEndReg\n"), 4, "duplicate field A in R");
    }

    @Test
    void duplicateEnumValueName() {
        oneError("Enum E 4\n 1 ONE\n 2 ONE\nEndEnum\n", 3, "duplicate enum value name ONE");
    }

    @Test
    void duplicateEnumValue() {
        oneError("Enum E 4\n 1 ONE\n 1 UNO\nEndEnum\n", 3, "duplicate enum value 0x1");
    }

    @Test
    void duplicateGeneratedConstant() {
        // Field flag R_A and an explicit constant R_A would be one Java identifier.
        oneError("Const R_A 1\n" + block("Reg R 0x0 32 rw\n Field 0 A\nEndReg\n"), 4, "duplicate name: field R_A");
    }

    @Test
    void duplicateJavaClassName() {
        oneError(block("Reg R_A 0x0 32 rw\nEndReg\nReg R2 0x4 32 rw java=RA\nEndReg\n"), 4, "duplicate name: Java class RA");
    }

    @Test
    void duplicateLayoutAndBlock() {
        List<String> errs = errors("Fields L 32\nEndFields\nFields L 32\nEndFields\n"
                + "Block B 0x0 0x10\nEndBlock\nBlock B 0x10 0x10\nEndBlock\n");
        assertEquals(2, errs.size(), errs::toString);
        assertTrue(errs.get(0).startsWith("t.regs:3: duplicate layout L"), errs::toString);
        assertTrue(errs.get(1).startsWith("t.regs:7: duplicate block B"), errs::toString);
    }

    @Test
    void overlappingRegisters() {
        oneError(block("Reg A 0x0 64 rw\nEndReg\nReg B 0x4 32 rw\nEndReg\n"), 4, "register B at 0x4 overlaps A at 0x0");
    }

    @Test
    void overlappingArrayInstances() {
        // R(1) at 0x8 lands on S at 0x8.
        oneError(block("Reg R 0x0 32 ro\n Array i 4 0x8\nEndReg\nReg S 0x8 32 ro\nEndReg\n"), 5, "register S at 0x8 overlaps R(1) at 0x8");
    }

    @Test
    void arrayBlockInstancesOverlappingAnotherBlock() {
        oneError("Block A 0x0 0x10\n Array i 4 0x10\nEndBlock\nBlock C 0x30 0x10\nEndBlock\n", 4, "block C at 0x30 overlaps A[3]");
    }

    @Test
    void registerOutsideItsBlock() {
        oneError(block("Reg R 0x100 32 ro\nEndReg\n"), 2, "ends at 0x104, outside block B");
    }

    @Test
    void misalignedRegister() {
        oneError(block("Reg R 0x4 64 ro\nEndReg\n"), 2, "not aligned");
    }

    @Test
    void enumValueDoesNotFitItsField() {
        oneError(block("Reg R 0x0 32 rw\n Enum 1:0 E\n  4 FOUR\n EndEnum\nEndReg\n"), 4, "FOUR = 0x4 does not fit in 2 bit(s)");
    }

    @Test
    void standaloneEnumValueDoesNotFitTheFieldUsingIt() {
        oneError("Enum E 8\n 0x10 BIG\nEndEnum\n" + block("Reg R 0x0 32 rw\n Field 3:0 F E\nEndReg\n"), 6,
                "BIG = 0x10 of E does not fit in field F (3:0)");
    }

    @Test
    void unknownLayoutAndEnumReferences() {
        List<String> errs = errors(block("Reg R 0x0 32 rw\n Fields NOPE\nEndReg\nReg S 0x4 32 rw\n Field 3:0 F NOENUM\nEndReg\n"));
        assertEquals(2, errs.size(), errs::toString);
        assertTrue(errs.get(0).contains("unknown layout NOPE"), errs::toString);
        assertTrue(errs.get(1).contains("unknown enum NOENUM"), errs::toString);
    }

    @Test
    void sharedLayoutWiderThanRegister() {
        oneError("Fields L 64\n Field 40 X\nEndFields\n" + block("Reg R 0x0 32 rw\n Fields L\nEndReg\n"), 5, "wider than register R");
    }

    @Test
    void sharedLayoutExcludesOwnFields() {
        oneError("Fields L 32\nEndFields\n" + block("Reg R 0x0 32 rw\n Fields L\n Field 0 X\nEndReg\n"), 6, "uses shared layout L");
    }

    @Test
    void encodeChecksFieldsAndValues() {
        List<String> errs = errors(block("Reg R 0x0 32 wo\n Field 3:0 A\n Enum 7:4 M\n  1 ONE\n EndEnum\n"
                + " Encode X1 NOPE\n Encode X2 M=TWO\n Encode X3 A=0x10\nEndReg\n"));
        assertEquals(3, errs.size(), errs::toString);
        assertTrue(errs.get(0).startsWith("t.regs:7: Encode X1: no field NOPE"), errs::toString);
        assertTrue(errs.get(1).startsWith("t.regs:8: Encode X2: TWO is not a value of field M"), errs::toString);
        assertTrue(errs.get(2).startsWith("t.regs:9: Encode X3: 0x10 does not fit"), errs::toString);
    }

    @Test
    void badNumbersNamesAndOptions() {
        List<String> errs = errors(block("Reg R 0xZZ 32 rw\nEndReg\nReg s 0x8 32 rw\nEndReg\nReg T 0x10 32 rx\nEndReg\n"
                + "Reg U 0x14 32 ro colour=red\nEndReg\nReg V 0x18 16 ro\nEndReg\n"));
        assertEquals(5, errs.size(), errs::toString);
        assertTrue(errs.get(0).contains("bad number '0xZZ'"), errs::toString);
        assertTrue(errs.get(1).contains("bad name 's'"), errs::toString);
        assertTrue(errs.get(2).contains("bad access 'rx'"), errs::toString);
        assertTrue(errs.get(3).contains("unknown option 'colour='"), errs::toString);
        assertTrue(errs.get(4).contains("width must be 32 or 64"), errs::toString);
    }

    @Test
    void arrayInsideArrayBlockIsRejected() {
        oneError("Block B 0x0 0x10\n Array i 2 0x10\n Reg R 0x0 32 ro\n  Array j 2 0x4\n EndReg\nEndBlock\n", 4,
                "cannot be an array inside array block B");
    }

    @Test
    void allErrorsAreReportedNotJustTheFirst() {
        List<String> errs = errors("Bogus\n" + block("Reg R 0x0 32 rw\n Field 40 A\nEndReg\n") + "Other\n");
        assertEquals(3, errs.size(), errs::toString);
        assertTrue(errs.get(0).startsWith("t.regs:1:"));
        assertTrue(errs.get(1).startsWith("t.regs:4:"));
        assertTrue(errs.get(2).startsWith("t.regs:7:"));
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        Model.Spec s = Parser.parse("t.regs", "# x\n\n" + block("  Reg R 0x0 32 ro   # trailing\n\n  EndReg\n"));
        assertEquals(0x0, s.register("R").offset);
    }
}
