package hw.model.internal.shell;

import hw.model.api.Mmio;
import hw.model.regs.RegisterMap;
import hw.model.regs.RegisterMap.Access;
import hw.model.regs.RegisterMap.Block;
import hw.model.regs.RegisterMap.Field;
import hw.model.regs.RegisterMap.Kind;
import hw.model.regs.RegisterMap.Register;
import hw.model.regs.typed.GpuAsPresent;
import hw.model.regs.typed.RegisterIo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DOC: gpu:regs.
 *
 * Dumps the registers of one block, or of every block, read through the MMIO window and
 * decoded field by field with the names of the generated register map (RegisterMap, from
 * mali-g610.regs). Blocks: GPU_CONTROL, JOB_CONTROL, MMU, MMU_AS (every address space
 * present in GPU_AS_PRESENT), MMU_AS0..MMU_ASn (one address space), CSF.
 *
 * Each readable register is one row: offset, name (with its index for arrays), value (16 hex
 * digits for 64-bit registers, read HI/LO/HI without tearing), then its fields: numbers and
 * enums as NAME=value (enums by value name when the value has one), per-index bit sets as
 * NAME={0,3}, and one-bit flags by name only when set. Write-only registers are listed once
 * as "write-only" without being read. Reads have no side effects on this GPU, so a dump never
 * changes the model's state.
 */
public final class RegsCommand {

    /** Dumps {@code block} (case-insensitive), or every block when {@code block} is null. */
    public String regs(Mmio mmio, String block) {
        List<Row> rows = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        if (block == null || block.isBlank()) {
            for (Block b : RegisterMap.blocks()) {
                if (b.isArray()) {
                    for (int i : presentInstances(mmio, b)) {
                        dumpBlock(mmio, b, i, rows, titles);
                    }
                } else {
                    dumpBlock(mmio, b, -1, rows, titles);
                }
            }
            return render(rows, titles);
        }
        String want = block.trim().toUpperCase(Locale.ROOT);
        for (Block b : RegisterMap.blocks()) {
            if (b.name().equals(want)) {
                if (b.isArray()) {
                    for (int i : presentInstances(mmio, b)) {
                        dumpBlock(mmio, b, i, rows, titles);
                    }
                } else {
                    dumpBlock(mmio, b, -1, rows, titles);
                }
                return render(rows, titles);
            }
            if (b.isArray() && want.startsWith(b.name()) && want.length() > b.name().length()) {
                String idx = want.substring(b.name().length());
                if (idx.chars().allMatch(Character::isDigit) && idx.length() <= 3) {
                    int i = Integer.parseInt(idx);
                    if (i < b.count()) {
                        dumpBlock(mmio, b, i, rows, titles);
                        return render(rows, titles);
                    }
                }
            }
        }
        throw new IllegalArgumentException("unknown register block '" + block + "'; known: " + known());
    }

    private static String known() {
        List<String> names = new ArrayList<>();
        for (Block b : RegisterMap.blocks()) {
            names.add(b.name());
            if (b.isArray()) {
                names.add(b.name() + "0.." + b.name() + (b.count() - 1));
            }
        }
        return String.join(", ", names);
    }

    /** Instances of an array block to show: for MMU_AS, the address spaces in GPU_AS_PRESENT. */
    private static List<Integer> presentInstances(Mmio mmio, Block b) {
        List<Integer> out = new ArrayList<>();
        int present = b.name().equals("MMU_AS") ? GpuAsPresent.read(mmio).as() : -1;
        for (int i = 0; i < b.count(); i++) {
            if ((present >>> i & 1) != 0) {
                out.add(i);
            }
        }
        return out;
    }

    private record Row(int title, String offset, String name, String value, String fields) {}

    private static void dumpBlock(Mmio mmio, Block b, int instance, List<Row> rows, List<String> titles) {
        String title = instance < 0 ? b.name() : b.name() + instance;
        int base = instance < 0 ? b.base() : b.base() + instance * b.stride();
        titles.add(String.format("%s @ 0x%05x%s", title, base, b.description() == null ? "" : "  (" + b.description() + ")"));
        int t = titles.size() - 1;
        for (Register r : b.registers()) {
            boolean blockArray = b.isArray();
            int n = blockArray || !r.isArray() ? 1 : r.count();
            if (r.access() == Access.WO) {
                String name = r.isArray() && !blockArray ? r.name() + "(0.." + (r.count() - 1) + ")" : r.name();
                int off = blockArray ? r.offset(instance) : r.offset();
                rows.add(new Row(t, hex(off), name, "write-only", ""));
                continue;
            }
            for (int j = 0; j < n; j++) {
                int off = blockArray ? r.offset(instance) : r.isArray() ? r.offset(j) : r.offset();
                long value = r.width() == 64 ? RegisterIo.read64(mmio, off) : mmio.read32(off) & 0xffff_ffffL;
                String name = r.isArray() && !blockArray ? r.name() + "(" + j + ")" : r.name();
                String v = r.width() == 64 ? String.format("0x%016x", value) : String.format("0x%08x", value);
                rows.add(new Row(t, hex(off), name, v, decode(r, value)));
            }
        }
    }

    /** The fields of a register value, most significant first as declared. */
    static String decode(Register r, long value) {
        List<String> parts = new ArrayList<>();
        for (Field f : r.fields()) {
            if (f.kind() == Kind.FLAG) {
                if (f.extract(value) != 0) {
                    parts.add(f.name());
                }
            } else {
                parts.add(f.name() + "=" + f.decode(value));
            }
        }
        return String.join(" ", parts);
    }

    private static String hex(int offset) {
        return String.format("0x%05x", offset);
    }

    private static String render(List<Row> rows, List<String> titles) {
        int wOff = "OFFSET".length();
        int wName = "REGISTER".length();
        int wVal = "VALUE".length();
        for (Row r : rows) {
            wOff = Math.max(wOff, r.offset().length());
            wName = Math.max(wName, r.name().length());
            wVal = Math.max(wVal, r.value().length());
        }
        String fmt = "  %-" + wOff + "s  %-" + wName + "s  %-" + wVal + "s  %s";
        StringBuilder out = new StringBuilder();
        int current = -1;
        for (Row r : rows) {
            if (r.title() != current) {
                current = r.title();
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(titles.get(current)).append('\n');
                out.append(String.format(fmt, "OFFSET", "REGISTER", "VALUE", "FIELDS").stripTrailing()).append('\n');
            }
            out.append(String.format(fmt, r.offset(), r.name(), r.value(), r.fields()).stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
