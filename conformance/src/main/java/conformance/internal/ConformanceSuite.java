package conformance.internal;

import conformance.internal.cases.BoCases;
import conformance.internal.cases.CoreCases;
import conformance.internal.cases.FaultCases;
import conformance.internal.cases.GroupCases;
import conformance.internal.cases.HeapCases;
import conformance.internal.cases.PmCases;
import conformance.internal.cases.PrimeCases;
import conformance.internal.cases.QueryCases;
import conformance.internal.cases.SubmitCases;
import conformance.internal.cases.SyncobjCases;
import conformance.internal.cases.VmCases;
import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.api.Sysfs;
import hw.model.api.VirtualTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * DOC: The conformance suite.
 *
 * An IGT-like list of UABI scenarios ({@code panthor_<area>@<scenario>}), each run against the
 * live device from fresh simulated processes through the ioctl byte path only, so whichever MMU
 * and scheduler implementations the slots hold at the moment are what is checked. Cases run one
 * after another in list order; each gets its own {@link CaseContext}, whose processes exit when
 * the case ends (and whose DRM files must then be gone). A case passes when it returns, fails
 * with the first unmet expectation or unexpected errno, and is skipped when a service it needs
 * was not given. No exception escapes {@link #run}: a bug in a case is that case's failure.
 *
 * Filters are IGT-style globs on the case name ({@code *} any run of characters, {@code ?} one
 * character), several separated by commas; null or empty selects every case.
 */
public final class ConformanceSuite {

    /** The live services the cases use; {@code device} and {@code sysfs} may be null. */
    public record Target(DrmDevice drm, VirtualTime time, PanthorDevice device, Sysfs sysfs) {
        public Target {
            if (drm == null || time == null) {
                throw new IllegalArgumentException("the suite needs the DrmDevice and VirtualTime services");
            }
        }
    }

    private final List<Case> cases;

    public ConformanceSuite() {
        this(defaultCases());
    }

    /** A suite of exactly {@code cases} (tests use this to check the reporting). */
    public ConformanceSuite(List<Case> cases) {
        Set<String> names = new HashSet<>();
        for (Case c : cases) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate case " + c.name());
            }
        }
        this.cases = List.copyOf(cases);
    }

    /** Every case, by area. */
    public static List<Case> defaultCases() {
        List<Case> all = new ArrayList<>();
        CoreCases.register(all);
        QueryCases.register(all);
        BoCases.register(all);
        PrimeCases.register(all);
        VmCases.register(all);
        SyncobjCases.register(all);
        GroupCases.register(all);
        SubmitCases.register(all);
        HeapCases.register(all);
        FaultCases.register(all);
        PmCases.register(all);
        return all;
    }

    public List<Case> cases() {
        return cases;
    }

    /** The names {@code glob} selects, in run order. */
    public List<String> select(String glob) {
        Pattern p = globPattern(glob);
        return cases.stream().map(Case::name).filter(n -> p.matcher(n).matches()).toList();
    }

    /** Runs the cases {@code glob} selects against {@code drm}; one result per case. */
    public List<CaseResult> run(DrmDevice drm, VirtualTime time, String glob) {
        return run(new Target(drm, time, null, null), glob, r -> { });
    }

    public List<CaseResult> run(DrmDevice drm, VirtualTime time, PanthorDevice device, Sysfs sysfs, String glob) {
        return run(new Target(drm, time, device, sysfs), glob, r -> { });
    }

    /** Runs the selected cases, handing each result to {@code listener} as it completes. */
    public List<CaseResult> run(Target target, String glob, Consumer<CaseResult> listener) {
        Pattern p = globPattern(glob);
        SuiteTime time = new SuiteTime(target.time());
        List<CaseResult> results = new ArrayList<>();
        for (Case c : cases) {
            if (!p.matcher(c.name()).matches()) {
                continue;
            }
            CaseResult r = runOne(c, target, time);
            results.add(r);
            listener.accept(r);
        }
        return results;
    }

    private static CaseResult runOne(Case c, Target target, SuiteTime time) {
        long start = System.nanoTime();
        CaseContext ctx = new CaseContext(c.name(), target.drm(), time, target.device(), target.sysfs());
        CaseResult.Outcome outcome = CaseResult.Outcome.PASS;
        String reason = "";
        try {
            c.body().run(ctx);
        } catch (CaseSkipped e) {
            outcome = CaseResult.Outcome.SKIP;
            reason = e.getMessage();
        } catch (CaseFailure e) {
            outcome = CaseResult.Outcome.FAIL;
            reason = e.getMessage();
        } catch (Throwable e) {
            outcome = CaseResult.Outcome.FAIL;
            reason = describe(e);
        }
        try {
            ctx.close();
        } catch (CaseFailure e) {
            if (outcome != CaseResult.Outcome.FAIL) {
                outcome = CaseResult.Outcome.FAIL;
                reason = e.getMessage();
            }
        } catch (Throwable e) {
            if (outcome != CaseResult.Outcome.FAIL) {
                outcome = CaseResult.Outcome.FAIL;
                reason = "cleanup: " + describe(e);
            }
        }
        return new CaseResult(c.name(), outcome, reason, System.nanoTime() - start);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String s = m == null ? e.getClass().getSimpleName() : m;
        if (!(e instanceof driver.core.user.IoctlException)) {
            s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
            StackTraceElement[] st = e.getStackTrace();
            for (StackTraceElement el : st) {
                if (el.getClassName().startsWith("conformance.")) {
                    s += " at " + el.getFileName() + ":" + el.getLineNumber();
                    break;
                }
            }
        }
        return s.replace('\n', ' ');
    }

    /** The summary line: {@code N passed, M failed}. */
    public static String summary(List<CaseResult> results) {
        long passed = results.stream().filter(CaseResult::passed).count();
        long failed = results.stream().filter(CaseResult::failed).count();
        return passed + " passed, " + failed + " failed";
    }

    static Pattern globPattern(String glob) {
        if (glob == null || glob.isBlank()) {
            return Pattern.compile(".*");
        }
        StringBuilder re = new StringBuilder();
        for (String part : glob.split(",")) {
            String g = part.trim();
            if (g.isEmpty()) {
                continue;
            }
            if (re.length() > 0) {
                re.append('|');
            }
            re.append("(?:");
            for (char ch : g.toCharArray()) {
                switch (ch) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            re.append(')');
        }
        return Pattern.compile(re.length() == 0 ? ".*" : re.toString());
    }
}
