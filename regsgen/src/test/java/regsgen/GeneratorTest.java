package regsgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import regsgen.Model.Access;
import regsgen.Model.FieldDef;
import regsgen.Model.Kind;
import regsgen.Model.Register;
import regsgen.Model.Spec;

/** The real description parses to the expected model and generates the expected shapes. */
class GeneratorTest {

    static final Path REGS = Path.of("../hw.model/src/main/regs/mali-g610.regs");
    static String text;
    static Spec spec;
    static Map<String, String> files;

    @BeforeAll
    static void load() throws IOException {
        text = Files.readString(REGS, StandardCharsets.UTF_8);
        spec = Parser.parse(REGS.toString(), text);
        files = RegsGen.generate(REGS.toString(), "mali-g610.regs", text);
    }

    private static String cstyle() {
        return files.get("hw/model/regs/MaliRegs.java");
    }

    private static String typed(String cls) {
        String s = files.get("hw/model/regs/typed/" + cls + ".java");
        assertNotNull(s, "no typed class " + cls);
        return s;
    }

    // ---- round trip: the parsed model holds what the file says

    @Test
    void blocksAndBases() {
        assertEquals(List.of("GPU_CONTROL", "JOB_CONTROL", "MMU", "MMU_AS", "CSF"),
                spec.blocks.stream().map(b -> b.name).toList());
        assertEquals(0x2400, spec.block("MMU_AS").base);
        assertEquals(16, spec.block("MMU_AS").array.count);
        assertEquals(0x40, spec.block("MMU_AS").array.stride);
    }

    @Test
    void gpuIdFields() {
        Register r = spec.register("GPU_ID");
        assertEquals(0, r.offset);
        assertEquals(Access.RO, r.access);
        FieldDef major = r.layout.field("ARCH_MAJOR");
        assertEquals(31, major.msb);
        assertEquals(28, major.lsb);
        assertEquals("GPU_ARCH_MAJOR", major.cname);
        assertEquals(19, r.layout.field("PRODUCT_MAJOR").msb);
    }

    @Test
    void sixtyFourBitRegisters() {
        for (String n : List.of("GPU_SHADER_PRESENT", "GPU_TILER_PRESENT", "GPU_L2_PRESENT", "SHADER_READY", "L2_PWRON",
                "TILER_PWROFF", "L2_PWRTRANS", "SHADER_PWRACTIVE", "GPU_TIMESTAMP_OFFSET", "GPU_CYCLE_COUNT",
                "GPU_TIMESTAMP", "GPU_FAULT_ADDR", "AS_TRANSTAB", "AS_MEMATTR", "AS_LOCKADDR", "AS_FAULTADDRESS",
                "AS_TRANSCFG")) {
            assertEquals(64, spec.register(n).width, n);
        }
        assertEquals(32, spec.register("AS_COMMAND").width);
    }

    @Test
    void sharedLayouts() {
        assertEquals(List.of("GPU_INT_RAWSTAT", "GPU_INT_CLEAR", "GPU_INT_MASK", "GPU_INT_STAT"),
                spec.layouts.get("GPU_IRQ").users.stream().map(r -> r.name).toList());
        assertEquals(8, spec.layouts.get("GPU_IRQ").field("RESET_COMPLETED").lsb);
        FieldDef csg = spec.layouts.get("JOB_INT").field("CSG_IF");
        assertEquals(Kind.BITS, csg.kind);
        assertEquals(30, csg.msb);
        assertEquals(31, spec.layouts.get("JOB_INT").field("GLOBAL_IF").lsb);
    }

    @Test
    void exceptionCodes() {
        Model.EnumType e = spec.enums.get("EXCEPTION_TYPE");
        assertEquals(48, e.values.size());
        assertEquals(0x0f, e.value("CS_RES_TERM").value);
        assertEquals(0x41, e.value("CS_UNRECOVERABLE").value);
        assertEquals(0xc4, e.value("TRANSLATION_FAULT_4").value);
        assertEquals(0xdb, e.value("ACCESS_FLAG_3").value);
        assertEquals(0xeb, e.value("MEM_ATTR_FAULT_3").value);
        assertEquals(e, spec.register("AS_FAULTSTATUS").layout.field("EXCEPTION_TYPE").enumType);
    }

