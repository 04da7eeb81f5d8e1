package panthor.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.DefaultCompositeOption;

/**
 * The Pax Exam configuration shared by every integration test: the bundles this reactor's
 * distro resolved and exported (no runtime download of our own bundles), minus the JLine
 * console, which would read the forked JVM's stdin.
 */
final class PanthorContainer {
    private PanthorContainer() {}

    static final List<String> EXCLUDED = List.of("org.apache.felix.gogo.jline", "jline-");

    static Option[] options() {
        String dir = System.getProperty("panthor.bundles");
        File[] jars = new File(dir).listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no distro bundles in " + dir + "; run the build from the root");
        }
        Arrays.sort(jars);
        List<Option> opts = new ArrayList<>();
        for (File jar : jars) {
            if (EXCLUDED.stream().noneMatch(jar.getName()::startsWith)) {
                opts.add(bundle(jar.toURI().toString()));
            }
        }
        opts.add(systemProperty("pax.exam.osgi.unresolved.fail").value("true"));
        opts.add(junitBundles());
        opts.add(cleanCaches());
        return new Option[] {new DefaultCompositeOption(opts.toArray(new Option[0]))};
    }

    /** Symbolic names of the bundles the distro provides (for the all-ACTIVE check). */
    static List<String> distroJarNames() {
        File[] jars = new File(System.getProperty("panthor.bundles")).listFiles((d, n) -> n.endsWith(".jar"));
        List<String> names = new ArrayList<>();
        for (File jar : jars) {
            if (EXCLUDED.stream().noneMatch(jar.getName()::startsWith)) {
                names.add(jar.getName());
            }
        }
        return names;
    }
}
