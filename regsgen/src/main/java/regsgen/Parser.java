package regsgen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import regsgen.Model.Access;
import regsgen.Model.ArrayDef;
import regsgen.Model.Block;
import regsgen.Model.ConstDef;
import regsgen.Model.Encode;
import regsgen.Model.EncodeArg;
import regsgen.Model.EnumType;
import regsgen.Model.EnumValue;
import regsgen.Model.FieldDef;
import regsgen.Model.Kind;
import regsgen.Model.Layout;
import regsgen.Model.Loc;
import regsgen.Model.Register;
import regsgen.Model.Spec;

/**
 * Parses and validates a {@code .regs} register description (the language is documented in
 * docs/registers-language.md and at the top of mali-g610.regs).
 *
 * <p>Like arm64's gen-sysreg.awk, every problem is fatal: an unknown statement, a block left
 * open, overlapping or out-of-range fields, duplicate names, overlapping register offsets,
 * enum values that do not fit their field. Unlike the awk script it collects all errors
 * before failing, each as {@code file:line: message}.
 */
public final class Parser {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern INDEX = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern JAVA = Pattern.compile("[A-Z][A-Za-z0-9]*");

    private enum Ctx { TOP, BLOCK, REG, FIELDS, ALIAS, ENUM }

    /** One open block statement. */
    private static final class Frame {
        final Ctx ctx;
        final String what;
        final Loc loc;
        Block block;
        Register reg;
        Layout layout;
        EnumType enumType;

        Frame(Ctx ctx, String what, Loc loc) {
            this.ctx = ctx;
            this.what = what;
            this.loc = loc;
        }
    }

    private final String file;
    private final List<String> errors = new ArrayList<>();
    private final Spec spec = new Spec();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private int line;

    private Parser(String file) {
        this.file = file;
        spec.file = file;
    }

    /** Parses and validates; throws {@link RegsException} listing every error. */
    public static Spec parse(String file, String text) {
        Parser p = new Parser(file);
        p.run(text);
        if (!p.errors.isEmpty()) {
            throw new RegsException(p.errors);
        }
        return p.spec;
    }