    @Test
    void asCommandEnumAndTranscfg() {
        FieldDef cmd = spec.register("AS_COMMAND").layout.field("COMMAND");
        assertEquals(5, cmd.enumType.value("FLUSH_MEM").value);
        FieldDef adr = spec.register("AS_TRANSCFG").layout.field("ADRMODE");
        assertEquals(6, adr.enumType.value("AARCH64_4K").value);
        assertEquals(36, spec.register("AS_TRANSCFG").layout.field("XREADABLE").lsb);
    }

    @Test
    void doorbellsStayInsideTheTwoMegabyteWindow() {
        Register db = spec.register("CSF_DOORBELL");
        long last = db.block.base + db.offset + (db.array.count - 1) * db.array.stride;
        assertEquals(0x80000, db.block.base + db.offset);
        assertTrue(last + 4 <= 2 << 20);
    }

    // ---- the C-style binding

    @Test
    void cstyleOffsetsAndFlags() {
        String c = cstyle();
        assertTrue(c.contains("public static final int GPU_ID = 0x0;"));
        assertTrue(c.contains("public static final int GPU_INT_RAWSTAT = 0x20;"));
        assertTrue(c.contains("public static final int SHADER_READY = 0x140;"));
        assertTrue(c.contains("public static final int SHADER_READY_LO = 0x140;"));
        assertTrue(c.contains("public static final int SHADER_READY_HI = 0x144;"));
        assertTrue(c.contains("public static final int GPU_IRQ_RESET_COMPLETED = 0x100;"));
        assertTrue(c.contains("public static final int GPU_IRQ_CLEAN_CACHES_COMPLETED = 0x20000;"));
        assertTrue(c.contains("public static final int JOB_INT_GLOBAL_IF = 0x80000000;"));
        assertTrue(c.contains("public static final int AS_STATUS_AS_ACTIVE = 0x1;"));
        assertTrue(c.contains("public static final int GPU_PWR_KEY_UNLOCK = 0x2968a819;"));
        assertTrue(c.contains("public static final int GPU_STATUS_PROTM_ACTIVE = 0x80;"));
    }

    @Test
    void cstyleEnumsInPlace() {
        String c = cstyle();
        assertTrue(c.contains("public static final int AS_COMMAND_LOCK = 0x2;"));
        assertTrue(c.contains("public static final int MCU_CONTROL_AUTO = 0x2;"));
        assertTrue(c.contains("public static final int MCU_STATUS_FATAL = 0x3;"));
        assertTrue(c.contains("public static final int GPU_COHERENCY_NONE = 0x1f;"));
        assertTrue(c.contains("public static final int AS_FAULTSTATUS_ACCESS_TYPE_WRITE = 0x300;"));
        assertTrue(c.contains("public static final long AS_TRANSCFG_PTW_MEMATTR_WB = 0x2000000L;"));
        assertTrue(c.contains("public static final long AS_TRANSCFG_PTW_SH_OS = 0x20000000L;"));
        assertTrue(c.contains("public static final long AS_TRANSCFG_ADRMODE_AARCH64_4K = 0x6L;"));
        assertTrue(c.contains("public static final long AS_TRANSCFG_XREADABLE = 0x1000000000L;"));
        assertTrue(c.contains("public static final int EXCEPTION_TRANSLATION_FAULT_0 = 0xc0;"));
        assertTrue(c.contains("public static final int CACHE_CLEAN = 0x1;"));
        assertTrue(c.contains("public static final int CACHE_INV = 0x2;"));
    }

