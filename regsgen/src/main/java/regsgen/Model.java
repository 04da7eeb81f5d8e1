package regsgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed register description: blocks of registers, shared field layouts, standalone
 * enums and plain constants. Plain mutable holders filled by {@link Parser} and read by the
 * emitters; after a successful parse every reference is resolved and every rule checked.
 */
public final class Model {
    private Model() {}

    /** A source position, printed as {@code file:line}. */
    public record Loc(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    public enum Access {
        RO, RW, WO;

        public boolean readable() {
            return this != WO;
        }

        public boolean writable() {
            return this != RO;
        }
    }

    /** What a bit range is. */
    public enum Kind {
        /** A single-bit flag ({@code Field n NAME}). */
        FLAG,
        /** A multi-bit value ({@code Field msb:lsb NAME}). */
        FIELD,
        /** A value with named encodings ({@code Enum}, or {@code Field} typed by a standalone enum). */
        ENUM,
        /** One bit per index ({@code Bits msb:lsb NAME}): bit lsb+n is element n. */
        BITS,
        /** Reserved, reads as zero ({@code Res0}). */
        RES0
    }

    public static final class Spec {
        public String file;
        public final List<ConstDef> consts = new ArrayList<>();
        public final Map<String, EnumType> enums = new LinkedHashMap<>();
        public final Map<String, Layout> layouts = new LinkedHashMap<>();
        public final List<Block> blocks = new ArrayList<>();

        public List<Register> registers() {
            List<Register> all = new ArrayList<>();
            for (Block b : blocks) {
                all.addAll(b.regs);
            }
            return all;
        }

        public Register register(String name) {
            for (Register r : registers()) {
                if (r.name.equals(name)) {
                    return r;
                }
            }
            return null;
        }

        public Block block(String name) {
            for (Block b : blocks) {
                if (b.name.equals(name)) {
                    return b;
                }
            }
            return null;
        }
    }

    public static final class ConstDef {
        public String name;
        public long value;
        public String desc;
        public Block block;
        public Loc loc;
    }

    public static final class EnumValue {
        public String name;
        public long value;
        public Loc loc;
    }

    public static final class EnumType {
        public String name;
        /** Declared width for a standalone enum; the field width for an inline one. */
        public int width;
        /** Prefix of the value constants (NAME_VALUE). */
        public String prefix;
        public String java;
        public boolean standalone;
        public String desc;
        public final List<EnumValue> values = new ArrayList<>();
        public Loc loc;

        public EnumValue value(String name) {
            for (EnumValue v : values) {
                if (v.name.equals(name)) {
                    return v;
                }
            }
            return null;
        }
    }

    public static final class FieldDef {
        public String name;
        public int msb;
        public int lsb;
        public Kind kind;
        /** Base name of the field's C-style constants. */
        public String cname;
        public EnumType enumType;
        /** Name of a standalone enum, resolved after parsing. */
        public String enumRef;
        public Loc loc;

        public int width() {
            return msb - lsb + 1;
        }

        public long mask() {
            long ones = width() == 64 ? -1L : (1L << width()) - 1;
            return ones << lsb;
        }
    }

    public static final class EncodeArg {
        public String field;
        /** Literal or enum value name when the argument is fixed; null when it is a parameter. */
        public String fixed;
        public Long fixedValue;
        public FieldDef def;
    }

    /** {@code Encode NAME FIELD[=VALUE]...}: a constant, or a helper taking the free fields. */
    public static final class Encode {
        public String name;
        public final List<EncodeArg> args = new ArrayList<>();
        public Loc loc;

        public boolean isConstant() {
            return args.stream().allMatch(a -> a.fixed != null);
        }
    }

    /** A field layout: a register's own, a shared {@code Fields} block, or an {@code Alias}. */
    public static final class Layout {
        public String name;
        public int width;
        /** Prefix of the field constants. */
        public String cprefix;
        public String java;
        public String desc;
        public boolean shared;
        public final List<FieldDef> fields = new ArrayList<>();
        public final List<Encode> encodes = new ArrayList<>();
        public Loc loc;
        /** For a shared layout: the registers that use it. */
        public final List<Register> users = new ArrayList<>();

        public FieldDef field(String name) {
            for (FieldDef f : fields) {
                if (f.name.equals(name)) {
                    return f;
                }
            }
            return null;
        }

        public long res0Mask() {
            long m = 0;
            for (FieldDef f : fields) {
                if (f.kind == Kind.RES0) {
                    m |= f.mask();
                }
            }
            return m;
        }
    }

    public static final class ArrayDef {
        public String index;
        public int count;
        public long stride;
        public Loc loc;
    }

    public static final class Register {
        public String name;
        public long offset;
        public int width;
        public Access access;
        public String java;
        public String desc;
        public ArrayDef array;
        /** The register's layout: its own, or a shared one ({@link #sharedLayout}). */
        public Layout layout;
        public String sharedLayout;
        public final List<Layout> aliases = new ArrayList<>();
        public Block block;
        public Loc loc;

        public int bytes() {
            return width / 8;
        }
    }

    public static final class Block {
        public String name;
        public long base;
        public long size;
        public String desc;
        public ArrayDef array;
        public final List<Register> regs = new ArrayList<>();
        public final List<ConstDef> consts = new ArrayList<>();
        public Loc loc;
    }
}
