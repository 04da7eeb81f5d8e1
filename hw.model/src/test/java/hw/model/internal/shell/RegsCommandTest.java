package hw.model.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.api.Mmio;
import hw.model.internal.GpuModel;
import hw.model.regs.MaliRegs;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegsCommandTest {

    private GpuModel model;
    private final RegsCommand cmd = new RegsCommand();

    @BeforeEach
    void setUp() {
        model = new GpuModel();
    }

    @AfterEach
    void tearDown() {
        model.shutdown();
    }

    private static String row(String dump, String register) {
        return Arrays.stream(dump.split("\n"))
                .filter(l -> l.matches("\\s+0x[0-9a-f]+\\s+" + java.util.regex.Pattern.quote(register) + "\\s.*")
                        || l.matches("\\s+0x[0-9a-f]+\\s+" + java.util.regex.Pattern.quote(register)))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + register + " in\n" + dump));
    }

    @Test
    void identificationRegistersDecodeToTheG610() {
        String out = cmd.regs(model.mmio(), "GPU_CONTROL");
        String id = row(out, "GPU_ID");
        assertTrue(id.contains("0xa8670005"), id);
        assertTrue(id.contains("ARCH_MAJOR=0xa ARCH_MINOR=0x8 ARCH_REV=0x6 PRODUCT_MAJOR=0x7"), id);
        assertTrue(row(out, "GPU_MMU_FEATURES").contains("PA_BITS=0x28 VA_BITS=0x30"), out);
        assertTrue(row(out, "GPU_AS_PRESENT").contains("AS={0,1,2,3,4,5,6,7}"), out);
        assertTrue(row(out, "GPU_SHADER_PRESENT").contains("0x0000000000050005"), out);
        assertTrue(row(out, "GPU_TEXTURE_FEATURES(0)").contains("0xc1ffff9e"), out);
        assertTrue(row(out, "GPU_L2_FEATURES").contains("LOG2_LINE_SIZE=0x6"), out);
        assertTrue(row(out, "GPU_MEM_FEATURES").contains("GROUPS_L2_COHERENT"), out);
        assertTrue(row(out, "GPU_CMD").contains("write-only"), out);
        assertTrue(out.startsWith("GPU_CONTROL @ 0x00000"), out);
    }

    @Test
    void columnsAreAligned() {
        String out = cmd.regs(model.mmio(), "GPU_CONTROL");
        List<String> lines = Arrays.stream(out.split("\n")).filter(l -> l.startsWith("  ")).toList();
        int valueCol = lines.get(0).indexOf("VALUE");
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.length() > valueCol && l.charAt(valueCol - 1) == ' ' && l.charAt(valueCol) != ' ', "misaligned: " + l);
        }
    }

    @Test
    void oneAddressSpace() {
        String out = cmd.regs(model.mmio(), "mmu_as3");
        assertTrue(out.startsWith("MMU_AS3 @ 0x024c0"), out);
        assertTrue(row(out, "AS_TRANSTAB").trim().startsWith("0x024c0"), out);
        assertTrue(row(out, "AS_COMMAND").contains("write-only"), out);
        assertTrue(row(out, "AS_TRANSCFG").contains("ADRMODE="), out);
    }

    @Test
    void allBlocksShowOnlyPresentAddressSpaces() {
        String out = cmd.regs(model.mmio(), null);
        for (String b : List.of("GPU_CONTROL @", "JOB_CONTROL @", "MMU @", "MMU_AS0 @", "MMU_AS7 @", "CSF @")) {
            assertTrue(out.contains("\n" + b) || out.startsWith(b), "missing " + b);
        }
        assertFalse(out.contains("MMU_AS8 @"), "AS_PRESENT is 0xff");
        assertTrue(row(out, "CSF_DOORBELL(0..23)").contains("write-only"), out);
    }

    @Test
    void unknownBlockIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cmd.regs(model.mmio(), "GPU"));
        assertTrue(e.getMessage().contains("GPU_CONTROL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cmd.regs(model.mmio(), "MMU_AS16"));
    }

    /** Enum fields decode by value name, unnamed values in hex, flags by name when set. */
    @Test
    void decodesEnumsAndFlagsFromRegisterValues() {
        Map<Integer, Integer> regs = new HashMap<>();
        regs.put(MaliRegs.GPU_AS_PRESENT, 0x3);
        regs.put(MaliRegs.AS_FAULTSTATUS(1), 0x0042_02c1);
        regs.put(MaliRegs.AS_STATUS(1), MaliRegs.AS_STATUS_AS_ACTIVE);
        regs.put(MaliRegs.AS_TRANSCFG_LO(1), (int) (MaliRegs.AS_TRANSCFG_ADRMODE_AARCH64_4K | MaliRegs.AS_TRANSCFG_INA_BITS(7)
                | MaliRegs.AS_TRANSCFG_PTW_MEMATTR_WB | MaliRegs.AS_TRANSCFG_PTW_RA));
        regs.put(MaliRegs.MCU_STATUS, MaliRegs.MCU_STATUS_ENABLED);
        regs.put(MaliRegs.GPU_COHERENCY_PROTOCOL, 5);
        Mmio fake = new Mmio() {
            @Override public int size() { return 2 << 20; }
            @Override public int read32(int offset) { return regs.getOrDefault(offset, 0); }
            @Override public void write32(int offset, int value) { throw new AssertionError("gpu:regs must not write"); }
        };
        String as = cmd.regs(fake, "MMU_AS");
        assertTrue(as.contains("MMU_AS0 @") && as.contains("MMU_AS1 @") && !as.contains("MMU_AS2 @"), as);
        String fs = row(as.substring(as.indexOf("MMU_AS1 @")), "AS_FAULTSTATUS");
        assertTrue(fs.contains("SOURCE_ID=0x42 ACCESS_TYPE=READ EXCEPTION_TYPE=TRANSLATION_FAULT_1"), fs);
        assertTrue(row(as.substring(as.indexOf("MMU_AS1 @")), "AS_STATUS").endsWith("AS_ACTIVE"), as);
        String tc = row(as.substring(as.indexOf("MMU_AS1 @")), "AS_TRANSCFG");
        assertTrue(tc.contains("PTW_RA") && tc.contains("PTW_MEMATTR=WB") && tc.contains("INA_BITS=0x7")
                && tc.contains("ADRMODE=AARCH64_4K"), tc);
        String gpu = cmd.regs(fake, "GPU_CONTROL");
        assertTrue(row(gpu, "MCU_STATUS").contains("STATE=ENABLED"), gpu);
        assertTrue(row(gpu, "GPU_COHERENCY_PROTOCOL").contains("PROTOCOL=0x5"), "unnamed value in hex");
        assertEquals(-1, row(gpu, "GPU_STATUS").indexOf("ACTIVE"), "clear flags are not listed");
    }
}