    @Test
    void cstyleHelpers() {
        String c = cstyle();
        assertTrue(c.contains("public static int MMU_AS(int as)"));
        assertTrue(c.contains("public static final int MMU_AS_SHIFT = 6;"));
        assertTrue(c.contains("public static int AS_COMMAND(int as) { return MMU_AS(as) + 0x18; }"));
        assertTrue(c.contains("public static int AS_TRANSTAB_LO(int as)"));
        assertTrue(c.contains("public static int AS_TRANSTAB_HI(int as) { return MMU_AS(as) + 0x4; }"));
        assertTrue(c.contains("public static int CSF_DOORBELL(int i) { return 0x80000 + i * 0x10000; }"));
        assertTrue(c.contains("public static int GPU_TEXTURE_FEATURES(int n) { return 0xb0 + n * 0x4; }"));
        assertTrue(c.contains("public static int GPU_CMD_DEF(int type, int payload)"));
        assertTrue(c.contains("public static int GPU_FLUSH_CACHES(int l2, int lsc, int other)"));
        assertTrue(c.contains("public static final int GPU_SOFT_RESET = 0x101;"));
        assertTrue(c.contains("public static final int GPU_HARD_RESET = 0x201;"));
        assertTrue(c.contains("public static int JOB_INT_CSG_IF(int n) { return 1 << (0 + n); }"));
        assertTrue(c.contains("public static int GPU_ARCH_MAJOR(int v)"), "extractor for a read-only field");
        assertTrue(c.contains("public static long AS_TRANSCFG_INA_BITS(int x)"), "encoder for a writable field");
        assertTrue(c.contains("public static long AS_LOCKADDR_DEF(long base, int size)"));
    }

    // ---- the typed binding, the map and the doc

    @Test
    void typedClassesExist() {
        for (String cls : List.of("GpuId", "GpuCommand", "GpuCommandReset", "GpuCommandFlush", "AsCommand", "AsTranstab",
                "L2Ready", "McuControl", "McuStatus", "AsFaultstatus", "ExceptionType", "FlushMode", "GpuIrq",
                "JobInt", "MemAttr", "RegisterIo", "package-info")) {
            typed(cls);
        }
    }

    @Test
    void typedShapes() {
        assertTrue(typed("GpuId").contains("public int archMajor()"));
        assertTrue(typed("GpuId").contains("public static GpuId read(Mmio mmio)"));
        assertFalse(typed("GpuId").contains("withArchMajor"), "read-only register has no builders");
        assertFalse(typed("GpuId").contains("void write("), "read-only register has no write");
        assertTrue(typed("AsCommand").contains("public AsCommand withCommand(Command v)"));
        assertTrue(typed("AsCommand").contains("public void write(Mmio mmio, int as)"));
        assertFalse(typed("AsCommand").contains("read(Mmio"), "write-only register has no read");
        assertTrue(typed("L2Ready").contains("RegisterIo.read64(mmio, OFFSET)"));
        assertTrue(typed("AsFaultstatus").contains("public ExceptionType exceptionType()"));
        assertTrue(typed("GpuCommandFlush").contains("public static GpuCommandFlush gpuFlushCaches(FlushMode l2, FlushMode lsc, FlushMode other)"));
        assertTrue(typed("GpuIntMask").contains("public GpuIntMask withResetCompleted(boolean on)"));
        assertTrue(typed("JobIntClear").contains("public JobIntClear withCsgIf(int n, boolean on)"));
        assertTrue(typed("package-info").contains("@org.osgi.annotation.bundle.Export"));
        assertTrue(typed("RegisterIo").contains("if (hi == hi2)"));
    }

    @Test
    void registerMapAndMarkdown() {
        String map = files.get("hw/model/regs/RegisterMap.java");
        assertTrue(map.contains("new Register(\"MMU_AS\", \"AS_COMMAND\", 0x2418, 32, Access.WO, \"as\", 16, 0x40,"));
        String md = files.get(RegsGen.MARKDOWN);
        assertTrue(md.contains("| 0x00000 | GPU_ID | 32 | RO |"));
        assertTrue(md.contains("| +0x18 | AS_COMMAND | 32 | WO | COMMAND 7:0 |"));
        assertTrue(md.contains("| 0xc0 | TRANSLATION_FAULT_0 | `EXCEPTION_TRANSLATION_FAULT_0` |"));
        assertTrue(md.contains("| 0x80000 + i × 0x10000 (24) | CSF_DOORBELL | 32 | WO |"), md);
    }

    // ---- the command line

