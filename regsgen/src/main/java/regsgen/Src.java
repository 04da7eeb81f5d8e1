package regsgen;

/** A tiny source-text builder with indentation and literal formatting. */
final class Src {
    private final StringBuilder b = new StringBuilder();
    private int indent;

    Src line(String s) {
        if (!s.isEmpty()) {
            b.append("    ".repeat(indent));
        }
        b.append(s).append('\n');
        return this;
    }

    Src line() {
        b.append('\n');
        return this;
    }

    Src open(String s) {
        line(s);
        indent++;
        return this;
    }

    Src close(String s) {
        indent--;
        line(s);
        return this;
    }

    /** A javadoc comment (one or more lines). */
    Src doc(String... lines) {
        if (lines.length == 1) {
            return line("/** " + escape(lines[0]) + " */");
        }
        line("/**");
        for (String l : lines) {
            line(l.isEmpty() ? " *" : " * " + escape(l));
        }
        return line(" */");
    }

    @Override
    public String toString() {
        return b.toString();
    }

    static String escape(String s) {
        return s.replace("*/", "*&#47;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** An int or long literal (an int literal holds the low 32 bits). */
    static String lit(long v, boolean isLong) {
        if (isLong) {
            return "0x" + Long.toHexString(v) + "L";
        }
        return "0x" + Long.toHexString(v & 0xffff_ffffL);
    }

    static String type(boolean isLong) {
        return isLong ? "long" : "int";
    }

    static String str(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String bits(int msb, int lsb) {
        return msb == lsb ? Integer.toString(msb) : msb + ":" + lsb;
    }
}
