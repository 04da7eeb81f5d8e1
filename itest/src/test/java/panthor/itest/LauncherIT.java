package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** Runs ./panthor itself (without its build step: we are inside the build). */
public class LauncherIT {

    record Result(int status, String out, String err) {}

    /** Runs ./panthor with a fresh temporary state folder, so the user's .panthor is never touched. */
    static Result panthor(String... args) throws IOException, InterruptedException {
        Path state = Files.createTempDirectory("panthor-state-");
        try {
            return panthorWithState(state, args);
        } finally {
            deleteTree(state);
        }
    }

    static Result panthorWithState(Path state, String... args) throws IOException, InterruptedException {
        File root = new File(System.getProperty("panthor.root"));
        List<String> cmd = new ArrayList<>();
        cmd.add(new File(root, "panthor").getAbsolutePath());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root);
        pb.environment().put("PANTHOR_NO_BUILD", "1");
        pb.environment().put("PANTHOR_BUILD_DIR", System.getProperty("panthor.build.dir", "target"));
        pb.environment().put("PANTHOR_STATE", state.toString());
        Path out = Files.createTempFile("panthor-out", ".txt");
        Path err = Files.createTempFile("panthor-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./panthor did not exit within 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    public void preferIsPersistedInTheStateFolderAcrossRestarts() throws Exception {
        Path state = Files.createTempDirectory("panthor-state-");
        try {
            Result set = panthorWithState(state, "-c", "gpu:prefer mmu rewritten");
            assertEquals("stderr: " + set.err(), 0, set.status());
            assertTrue(set.out(), set.out().contains("mmu.impl = rewritten (persisted)"));
            assertTrue("ConfigAdmin wrote into the state folder", Files.exists(state.resolve("config")));

            Result after = panthorWithState(state, "-c", "gpu:subsystems");
            assertEquals("stderr: " + after.err(), 0, after.status());
            assertTrue(after.out(), WANTED_MMU.apply("rewritten").matcher(after.out()).find());
            assertTrue("the restarted container runs the wanted MMU: " + after.out(), java.util.regex.Pattern
                    .compile("(?m)^mmu\\s+ACTIVE\\s+rewritten\\s").matcher(after.out()).find());

            Result cleared = panthorWithState(state, "-c", "gpu:prefer mmu none; gpu:subsystems");
            assertEquals("stderr: " + cleared.err(), 0, cleared.status());
            assertTrue(cleared.out(), cleared.out().contains("mmu.impl removed"));
            assertTrue(cleared.out(), WANTED_MMU.apply("\\(best\\)").matcher(cleared.out()).find());

            Result again = panthorWithState(state, "-c", "gpu:subsystems");
            assertTrue(again.out(), WANTED_MMU.apply("\\(best\\)").matcher(again.out()).find());

            Result bad = panthorWithState(state, "-c", "gpu:prefer gpu rewritten");
            assertEquals(1, bad.status());
            assertTrue(bad.err(), bad.err().contains("no subsystem 'gpu'"));
        } finally {
            deleteTree(state);
        }
    }

    /** The mmu row of gpu:subsystems with the given WANTED column. */
    private static final java.util.function.Function<String, java.util.regex.Pattern> WANTED_MMU = wanted ->
            java.util.regex.Pattern.compile("(?m)^mmu\\s+\\S+\\s+\\S+\\s+mandatory\\s+" + wanted + "\\s");

    @Test
    public void gpuInfoExitsZeroAndPrintsTheGpuId() throws Exception {
        Result r = panthor("-c", "gpu:info");
        assertEquals("stderr: " + r.err(), 0, r.status());
        assertTrue(r.out(), r.out().contains("0xa8670005 (id 0xa867)"));
        assertTrue(r.out(), r.out().contains("mali-g610"));
    }

    @Test
    public void unknownCommandExitsNonZeroWithAMessage() throws Exception {
        Result r = panthor("-c", "gpu:info; no:such; gpu:info");
        assertNotEquals(0, r.status());
        assertTrue(r.err(), r.err().contains("no:such"));
        assertTrue("the command before the failure ran", r.out().contains("mali-g610"));
        assertEquals("the command after the failure did not run", r.out().indexOf("mali-g610"), r.out().lastIndexOf("mali-g610"));
    }

    @Test
    public void scriptFileRunsInOrder() throws Exception {
        Path script = Files.createTempFile("panthor", ".gosh");
        Files.writeString(script, "# identification\ngpu:info\necho done\n");
        Result r = panthor("-f", script.toString());
        Files.delete(script);
        assertEquals("stderr: " + r.err(), 0, r.status());
        assertTrue(r.out(), r.out().indexOf("mali-g610") < r.out().indexOf("done"));
    }

    @Test
    public void stopZeroIsANormalExit() throws Exception {
        Result r = panthor("-c", "gpu:info; stop 0; gpu:info");
        assertEquals("stderr: " + r.err(), 0, r.status());
    }

    @Test
    public void helpAndUsageErrors() throws Exception {
        Result help = panthor("--help");
        assertEquals(0, help.status());
        assertTrue(help.out(), help.out().contains("-c 'CMDS'"));
        Result bad = panthor("--bogus");
        assertEquals(2, bad.status());
        assertTrue(bad.err(), bad.err().contains("unknown argument '--bogus'"));
    }
}