    @Test
    void mainWritesFilesAndRemovesStaleOnes(@TempDir Path dir) throws Exception {
        Path java = dir.resolve("java");
        Path stale = java.resolve("hw/model/regs/typed/OldRegister.java");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "stale");
        Path md = dir.resolve("docs/registers.md");
        RegsGen.main(new String[] {REGS.toString(), java.toString(), md.toString()});
        assertTrue(Files.exists(java.resolve("hw/model/regs/MaliRegs.java")));
        assertTrue(Files.exists(java.resolve("hw/model/regs/typed/GpuId.java")));
        assertTrue(Files.readString(md).startsWith("# Mali-G610 register map"));
        assertFalse(Files.exists(stale), "a class no longer described is removed");
    }

    @Test
    void mainFailsWithFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.regs");
        Files.writeString(bad, "Block B 0x0 0x10\n Reg R 0x0 32 ro\n  Field 33 X\n EndReg\nEndBlock\n");
        RegsException e = assertThrows(RegsException.class,
                () -> RegsGen.main(new String[] {bad.toString(), dir.resolve("j").toString(), dir.resolve("r.md").toString()}));
        assertEquals(List.of(bad + ":3: field X (33) is outside the 32-bit R"), e.errors());
        assertFalse(Files.exists(dir.resolve("j")), "nothing is written when the description is wrong");
    }

    // ---- the generated code compiles and behaves

    @Test
    void generatedSourcesCompileAndWork(@TempDir Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        Path src = dir.resolve("src");
        List<String> paths = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (f.getKey().endsWith(".java") && !f.getKey().endsWith("package-info.java")) {
                Path p = src.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
                paths.add(p.toString());
            }
        }
        Path mmio = src.resolve("hw/model/api/Mmio.java");
        Files.createDirectories(mmio.getParent());
        Files.writeString(mmio, "package hw.model.api;\npublic interface Mmio {\n int read32(int offset);\n"
                + " void write32(int offset, int value);\n}\n");
        paths.add(mmio.toString());
        Path classes = dir.resolve("classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-Xlint:all", "-Werror", "--release", "17"));
        args.addAll(paths);
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "generated code must compile without warnings");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> regs = cl.loadClass("hw.model.regs.MaliRegs");
            assertEquals(0x2400 + 3 * 0x40 + 0x18, regs.getMethod("AS_COMMAND", int.class).invoke(null, 3));
            assertEquals(0x3304, regs.getMethod("GPU_FLUSH_CACHES", int.class, int.class, int.class).invoke(null, 3, 3, 0));
            assertEquals(10, regs.getMethod("GPU_ARCH_MAJOR", int.class).invoke(null, 0xa867_0005));
            assertEquals(0x1c0L, regs.getMethod("AS_TRANSCFG_INA_BITS", int.class).invoke(null, 7));
            assertEquals(0xd, regs.getMethod("AS_MEMATTR_AARCH64_INNER_ALLOC_EXPL", int.class, int.class).invoke(null, 1, 0));

            Class<?> gpuId = cl.loadClass("hw.model.regs.typed.GpuId");
            Object id = gpuId.getMethod("of", int.class).invoke(null, 0xa867_0005);
            assertEquals(10, gpuId.getMethod("archMajor").invoke(id));
            assertEquals(7, gpuId.getMethod("productMajor").invoke(id));
            assertTrue(id.toString().contains("ARCH_MAJOR=0xa"), id.toString());

            Class<?> asCommand = cl.loadClass("hw.model.regs.typed.AsCommand");
            Method offset = asCommand.getMethod("offset", int.class);
            assertEquals(0x2418 + 15 * 0x40, offset.invoke(null, 15));
            Throwable t = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> offset.invoke(null, 16)).getCause();
            assertTrue(t instanceof IndexOutOfBoundsException, t.toString());

            Class<?> map = cl.loadClass("hw.model.regs.RegisterMap");
            assertEquals("AS_TRANSTAB_HI(2)", map.getMethod("nameAt", int.class).invoke(null, 0x2400 + 2 * 0x40 + 4));
            assertEquals("CSF_DOORBELL(1)", map.getMethod("nameAt", int.class).invoke(null, 0x90000));
            assertNull(map.getMethod("nameAt", int.class).invoke(null, 0x38));
        }
    }
}