    private void run(String text) {
        stack.push(new Frame(Ctx.TOP, "file", new Loc(file, 0)));
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            line = i + 1;
            String s = lines[i];
            int hash = s.indexOf('#');
            if (hash >= 0) {
                s = s.substring(0, hash);
            }
            s = s.strip();
            if (s.isEmpty()) {
                continue;
            }
            int depth = stack.size();
            Ctx ctx = stack.peek().ctx;
            try {
                statement(s);
            } catch (Bad e) {
                error(loc(), e.getMessage());
                if (stack.size() == depth) {
                    openPlaceholder(ctx, s.split("\\s+")[0]);
                }
            }
        }
        while (stack.size() > 1) {
            Frame f = stack.pop();
            error(f.loc, "unterminated " + f.what + " (missing End" + keyword(f) + ")");
            if (f.ctx == Ctx.REG || f.ctx == Ctx.FIELDS || f.ctx == Ctx.ALIAS) {
                endLayout(f.layout);
            }
        }
        if (errors.isEmpty()) {
            resolve();
            validateOffsets();
            validateNames();
        }
    }

    /**
     * After a bad opening statement (a Reg with a bad offset, say) pushes a detached frame, so
     * its End statement still matches and one mistake gives one error.
     */
    private void openPlaceholder(Ctx ctx, String kw) {
        Ctx inner = null;
        if (ctx == Ctx.TOP && kw.equals("Block")) {
            inner = Ctx.BLOCK;
        } else if (ctx == Ctx.TOP && kw.equals("Fields")) {
            inner = Ctx.FIELDS;
        } else if ((ctx == Ctx.TOP || ctx == Ctx.REG || ctx == Ctx.FIELDS || ctx == Ctx.ALIAS) && kw.equals("Enum")) {
            inner = Ctx.ENUM;
        } else if (ctx == Ctx.BLOCK && kw.equals("Reg")) {
            inner = Ctx.REG;
        } else if (ctx == Ctx.REG && kw.equals("Alias")) {
            inner = Ctx.ALIAS;
        }
        if (inner == null) {
            return;
        }
        Frame f = new Frame(inner, kw + " (invalid)", loc());
        f.block = new Block();
        f.block.name = "?";
        f.reg = new Register();
        f.reg.name = "?";
        f.reg.width = 64;
        f.reg.block = f.block;
        f.layout = new Layout();
        f.layout.name = "?";
        f.layout.width = 64;
        f.layout.cprefix = "?";
        f.reg.layout = f.layout;
        f.enumType = new EnumType();
        f.enumType.name = "?";
        f.enumType.width = 64;
        f.enumType.values.add(new EnumValue());
        stack.push(f);
    }

    private static String keyword(Frame f) {
        switch (f.ctx) {
            case BLOCK: return "Block";
            case REG: return "Reg";
            case FIELDS: return "Fields";
            case ALIAS: return "Alias";
            case ENUM: return "Enum";
            default: return "";
        }
    }

    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private Loc loc() {
        return new Loc(file, line);
    }

    private void error(Loc at, String message) {
        errors.add(at + ": " + message);
    }

    // ---------------------------------------------------------------- statements

    private void statement(String s) throws Bad {
        List<String> tok = new ArrayList<>(List.of(s.split("\\s+")));
        Map<String, String> opts = new LinkedHashMap<>();
        boolean takesOptions = Set.of("Enum", "Fields", "Reg", "Field", "Bits", "Alias").contains(tok.get(0));
        for (int i = tok.size() - 1; takesOptions && i > 0 && tok.get(i).contains("="); i--) {
            String t = tok.remove(i);
            int eq = t.indexOf('=');
            opts.put(t.substring(0, eq), t.substring(eq + 1));
        }
        String kw = tok.get(0);
        Frame top = stack.peek();
        switch (top.ctx) {
            case TOP: topStatement(kw, tok, opts); break;
            case BLOCK: blockStatement(top, kw, tok, opts); break;
            case REG: regStatement(top, kw, tok, opts); break;
            case FIELDS:
            case ALIAS: layoutStatement(top, kw, tok, opts); break;
            case ENUM: enumStatement(top, kw, tok, opts); break;
            default: throw new IllegalStateException();
        }
    }

    private void topStatement(String kw, List<String> tok, Map<String, String> opts) throws Bad {
        switch (kw) {
            case "Const": {
                ConstDef c = constant(tok, opts);
                spec.consts.add(c);
                break;
            }
            case "Enum": {
                args(tok, 2, "Enum <NAME> <width> [prefix=P] [java=J]");
                options(opts, "prefix", "java");
                EnumType e = new EnumType();
                e.name = name(tok.get(1));
                e.width = intValue(tok.get(2));
                if (e.width < 1 || e.width > 64) {
                    throw new Bad("enum width " + e.width + " out of range 1..64");
                }
                e.prefix = opts.getOrDefault("prefix", e.name);
                e.java = javaName(opts.get("java"));
                e.standalone = true;
                e.loc = loc();
                if (spec.enums.putIfAbsent(e.name, e) != null) {
                    error(loc(), "duplicate enum " + e.name + " (first at " + spec.enums.get(e.name).loc + ")");
                }
                Frame f = new Frame(Ctx.ENUM, "Enum " + e.name, loc());
                f.enumType = e;
                stack.push(f);
                break;
            }
            case "Fields": {
                args(tok, 2, "Fields <NAME> <width> [java=J]");
                options(opts, "java");
                Layout l = new Layout();
                l.name = name(tok.get(1));
                l.width = intValue(tok.get(2));
                if (l.width != 8 && l.width != 16 && l.width != 32 && l.width != 64) {
                    throw new Bad("layout width must be 8, 16, 32 or 64, not " + l.width);
                }
                l.cprefix = l.name;
                l.java = javaName(opts.get("java"));
                l.shared = true;
                l.loc = loc();
                if (spec.layouts.putIfAbsent(l.name, l) != null) {
                    error(loc(), "duplicate layout " + l.name + " (first at " + spec.layouts.get(l.name).loc + ")");
                }
                Frame f = new Frame(Ctx.FIELDS, "Fields " + l.name, loc());
                f.layout = l;
                stack.push(f);
                break;
            }
            case "Block": {
                args(tok, 3, "Block <NAME> <base> <size>");
                options(opts);
                Block b = new Block();
                b.name = name(tok.get(1));
                b.base = value(tok.get(2));
                b.size = value(tok.get(3));
                b.loc = loc();
                if (spec.block(b.name) != null) {
                    error(loc(), "duplicate block " + b.name + " (first at " + spec.block(b.name).loc + ")");
                }
                if (b.size <= 0) {
                    throw new Bad("block size must be positive");
                }
                spec.blocks.add(b);
                Frame f = new Frame(Ctx.BLOCK, "Block " + b.name, loc());
                f.block = b;
                stack.push(f);
                break;
            }
            default:
                throw unknown(kw, "top level", "Const, Enum, Fields, Block");
        }
    }

    private void blockStatement(Frame top, String kw, List<String> tok, Map<String, String> opts) throws Bad {
        Block b = top.block;
        switch (kw) {
            case "Desc":
                b.desc = desc(tok);
                break;
            case "Array":
                if (!b.regs.isEmpty() || b.array != null) {
                    throw new Bad("Array must come once, before the first Reg of the block");
                }
                b.array = array(tok, opts);
                break;
            case "Const": {
                ConstDef c = constant(tok, opts);
                c.block = b;
                b.consts.add(c);
                spec.consts.add(c);
                break;
            }
            case "Reg": {
                args(tok, 4, "Reg <NAME> <offset> <width> <ro|rw|wo> [java=J]");
                options(opts, "java");
                Register r = new Register();
                r.name = name(tok.get(1));
                r.offset = value(tok.get(2));
                r.width = intValue(tok.get(3));
                if (r.width != 32 && r.width != 64) {
                    throw new Bad("register width must be 32 or 64, not " + r.width);
                }
                r.access = access(tok.get(4));
                r.java = javaName(opts.get("java"));
                r.block = b;
                r.loc = loc();
                if ((r.offset & (r.bytes() - 1)) != 0) {
                    error(loc(), "register " + r.name + " at " + hex(r.offset) + " is not aligned to its width");
                }
                Layout own = new Layout();
                own.name = r.name;
                own.width = r.width;
                own.cprefix = r.name;
                own.loc = r.loc;
                r.layout = own;
                b.regs.add(r);
                Frame f = new Frame(Ctx.REG, "Reg " + r.name, loc());
                f.reg = r;
                f.layout = own;
                stack.push(f);
                break;
            }
            case "EndBlock":
                args(tok, 0, "EndBlock");
                stack.pop();
                break;
            default:
                throw unknown(kw, "Block " + b.name, "Desc, Array, Const, Reg, EndBlock");
        }
    }

    private void regStatement(Frame top, String kw, List<String> tok, Map<String, String> opts) throws Bad {
        Register r = top.reg;
        switch (kw) {
            case "Desc":
                r.desc = desc(tok);
                return;
            case "Array":
                if (r.array != null) {
                    throw new Bad("register " + r.name + " already has an Array");
                }
                if (r.block.array != null) {
                    throw new Bad("register " + r.name + " cannot be an array inside array block " + r.block.name);
                }
                r.array = array(tok, opts);
                return;
            case "Fields": {
                args(tok, 1, "Fields <LAYOUT>");
                options(opts);
                if (r.sharedLayout != null || !r.layout.fields.isEmpty()) {
                    throw new Bad("register " + r.name + " already has fields; Fields <LAYOUT> must be its only layout");
                }
                r.sharedLayout = tok.get(1);
                return;
            }
            case "Alias": {
                args(tok, 1, "Alias <NAME> [java=J]");
                options(opts, "java");
                Layout a = new Layout();
                a.name = name(tok.get(1));
                a.width = r.width;
                a.cprefix = r.name + "_" + a.name;
                a.java = javaName(opts.get("java"));
                a.loc = loc();
                for (Layout other : r.aliases) {
                    if (other.name.equals(a.name)) {
                        error(loc(), "duplicate alias " + a.name + " of " + r.name + " (first at " + other.loc + ")");
                    }
                }
                r.aliases.add(a);
                Frame f = new Frame(Ctx.ALIAS, "Alias " + a.name, loc());
                f.reg = r;
                f.layout = a;
                stack.push(f);
                return;
            }
            case "EndReg":
                args(tok, 0, "EndReg");
                stack.pop();
                endLayout(r.layout);
                return;
            default:
                if (r.sharedLayout != null && isFieldStatement(kw)) {
                    throw new Bad("register " + r.name + " uses shared layout " + r.sharedLayout
                            + " and cannot declare its own fields");
                }
                if (!layoutItem(top, kw, tok, opts)) {
                    throw unknown(kw, "Reg " + r.name,
                            "Desc, Array, Fields, Field, Bits, Res0, Enum, Encode, Alias, EndReg");
                }
        }
    }

    private static boolean isFieldStatement(String kw) {
        return kw.equals("Field") || kw.equals("Bits") || kw.equals("Res0") || kw.equals("Enum");
    }

    private void layoutStatement(Frame top, String kw, List<String> tok, Map<String, String> opts) throws Bad {
        String end = top.ctx == Ctx.FIELDS ? "EndFields" : "EndAlias";
        if (kw.equals(end)) {
            args(tok, 0, end);
            stack.pop();
            endLayout(top.layout);
            return;
        }
        if (kw.equals("Desc")) {
            top.layout.desc = desc(tok);
            return;
        }
        if (!layoutItem(top, kw, tok, opts)) {
            throw unknown(kw, top.what, "Desc, Field, Bits, Res0, Enum, Encode, " + end);
        }
    }

    /** Field, Bits, Res0, Enum (inline) and Encode, common to registers, layouts and aliases. */
    private boolean layoutItem(Frame top, String kw, List<String> tok, Map<String, String> opts) throws Bad {
        Layout l = top.layout;
        switch (kw) {
            case "Field": {
                if (tok.size() != 3 && tok.size() != 4) {
                    throw new Bad("usage: Field <msb>[:<lsb>] <NAME> [<ENUM>] [cname=C]");
                }
                options(opts, "cname");
                FieldDef f = field(l, tok.get(1), tok.get(2), opts);
                if (tok.size() == 4) {
                    f.kind = Kind.ENUM;
                    f.enumRef = name(tok.get(3));
                } else {
                    f.kind = f.width() == 1 ? Kind.FLAG : Kind.FIELD;
                }
                return true;
            }
            case "Bits": {
                args(tok, 2, "Bits <msb>:<lsb> <NAME> [cname=C]");
                options(opts, "cname");
                FieldDef f = field(l, tok.get(1), tok.get(2), opts);
                f.kind = Kind.BITS;
                return true;
            }
            case "Res0": {
                args(tok, 1, "Res0 <msb>[:<lsb>]");
                options(opts);
                FieldDef f = new FieldDef();
                int[] r = range(tok.get(1));
                f.msb = r[0];
                f.lsb = r[1];
                f.name = "RES0_" + f.msb + "_" + f.lsb;
                f.kind = Kind.RES0;
                f.loc = loc();
                l.fields.add(f);
                return true;
            }
            case "Enum": {
                args(tok, 2, "Enum <msb>[:<lsb>] <NAME> [cname=C] [prefix=P] [java=J]");
                options(opts, "cname", "prefix", "java");
                FieldDef f = field(l, tok.get(1), tok.get(2), opts);
                f.kind = Kind.ENUM;
                EnumType e = new EnumType();
                e.name = f.name;
                e.width = f.width();
                e.prefix = opts.getOrDefault("prefix", f.cname);
                e.java = javaName(opts.get("java"));
                e.loc = loc();
                f.enumType = e;
                Frame fr = new Frame(Ctx.ENUM, "Enum " + f.name, loc());
                fr.enumType = e;
                stack.push(fr);
                return true;
            }
            case "Encode": {
                if (tok.size() < 3) {
                    throw new Bad("usage: Encode <NAME> <FIELD>[=<value>] ...");
                }
                Encode e = new Encode();
                e.name = name(tok.get(1));
                e.loc = loc();
                for (String t : tok.subList(2, tok.size())) {
                    EncodeArg a = new EncodeArg();
                    int eq = t.indexOf('=');
                    a.field = name(eq < 0 ? t : t.substring(0, eq));
                    a.fixed = eq < 0 ? null : t.substring(eq + 1);
                    e.args.add(a);
                }
                l.encodes.add(e);
                return true;
            }
            default:
                return false;
        }
    }

    private void enumStatement(Frame top, String kw, List<String> tok, Map<String, String> opts) throws Bad {
        EnumType e = top.enumType;
        if (kw.equals("EndEnum")) {
            args(tok, 0, "EndEnum");
            stack.pop();
            if (e.values.isEmpty()) {
                error(top.loc, "enum " + e.name + " has no values");
            }
            return;
        }
        if (kw.equals("Desc")) {
            e.desc = desc(tok);
            return;
        }
        if (!Character.isDigit(kw.charAt(0))) {
            throw unknown(kw, top.what, "<value> <NAME>, Desc, EndEnum");
        }
        args(tok, 1, "<value> <NAME>");
        options(opts);
        EnumValue v = new EnumValue();
        v.value = value(kw);
        v.name = name(tok.get(1));
        v.loc = loc();
        for (EnumValue o : e.values) {
            if (o.name.equals(v.name)) {
                error(loc(), "duplicate enum value name " + v.name + " in " + e.name + " (first at " + o.loc + ")");
            } else if (o.value == v.value) {
                error(loc(), "duplicate enum value " + hex(v.value) + " in " + e.name + " (" + o.name + " at " + o.loc + ")");
            }
        }
        if (!fits(v.value, e.width)) {
            error(loc(), "enum value " + v.name + " = " + hex(v.value) + " does not fit in " + e.width + " bit(s) of " + e.name);
        }
        e.values.add(v);
    }

    // ---------------------------------------------------------------- pieces

    private ConstDef constant(List<String> tok, Map<String, String> opts) throws Bad {
        if (tok.size() < 3) {
            throw new Bad("usage: Const <NAME> <value> [description...]");
        }
        options(opts);
        ConstDef c = new ConstDef();
        c.name = name(tok.get(1));
        c.value = value(tok.get(2));
        c.desc = tok.size() > 3 ? String.join(" ", tok.subList(3, tok.size())) : null;
        c.loc = loc();
        return c;
    }

    private ArrayDef array(List<String> tok, Map<String, String> opts) throws Bad {
        args(tok, 3, "Array <index> <count> <stride>");
        options(opts);
        ArrayDef a = new ArrayDef();
        if (!INDEX.matcher(tok.get(1)).matches()) {
            throw new Bad("bad index name '" + tok.get(1) + "' (want lower case, like 'as')");
        }
        a.index = tok.get(1);
        a.count = intValue(tok.get(2));
        a.stride = value(tok.get(3));
        a.loc = loc();
        if (a.count < 1) {
            throw new Bad("array count must be at least 1");
        }
        if (a.stride <= 0) {
            throw new Bad("array stride must be positive");
        }
        return a;
    }

    private FieldDef field(Layout l, String range, String name, Map<String, String> opts) throws Bad {
        FieldDef f = new FieldDef();
        int[] r = range(range);
        f.msb = r[0];
        f.lsb = r[1];
        f.name = name(name);
        f.cname = opts.containsKey("cname") ? name(opts.get("cname")) : l.cprefix + "_" + f.name;
        f.loc = loc();
        l.fields.add(f);
        return f;
    }

    /** Checks a finished layout: names, ranges, overlaps, enum fits, encodes (enum refs later). */
    private void endLayout(Layout l) {
        Map<String, FieldDef> names = new HashMap<>();
        FieldDef[] owner = new FieldDef[64];
        for (FieldDef f : l.fields) {
            if (f.kind != Kind.RES0) {
                FieldDef prev = names.putIfAbsent(f.name, f);
                if (prev != null) {
                    error(f.loc, "duplicate field " + f.name + " in " + l.name + " (first at " + prev.loc + ")");
                }
            }
            if (f.msb >= l.width) {
                error(f.loc, "field " + describe(f) + " is outside the " + l.width + "-bit " + l.name);
                continue;
            }
            for (int b = f.lsb; b <= f.msb; b++) {
                if (owner[b] != null) {
                    error(f.loc, "field " + describe(f) + " overlaps " + describe(owner[b]) + " (at " + owner[b].loc + ") in " + l.name);
                    break;
                }
            }
            for (int b = f.lsb; b <= f.msb; b++) {
                if (owner[b] == null) {
                    owner[b] = f;
                }
            }
            if (f.enumType != null) {
                f.enumType.width = f.width();
            }
        }
    }

    private static String describe(FieldDef f) {
        String bits = f.msb == f.lsb ? "" + f.msb : f.msb + ":" + f.lsb;
        return f.kind == Kind.RES0 ? "Res0 " + bits : f.name + " (" + bits + ")";
    }

    // ---------------------------------------------------------------- resolution and global checks

    private void resolve() {
        for (Block b : spec.blocks) {
            for (Register r : b.regs) {
                if (r.sharedLayout != null) {
                    Layout l = spec.layouts.get(r.sharedLayout);
                    if (l == null) {
                        error(r.loc, "register " + r.name + " uses unknown layout " + r.sharedLayout);
                        continue;
                    }
                    if (l.width > r.width) {
                        error(r.loc, "layout " + l.name + " (" + l.width + " bits) is wider than register " + r.name);
                    }
                    l.users.add(r);
                    r.layout = l;
                }
            }
        }
        for (Layout l : allLayouts()) {
            for (FieldDef f : l.fields) {
                if (f.enumRef != null) {
                    EnumType e = spec.enums.get(f.enumRef);
                    if (e == null) {
                        error(f.loc, "field " + f.name + " uses unknown enum " + f.enumRef);
                        continue;
                    }
                    f.enumType = e;
                }
                if (f.kind == Kind.ENUM && f.enumType != null) {
                    for (EnumValue v : f.enumType.values) {
                        if (!fits(v.value, f.width())) {
                            error(f.loc, "enum value " + v.name + " = " + hex(v.value) + " of " + f.enumType.name
                                    + " does not fit in field " + describe(f));
                        }
                    }
                }
            }
            for (Encode e : l.encodes) {
                for (EncodeArg a : e.args) {
                    a.def = l.field(a.field);
                    if (a.def == null || a.def.kind == Kind.RES0) {
                        error(e.loc, "Encode " + e.name + ": no field " + a.field + " in " + l.name);
                        continue;
                    }
                    if (a.fixed == null) {
                        continue;
                    }
                    Long v = null;
                    if (Character.isDigit(a.fixed.charAt(0))) {
                        try {
                            v = value(a.fixed);
                        } catch (Bad bad) {
                            error(e.loc, bad.getMessage());
                            continue;
                        }
                    } else if (a.def.enumType != null && a.def.enumType.value(a.fixed) != null) {
                        v = a.def.enumType.value(a.fixed).value;
                    } else {
                        error(e.loc, "Encode " + e.name + ": " + a.fixed + " is not a value of field " + a.field);
                        continue;
                    }
                    if (!fits(v, a.def.width())) {
                        error(e.loc, "Encode " + e.name + ": " + a.fixed + " does not fit in field " + describe(a.def));
                    }
                    a.fixedValue = v;
                }
            }
        }
    }

    /** Every layout: shared ones, registers' own ones, aliases. */
    List<Layout> allLayouts() {
        List<Layout> all = new ArrayList<>(spec.layouts.values());
        for (Register r : spec.registers()) {
            if (r.sharedLayout == null) {
                all.add(r.layout);
            }
            all.addAll(r.aliases);
        }
        return all;
    }

    private void validateOffsets() {
        // Blocks (every instance) must not overlap; registers must lie inside their block.
        TreeMap<Long, Object[]> spans = new TreeMap<>();
        for (Block b : spec.blocks) {
            int n = b.array == null ? 1 : b.array.count;
            if (b.array != null && b.array.stride < b.size) {
                error(b.array.loc, "block " + b.name + " stride " + hex(b.array.stride) + " is smaller than its size " + hex(b.size));
            }
            for (int i = 0; i < n; i++) {
                long start = b.base + (b.array == null ? 0 : i * b.array.stride);
                addSpan(spans, start, b.size, b.name + (b.array == null ? "" : "[" + i + "]"), b.loc, "block");
            }
            for (Register r : b.regs) {
                int m = r.array == null ? 1 : r.array.count;
                long last = r.offset + (long) (m - 1) * (r.array == null ? 0 : r.array.stride) + r.bytes();
                if (last > b.size) {
                    error(r.loc, "register " + r.name + " ends at " + hex(last) + ", outside block " + b.name + " (size " + hex(b.size) + ")");
                }
            }
        }
        TreeMap<Long, Object[]> regs = new TreeMap<>();
        for (Block b : spec.blocks) {
            int n = b.array == null ? 1 : b.array.count;
            for (Register r : b.regs) {
                int m = r.array == null ? 1 : r.array.count;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        long at = b.base + (b.array == null ? 0 : i * b.array.stride) + r.offset
                                + (r.array == null ? 0 : j * r.array.stride);
                        String label = r.name + (b.array != null ? "(" + i + ")" : "") + (r.array != null ? "(" + j + ")" : "");
                        addSpan(regs, at, r.bytes(), label, r.loc, "register");
                    }
                }
            }
        }
    }

    private void addSpan(TreeMap<Long, Object[]> spans, long start, long len, String label, Loc at, String what) {
        Map.Entry<Long, Object[]> below = spans.floorEntry(start + len - 1);
        if (below != null && below.getKey() + (Long) below.getValue()[0] > start) {
            Object[] o = below.getValue();
            error(at, what + " " + label + " at " + hex(start) + " overlaps " + o[1] + " at " + hex(below.getKey()) + " (" + o[2] + ")");
            return;
        }
        spans.put(start, new Object[] {len, label, at});
    }

    /**
     * Generated identifiers must be unique: register names, field constant names, enum value
     * constants, encodes, constants, array helpers; and Java class names.
     */
    private void validateNames() {
        // Java keeps fields and methods apart, so a helper method may share a constant's name
        // (AS_MEMATTR_AARCH64_INNER_ALLOC_EXPL is both, as in panthor_regs.h).
        Map<String, Loc> c = new HashMap<>();
        Map<String, Loc> m = new HashMap<>();
        for (Block b : spec.blocks) {
            if (b.array != null) {
                claim(m, b.name, b.loc, "block " + b.name);
            }
            for (Register r : b.regs) {
                claim(b.array != null || r.array != null ? m : c, r.name, r.loc, "register " + r.name);
            }
        }
        for (ConstDef k : spec.consts) {
            claim(c, k.name, k.loc, "constant " + k.name);
        }
        for (EnumType e : spec.enums.values()) {
            for (EnumValue v : e.values) {
                claim(c, e.prefix + "_" + v.name, v.loc, "enum value " + e.prefix + "_" + v.name);
            }
        }
        for (Layout l : allLayouts()) {
            for (FieldDef f : l.fields) {
                if (f.kind == Kind.RES0) {
                    continue;
                }
                claim(f.kind == Kind.FLAG ? c : m, f.cname, f.loc, "field " + f.cname);
                if (f.kind == Kind.ENUM && f.enumType != null && !f.enumType.standalone) {
                    for (EnumValue v : f.enumType.values) {
                        claim(c, f.enumType.prefix + "_" + v.name, v.loc, "enum value " + f.enumType.prefix + "_" + v.name);
                    }
                }
            }
            for (Encode e : l.encodes) {
                claim(e.isConstant() ? c : m, e.name, e.loc, "encode " + e.name);
            }
        }
        if (!errors.isEmpty()) {
            return;
        }
        Map<String, Loc> j = new HashMap<>();
        for (Register r : spec.registers()) {
            claim(j, Names.javaClass(r), r.loc, "Java class " + Names.javaClass(r));
            for (Layout a : r.aliases) {
                claim(j, Names.javaClass(r, a), a.loc, "Java class " + Names.javaClass(r, a));
            }
        }
        for (Layout l : spec.layouts.values()) {
            claim(j, Names.javaClass(l), l.loc, "Java class " + Names.javaClass(l));
        }
        for (EnumType e : spec.enums.values()) {
            claim(j, Names.javaClass(e), e.loc, "Java class " + Names.javaClass(e));
        }
        for (String fixed : Set.of("Regs", "RegisterIo")) {
            if (j.containsKey(fixed)) {
                error(j.get(fixed), "Java class name " + fixed + " is reserved by the generator");
            }
        }
    }

    private void claim(Map<String, Loc> seen, String name, Loc at, String what) {
        if (what == null) {
            return;
        }
        Loc prev = seen.putIfAbsent(name, at);
        if (prev != null) {
            error(at, "duplicate name: " + what + " (also defined at " + prev + ")");
        }
    }

    // ---------------------------------------------------------------- lexical helpers

    private Bad unknown(String kw, String where, String expected) {
        return new Bad("unknown statement '" + kw + "' in " + where + " (expected " + expected + ")");
    }

    private static void args(List<String> tok, int n, String usage) throws Bad {
        if (tok.size() != n + 1) {
            throw new Bad("usage: " + usage);
        }
    }

    private static void options(Map<String, String> opts, String... allowed) throws Bad {
        for (String k : opts.keySet()) {
            if (!List.of(allowed).contains(k)) {
                throw new Bad("unknown option '" + k + "='" + (allowed.length == 0 ? "" : " (allowed: " + String.join(", ", allowed) + ")"));
            }
        }
    }

    private static String desc(List<String> tok) throws Bad {
        if (tok.size() < 2) {
            throw new Bad("usage: Desc <text>");
        }
        return String.join(" ", tok.subList(1, tok.size()));
    }

    private static String name(String s) throws Bad {
        if (!NAME.matcher(s).matches()) {
            throw new Bad("bad name '" + s + "' (want upper case, digits and '_', starting with a letter)");
        }
        return s;
    }

    private static String javaName(String s) throws Bad {
        if (s != null && !JAVA.matcher(s).matches()) {
            throw new Bad("bad Java name '" + s + "'");
        }
        return s;
    }

    private static Access access(String s) throws Bad {
        switch (s) {
            case "ro": return Access.RO;
            case "rw": return Access.RW;
            case "wo": return Access.WO;
            default: throw new Bad("bad access '" + s + "' (want ro, rw or wo)");
        }
    }

    private static int[] range(String s) throws Bad {
        String[] p = s.split(":", -1);
        if (p.length > 2) {
            throw new Bad("bad bit range '" + s + "'");
        }
        int msb = intValue(p[0]);
        int lsb = p.length == 2 ? intValue(p[1]) : msb;
        if (msb < lsb) {
            throw new Bad("bad bit range '" + s + "': msb < lsb");
        }
        if (msb > 63) {
            throw new Bad("bad bit range '" + s + "': bit " + msb + " beyond 63");
        }
        return new int[] {msb, lsb};
    }

    private static int intValue(String s) throws Bad {
        long v = value(s);
        if (v > Integer.MAX_VALUE) {
            throw new Bad("number too large: " + s);
        }
        return (int) v;
    }

    static long value(String s) throws Bad {
        String t = s.replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (t.startsWith("0b") || t.startsWith("0B")) {
                return Long.parseUnsignedLong(t.substring(2), 2);
            }
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return Long.parseUnsignedLong(t);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new Bad("bad number '" + s + "'");
    }

    static boolean fits(long v, int width) {
        return width >= 64 || (v >>> width) == 0;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
