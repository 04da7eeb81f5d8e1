package regsgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import regsgen.Model.Spec;

/**
 * The register-description compiler: {@code RegsGen <input.regs> <java-out-dir> <markdown-out>}.
 *
 * <p>Parses and validates the description, then writes into {@code java-out-dir} the C-style
 * binding ({@code hw.model.regs.MaliRegs}), the machine-readable table
 * ({@code hw.model.regs.RegisterMap}), the typed binding ({@code hw.model.regs.typed}) with
 * package-info files, and the Markdown register map to {@code markdown-out}. Errors are
 * printed one per line as {@code file:line: message} and end the run with an exception (it
 * runs inside Maven's JVM, so it never calls System.exit).
 */
public final class RegsGen {
    private RegsGen() {}

    public static final String PACKAGE = "hw.model.regs";
    public static final String C_CLASS = "MaliRegs";
    public static final String MMIO = "hw.model.api.Mmio";

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: RegsGen <input.regs> <java-out-dir> <markdown-out>");
        }
        Path in = Path.of(args[0]);
        String text = Files.readString(in, StandardCharsets.UTF_8);
        Map<String, String> files;
        try {
            files = generate(in.toString(), in.getFileName().toString(), text);
        } catch (RegsException e) {
            for (String err : e.errors()) {
                System.err.println(err);
            }
            throw e;
        }
        Path javaOut = Path.of(args[1]);
        Path md = Path.of(args[2]);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = f.getKey().equals(MARKDOWN) ? md : javaOut.resolve(f.getKey());
            write(p, f.getValue());
        }
        System.out.println("regsgen: " + in.getFileName() + " -> " + (files.size() - 1) + " Java files, " + md.getFileName());
    }

    /** Key of the Markdown document in {@link #generate}'s result. */
    public static final String MARKDOWN = "<markdown>";

    /**
     * Generates everything from one description: Java sources keyed by relative path, plus the
     * Markdown under {@link #MARKDOWN}.
     */
    public static Map<String, String> generate(String path, String sourceName, String text) {
        Spec spec = Parser.parse(path, text);
        Map<String, String> out = new LinkedHashMap<>();
        String dir = PACKAGE.replace('.', '/') + "/";
        out.put(dir + C_CLASS + ".java", CStyleGen.generate(spec, PACKAGE, C_CLASS, sourceName));
        return out;
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.toAbsolutePath().getParent());
        if (Files.exists(p) && Files.readString(p, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }
}
