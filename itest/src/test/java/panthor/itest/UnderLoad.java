package panthor.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.apache.felix.service.command.CommandProcessor;

/** Runs a step while a background {@code gpu:load} runs; the load must lose and fail nothing. */
final class UnderLoad {

    interface Body {
        void run() throws Exception;
    }

    private UnderLoad() {
    }

    /** The conformance suite passes before and after; the load completes jobs and loses or fails none. */
    static void run(CommandProcessor processor, Body body) throws Exception {
        BaselineIT.assertConformancePasses(processor);
        GogoShell.run(processor, "gpu:load start --clients 4 --seed 6");
        String line;
        try {
            Thread.sleep(200);
            body.run();
            Thread.sleep(200);
        } finally {
            line = GogoShell.lastLine(GogoShell.run(processor, "gpu:load stop"));
        }
        assertTrue(line, GogoShell.field(line, "completed") > 0);
        assertEquals(line, 0, GogoShell.field(line, "lost"));
        assertEquals(line, 0, GogoShell.field(line, "failed"));
        BaselineIT.assertConformancePasses(processor);
    }
}
