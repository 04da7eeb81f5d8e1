package conformance.internal;

import driver.core.api.DrmClientInfo;
import driver.core.api.DrmDevice;
import driver.core.api.PanthorDevice;
import driver.core.api.Sysfs;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.user.Credentials;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * DOC: What a case sees.
 *
 * A context belongs to one case run: it opens fresh simulated processes on the live device
 * ({@link #open}), offers the checks a case makes ({@link #check}, {@link #expectErrno}) and,
 * when the case ends, makes every process it opened exit and verifies that the device no longer
 * lists a DRM file of any of them (the release path ran: nothing leaked past exit). Services a
 * case may need beyond the render node (the device's PM state, sysfs) are optional: a case that
 * needs an absent one is skipped, not failed.
 */
public final class CaseContext {

    private final DrmDevice drm;
    private final SuiteTime time;
    private final PanthorDevice device;
    private final Sysfs sysfs;
    private final String caseName;
    private final List<UserProcess> processes = new ArrayList<>();

    CaseContext(String caseName, DrmDevice drm, SuiteTime time, PanthorDevice device, Sysfs sysfs) {
        this.caseName = caseName;
        this.drm = drm;
        this.time = time;
        this.device = device;
        this.sysfs = sysfs;
    }

    public DrmDevice drm() {
        return drm;
    }

    public SuiteTime time() {
        return time;
    }

    /** The probed device (runtime-PM state); skips the case if the suite runs without it. */
    public PanthorDevice requireDevice() {
        if (device == null) {
            throw new CaseSkipped("needs the PanthorDevice service");
        }
        return device;
    }

    /** The virtual sysfs; skips the case if the suite runs without it. */
    public Sysfs requireSysfs() {
        if (sysfs == null) {
            throw new CaseSkipped("needs the Sysfs service");
        }
        return sysfs;
    }

    // ------------------------------------------------------------------ processes

    /** A fresh process with ordinary user credentials that opened the render node. */
    public Client open(String comm) {
        return open(comm, Credentials.user());
    }

    public Client open(String comm, Credentials credentials) {
        UserProcess process = newProcess(comm, credentials);
        return new Client(this, PanthorClient.open(process));
    }

    /** A fresh process that has opened nothing yet. */
    public UserProcess newProcess(String comm, Credentials credentials) {
        UserProcess process = drm.newProcess(shortName(comm), credentials);
        processes.add(process);
        return process;
    }

    private String shortName(String comm) {
        String c = "cf-" + comm;
        return c.length() > 15 ? c.substring(0, 15) : c;
    }

    /** Ends every process and checks that none of them still has a DRM file on the device. */
    void close() {
        RuntimeException first = null;
        for (UserProcess p : processes) {
            try {
                p.exit();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw new CaseFailure("process exit failed: " + first);
        }
        for (DrmClientInfo c : drm.clients()) {
            for (UserProcess p : processes) {
                if (c.pid() == p.pid()) {
                    throw new CaseFailure("DRM file of pid " + c.pid() + " (" + c.comm() + ") survives its process");
                }
            }
        }
    }

    /** Whether {@code pid} is one of this case's processes. */
    public boolean owns(int pid) {
        for (UserProcess p : processes) {
            if (p.pid() == pid) {
                return true;
            }
        }
        return false;
    }

    /** The fdinfo-like view of {@code client}'s DRM file. */
    public DrmClientInfo info(Client client) {
        for (DrmClientInfo c : drm.clients()) {
            if (c.pid() == client.process().pid()) {
                return c;
            }
        }
        throw new CaseFailure("no DRM file listed for pid " + client.process().pid());
    }

    // ------------------------------------------------------------------ checks

    public void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new CaseFailure(String.format(format, args));
        }
    }

    public void checkEq(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new CaseFailure(what + ": expected " + show(expected) + ", got " + show(actual));
        }
    }

    private static String show(Object v) {
        if (v instanceof Long l && (l > 9999 || l < 0)) {
            return l + String.format(" (0x%x)", l);
        }
        if (v instanceof Integer i && (i > 9999 || i < 0)) {
            return i + String.format(" (0x%x)", i);
        }
        return String.valueOf(v);
    }

    public CaseFailure fail(String format, Object... args) {
        return new CaseFailure(String.format(format, args));
    }

    /** The errno {@code call} fails with, 0 if it succeeds. */
    public int errnoOf(Runnable call) {
        try {
            call.run();
            return 0;
        } catch (IoctlException e) {
            return e.errno();
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    /** {@code call} must fail with exactly {@code errno}. */
    public void expectErrno(int errno, String what, Runnable call) {
        int got = errnoOf(call);
        if (got != errno) {
            throw new CaseFailure(what + ": expected " + Errno.name(errno) + ", got "
                    + (got == 0 ? "success" : Errno.name(got)));
        }
    }

    /** A raw result ({@code 0} or {@code -errno}) must be {@code -errno}. */
    public void expectResult(int errno, String what, int result) {
        if (result != (errno == 0 ? 0 : -errno)) {
            throw new CaseFailure(what + ": expected " + (errno == 0 ? "success" : Errno.name(errno)) + ", got "
                    + (result == 0 ? "success" : result > 0 ? String.valueOf(result) : Errno.name(-result)));
        }
    }

    @Override
    public String toString() {
        return caseName;
    }
}
