package panthor.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The embedded Felix framework: installs every bundle of the distro before starting any (so
 * SCR's optional ConfigAdmin/Metatype imports wire), starts them, and decides when the driver
 * is ready: the panthor device service is registered, Gogo's command processor is up, every
 * bundle is active and every Declarative Services component is satisfied or active.
 *
 * <p>The framework cache is private to this process (a temporary folder), so two launchers
 * never share one; ConfigAdmin keeps its configurations in {@code .panthor/config} so they
 * survive restarts.
 */
final class Container {

    static final String CONSOLE_BSN = "org.apache.felix.gogo.jline";
    private static final String DEVICE_CLASS = "driver.core.api.PanthorDevice";
    private static final String PROCESSOR_CLASS = "org.apache.felix.service.command.CommandProcessor";
    private static final String SCR_CLASS = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    private static final Logger JLINE_LOG = Logger.getLogger("org.jline");

    private final Path bundleDir;
    private final PrintStream err;
    private Framework framework;
    private Path cache;
    private Bundle console;
    private volatile String notReady = "framework not started";

    Container(Path bundleDir, PrintStream err) {
        this.bundleDir = bundleDir;
        this.err = err;
    }

    void start(boolean interactive) {
        List<Path> jars = listJars();
        Map<String, String> props = new HashMap<>();
        try {
            cache = Files.createTempDirectory("panthor-felix-");
        } catch (IOException e) {
            throw new ContainerException("cannot create the framework cache: " + e.getMessage(), e);
        }
        props.put(Constants.FRAMEWORK_STORAGE, cache.resolve("felix").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("felix.log.level", "1");
        props.put("felix.cm.dir", stateDir().resolve("config").toString());
        // gogo.jline reads etc/gosh_profile under the *system* property gosh.home.
        if (interactive) {
            System.setProperty("gosh.home", stateDir().toString());
        } else {
            System.setProperty("gosh.home", scriptHome().toString());
            props.put("gosh.args", "--nointeractive");
            JLINE_LOG.setLevel(Level.SEVERE); // "creating a dumb terminal" is expected here
        }
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new ContainerException("no OSGi framework on the class path", null));
        framework = factory.newFramework(props);
        try {
            framework.init();
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : jars) {
                installed.add(ctx.installBundle(jar.toUri().toString()));
            }
            framework.start();
            for (Bundle b : installed) {
                if (CONSOLE_BSN.equals(b.getSymbolicName())) {
                    console = b;
                    if (!interactive) {
                        // --nointeractive: JLine's builtins (echo, grep, ...) and converters,
                        // no console reading stdin.
                        startWithJlineLoader(b);
                    }
                } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
        } catch (BundleException e) {
            throw new ContainerException("cannot start the container: " + e.getMessage(), e);
        }
    }

    /** Starts the JLine console last, once commands are registered (no race with SCR). */
    void startConsole() {
        if (console == null) {
            throw new ContainerException("the distro has no " + CONSOLE_BSN + " bundle", null);
        }
        try {
            startWithJlineLoader(console);
        } catch (BundleException e) {
            throw new ContainerException("cannot start the console: " + e.getMessage(), e);
        }
    }

    /**
     * JLine finds its terminal providers through the context class loader, which the console
     * thread inherits from this one: point it at JLine's bundle class loader meanwhile.
     */
    private void startWithJlineLoader(Bundle b) throws BundleException {
        Thread me = Thread.currentThread();
        ClassLoader saved = me.getContextClassLoader();
        try {
            me.setContextClassLoader(jlineClassLoader());
            b.start();
        } finally {
            me.setContextClassLoader(saved);
        }
    }

    private ClassLoader jlineClassLoader() {
        for (Bundle b : context().getBundles()) {
            if ("org.jline".equals(b.getSymbolicName())) {
                BundleWiring wiring = b.adapt(BundleWiring.class);
                if (wiring != null) {
                    return wiring.getClassLoader();
                }
            }
        }
        return Thread.currentThread().getContextClassLoader();
    }

    boolean awaitReady(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            notReady = checkReady();
            if (notReady == null) {
                return true;
            }
            if (System.currentTimeMillis() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    String notReadyReason() {
        return notReady;
    }

    boolean stopping() {
        return framework == null || (framework.getState() & (Bundle.STOPPING | Bundle.RESOLVED)) != 0;
    }

    void awaitStop() {
        try {
            framework.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Object commandProcessor() {
        ServiceReference<?> ref = context().getServiceReference(PROCESSOR_CLASS);
        return ref == null ? null : context().getService(ref);
    }

    void stop() {
        if (framework != null) {
            try {
                framework.stop();
                FrameworkEvent ev = framework.waitForStop(10_000);
                if (ev.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    err.println("panthor: framework did not stop within 10 s");
                }
            } catch (BundleException | InterruptedException | IllegalStateException e) {
                // Already stopping (for example after 'stop 0'): nothing left to do.
            }
        }
        if (cache != null) {
            deleteTree(cache);
        }
    }

    private String checkReady() {
        BundleContext ctx;
        try {
            ctx = framework.getBundleContext();
            if (ctx == null) {
                return "framework is not running";
            }
            for (Bundle b : ctx.getBundles()) {
                boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                if ((b == console && console.getState() != Bundle.ACTIVE) || fragment || b.getBundleId() == 0) {
                    continue;
                }
                if (b.getState() != Bundle.ACTIVE) {
                    return "bundle " + b.getSymbolicName() + " is " + stateName(b.getState());
                }
            }
            if (ctx.getServiceReference(PROCESSOR_CLASS) == null) {
                return "Gogo command processor not registered";
            }
            String components = unsatisfiedComponents(ctx);
            if (components != null) {
                return components;
            }
            if (ctx.getServiceReference(DEVICE_CLASS) == null) {
                return "panthor device not registered (probe has not completed)";
            }
            return null;
        } catch (IllegalStateException e) {
            return "framework is stopping";
        }
    }

    /**
     * Asks SCR (through reflection: its API classes live inside the framework) whether every
     * enabled component has a satisfied or active configuration.
     */
    private String unsatisfiedComponents(BundleContext ctx) {
        ServiceReference<?> ref = ctx.getServiceReference(SCR_CLASS);
        if (ref == null) {
            return "Declarative Services runtime not registered";
        }
        Object scr = ctx.getService(ref);
        try {
            Collection descriptions = new Collection(scr.getClass().getMethod("getComponentDescriptionDTOs", Bundle[].class)
                    .invoke(scr, (Object) new Bundle[0]));
            for (Object desc : descriptions.items) {
                String name = (String) field(desc, "name");
                String policy = (String) field(desc, "configurationPolicy");
                Method isEnabled = method(scr, "isComponentEnabled");
                if (!(Boolean) isEnabled.invoke(scr, desc)) {
                    continue;
                }
                Collection configs = new Collection(method(scr, "getComponentConfigurationDTOs").invoke(scr, desc));
                if (configs.items.isEmpty()) {
                    if (!"require".equals(policy)) {
                        return "component " + name + " has no configuration yet";
                    }
                    continue;
                }
                for (Object cfg : configs.items) {
                    int state = (Integer) field(cfg, "state");
                    if (state != 4 && state != 8) { // SATISFIED, ACTIVE
                        return "component " + name + " is " + componentState(state) + missingReferences(cfg);
                    }
                }
            }
            return null;
        } catch (ReflectiveOperationException e) {
            return "cannot query SCR: " + e;
        } finally {
            ctx.ungetService(ref);
        }
    }

    private static String missingReferences(Object cfg) throws ReflectiveOperationException {
        Object[] unsatisfied = (Object[]) field(cfg, "unsatisfiedReferences");
        if (unsatisfied == null || unsatisfied.length == 0) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (Object u : unsatisfied) {
            names.add((String) field(u, "name") + " (" + field(u, "target") + ")");
        }
        return "; missing references: " + String.join(", ", names);
    }

    private static String componentState(int state) {
        return switch (state) {
            case 1 -> "UNSATISFIED_CONFIGURATION";
            case 2 -> "UNSATISFIED_REFERENCE";
            case 16 -> "FAILED_ACTIVATION";
            default -> "in state " + state;
        };
    }

    private static Method method(Object target, String name) {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalStateException("no method " + name + " on " + target.getClass());
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getField(name);
        return f.get(target);
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (unresolved)";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    private List<Path> listJars() {
        if (!Files.isDirectory(bundleDir)) {
            throw new ContainerException("no bundles in " + bundleDir + " (build with: mvn -B package -DskipTests)", null);
        }
        try (Stream<Path> s = Files.list(bundleDir)) {
            List<Path> jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new ContainerException("no bundles in " + bundleDir, null);
            }
            return jars;
        } catch (IOException e) {
            throw new ContainerException("cannot list " + bundleDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * gosh home for script mode: its etc/gosh_profile replaces the default profile, which
     * configures a line reader that a non-interactive session does not have.
     */
    private Path scriptHome() {
        Path etc = cache.resolve("gosh").resolve("etc");
        try {
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("gosh_profile"), String.join("\n",
                    "# script mode (./panthor -c / -f): no line reader, no completions",
                    "SCOPE = 'gogo:*'",
                    "addcommand context ${.context}",
                    "e = { $exception printStackTrace }",
                    ""));
        } catch (IOException e) {
            throw new ContainerException("cannot write the script-mode gosh profile: " + e.getMessage(), e);
        }
        return cache.resolve("gosh");
    }

    private static Path stateDir() {
        return Path.of(System.getProperty("panthor.state", ".panthor"));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // Best effort: a leftover temp folder is harmless.
        }
    }

    /** SCR returns Collections of DTOs; normalise them to a list. */
    private static final class Collection {
        final List<Object> items = new ArrayList<>();

        Collection(Object value) {
            if (value instanceof java.util.Collection<?> c) {
                items.addAll(c);
            }
        }
    }
}
