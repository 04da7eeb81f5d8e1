package regsgen;

import java.util.Locale;
import java.util.Set;
import regsgen.Model.EnumType;
import regsgen.Model.FieldDef;
import regsgen.Model.Layout;
import regsgen.Model.Register;

/** Java names derived from description names (GPU_ID → GpuId, ARCH_MAJOR → archMajor). */
public final class Names {
    private Names() {}

    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "record", "var", "yield", "sealed", "permits");

    /** Methods every generated value class has; a field getter must not shadow them. */
    private static final Set<String> RESERVED_METHODS = Set.of(
            "raw", "read", "write", "of", "zero", "offset", "toString", "equals", "hashCode", "getClass",
            "notify", "notifyAll", "wait", "clone", "finalize", "values", "valueOf", "ordinal", "name");

    public static String camelUpper(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("_")) {
            if (part.isEmpty()) {
                continue;
            }
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        String s = b.toString();
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "R" + s : s;
    }

    public static String camelLower(String name) {
        String u = camelUpper(name);
        String s = Character.toLowerCase(u.charAt(0)) + u.substring(1);
        return KEYWORDS.contains(s) ? s + "_" : s;
    }

    public static String javaClass(Register r) {
        return r.java != null ? r.java : camelUpper(r.name);
    }

    public static String javaClass(Register r, Layout alias) {
        return alias.java != null ? alias.java : javaClass(r) + camelUpper(alias.name);
    }

    public static String javaClass(Layout shared) {
        return shared.java != null ? shared.java : camelUpper(shared.name);
    }

    public static String javaClass(EnumType e) {
        return e.java != null ? e.java : camelUpper(e.name);
    }

    /** Getter name of a field. */
    public static String getter(FieldDef f) {
        String g = camelLower(f.name);
        return RESERVED_METHODS.contains(g) ? g + "Field" : g;
    }

    /** Name of the Java enum nested in {@code owner} for an inline enum field. */
    public static String nestedEnum(FieldDef f, String owner) {
        String n = f.enumType.java != null ? f.enumType.java : camelUpper(f.name);
        return n.equals(owner) ? n + "Value" : n;
    }

    /** A Java enum constant name for a value name. */
    public static String enumConstant(String valueName) {
        return Character.isDigit(valueName.charAt(0)) ? "_" + valueName : valueName;
    }

    public static String param(FieldDef f) {
        return camelLower(f.name);
    }
}
