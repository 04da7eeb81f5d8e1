package conformance.internal.cases;

import conformance.internal.Case;
import conformance.internal.CaseContext;
import conformance.internal.CaseSkipped;
import conformance.internal.Client;
import conformance.internal.GpuSpace;
import driver.core.api.DeviceState;
import driver.core.api.DrmClientInfo;
import driver.core.api.PanthorDevice;
import driver.core.api.Sysfs;
import java.util.List;

/**
 * Runtime PM seen from user space: the device autosuspends when idle (autosuspend delay 50 ms),
 * an ioctl that needs the hardware resumes it, the user flush-id page reads the dummy value 1
 * while suspended, and power/control "on" in sysfs keeps it resumed. These cases need a device
 * nobody else keeps busy: while other clients hold groups (a load on the live device) they are
 * skipped.
 */
public final class PmCases {

    private static final String POWER = Sysfs.DEVICE_PATH + "/power/";
    private static final long SUSPEND_TIMEOUT_MS = 2000;

    private PmCases() {
    }

    /**
     * Waits for the autosuspend. A precondition, not an expectation, is that nobody else keeps
     * the device busy: while other DRM files hold groups (a load running on the live device)
     * the case is skipped rather than failed.
     */
    static void awaitSuspended(CaseContext ctx, PanthorDevice dev) {
        skipIfOthersHoldGroups(ctx);
        if (!ctx.time().untilMs(() -> dev.state() == DeviceState.SUSPENDED, SUSPEND_TIMEOUT_MS)) {
            skipIfOthersHoldGroups(ctx);
            throw ctx.fail("device still %s after %d ms with no group on it", dev.state(), SUSPEND_TIMEOUT_MS);
        }
    }

    private static void skipIfOthersHoldGroups(CaseContext ctx) {
        int groups = 0;
        for (DrmClientInfo c : ctx.drm().clients()) {
            if (!ctx.owns(c.pid())) {
                groups += c.groups();
            }
        }
        if (groups > 0) {
            throw new CaseSkipped("other clients hold " + groups + " groups: the device cannot autosuspend");
        }
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_pm@autosuspend-when-idle", ctx -> {
            PanthorDevice dev = ctx.requireDevice();
            ctx.open("pmidle").drm().timestampInfo(0);
            awaitSuspended(ctx, dev);
        }));
        out.add(new Case("panthor_pm@query-resumes", ctx -> {
            PanthorDevice dev = ctx.requireDevice();
            Client c = ctx.open("pmquery");
            awaitSuspended(ctx, dev);
            long before = c.drm().timestampInfo(0).currentTimestamp();
            ctx.checkEq(DeviceState.ACTIVE, dev.state(), "device state right after TIMESTAMP_INFO");
            ctx.check(before != 0, "timestamp read while resumed is 0");
            awaitSuspended(ctx, dev);
        }));
        out.add(new Case("panthor_pm@flush-id-dummy-page-while-suspended", ctx -> {
            PanthorDevice dev = ctx.requireDevice();
            Client c = ctx.open("pmflush");
            long page = c.drm().mapFlushId();
            awaitSuspended(ctx, dev);
            ctx.checkEq(1, c.process().read32(page), "LATEST_FLUSH_ID while suspended (dummy page)");
        }));
        out.add(new Case("panthor_pm@submit-resumes", ctx -> {
            PanthorDevice dev = ctx.requireDevice();
            Client c = ctx.open("pmsubmit");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            awaitSuspended(ctx, dev);
            SubmitCases.storeAndCheck(c, s, g, 0, 0x50b);
        }));
        out.add(new Case("panthor_pm@sysfs-runtime-status", ctx -> {
            PanthorDevice dev = ctx.requireDevice();
            Sysfs sysfs = ctx.requireSysfs();
            awaitSuspended(ctx, dev);
            ctx.checkEq("suspended", sysfs.read(POWER + "runtime_status").trim(), "power/runtime_status");
            ctx.check(Long.parseLong(sysfs.read(POWER + "runtime_suspended_time").trim()) >= 0, "runtime_suspended_time");
        }));
        out.add(new Case("panthor_pm@sysfs-control-on", ctx -> {
            PanthorDevice dev = ctx.requireDevice();
            Sysfs sysfs = ctx.requireSysfs();
            String old = sysfs.read(POWER + "control").trim();
            try {
                sysfs.write(POWER + "control", "on\n");
                ctx.checkEq("active", sysfs.read(POWER + "runtime_status").trim(), "runtime_status after control=on");
                ctx.time().passMs(300);
                ctx.checkEq(DeviceState.ACTIVE, dev.state(), "device state 300 ms after control=on");
            } finally {
                sysfs.write(POWER + "control", old + "\n");
            }
            if (old.equals("auto")) {
                awaitSuspended(ctx, dev);
            }
        }));
    }
}
