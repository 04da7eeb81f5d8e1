package conformance.internal.cases;

import static conformance.internal.Client.signal;

import conformance.internal.Case;
import conformance.internal.CaseContext;
import conformance.internal.Client;
import conformance.internal.GpuSpace;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import java.util.List;

/**
 * Faults and timeouts, contained to the guilty group: a store to an unmapped or read-only VA
 * makes the group fatal (its queue in fatal_queues, later submits EINVAL) while groups on other
 * VMs, in the same process or another, keep running; a job that never completes times out after
 * Panthor's 5 s (virtual) and the group reports TIMEDOUT.
 *
 * The "never completes" job blocks in SYNC_WAIT64 rather than spinning on a branch: Panthor's
 * job timer runs for a queue blocked on a sync wait just as for a busy one, and the model would
 * have to interpret five seconds of a 1 GHz branch loop (five billion instructions) otherwise.
 */
public final class FaultCases {

    private static final int TIMEDOUT = PanthorIoctls.DRM_PANTHOR_GROUP_STATE_TIMEDOUT;
    private static final int FATAL_FAULT = PanthorIoctls.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
    private static final long UNMAPPED_VA = 0x9000_0000L;
    private static final long JOB_TIMEOUT_MS = 5000;

    private FaultCases() {
    }

    static DrmPanthorGroupGetState awaitState(CaseContext ctx, Client c, int group, int bits, long timeoutMs) {
        if (!ctx.time().untilMs(() -> (c.groupState(group) & bits) != 0, timeoutMs)) {
            throw ctx.fail("group %d state 0x%x, expected bits 0x%x within %d ms", group, c.groupState(group), bits,
                    timeoutMs);
        }
        return c.drm().groupGetState(group);
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_fault@unmapped-store-kills-group", ctx -> {
            Client c = ctx.open("fltunmap");
            GpuSpace bad = new GpuSpace(c);
            GpuSpace good = new GpuSpace(c);
            int guilty = c.group(bad.vm());
            int bystander = c.group(good.vm());
            int fence = c.syncobj();
            c.submit(guilty, bad.storeAt(UNMAPPED_VA, 1).on(0).withSyncs(signal(fence)));
            DrmPanthorGroupGetState st = awaitState(ctx, c, guilty, FATAL_FAULT, 1000);
            ctx.check((st.state() & TIMEDOUT) == 0, "faulted group also reports TIMEDOUT (state 0x%x)", st.state());
            ctx.checkEq(1, st.fatalQueues() & 1, "queue 0 in fatal_queues");
            c.awaitSignaled(fence, "fence of the faulting job");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(guilty, bad.store(0, 1).on(0)), "submit to a faulted group");
            SubmitCases.storeAndCheck(c, good, bystander, 0, 0x600d);
            ctx.checkEq(0, c.groupState(bystander), "state of the group on the other VM");
        }));
        out.add(new Case("panthor_fault@readonly-store-kills-group", ctx -> {
            Client c = ctx.open("fltro");
            GpuSpace s = new GpuSpace(c);
            Client.Bo ro = c.bo(4096);
            long roVa = 0xa000_0000L;
            c.map(s.vm(), ro, 0, roVa, 4096, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
            int g = c.group(s.vm());
            c.submit(g, s.storeAt(roVa, 5).on(0));
            awaitState(ctx, c, g, FATAL_FAULT, 1000);
            ctx.checkEq(0L, c.process().read64(c.mmap(ro)), "contents of the read-only page");
        }));
        out.add(new Case("panthor_fault@other-process-unaffected", ctx -> {
            Client a = ctx.open("fltproca");
            Client b = ctx.open("fltprocb");
            GpuSpace sa = new GpuSpace(a);
            GpuSpace sb = new GpuSpace(b);
            int ga = a.group(sa.vm());
            int gb = b.group(sb.vm());
            a.submit(ga, sa.storeAt(UNMAPPED_VA, 1).on(0));
            awaitState(ctx, a, ga, FATAL_FAULT, 1000);
            SubmitCases.storeAndCheck(b, sb, gb, 0, 0xb0b);
            SubmitCases.storeAndCheck(b, sb, gb, 8, 0xb0b2);
        }));
        out.add(new Case("panthor_fault@vm-usable-after-fault", ctx -> {
            Client c = ctx.open("fltvm");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            c.submit(g, s.storeAt(UNMAPPED_VA, 1).on(0));
            awaitState(ctx, c, g, FATAL_FAULT, 1000);
            ctx.checkEq(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, c.drm().vmGetState(s.vm()),
                    "VM state after a page fault (faults make the group fatal, not the VM unusable)");
            SubmitCases.storeAndCheck(c, s, c.group(s.vm()), 0, 0x1234);
        }));
        out.add(new Case("panthor_timeout@blocked-job-times-out", ctx -> {
            Client c = ctx.open("tmoblock");
            GpuSpace s = new GpuSpace(c);
            GpuSpace other = new GpuSpace(c);
            int hung = c.group(s.vm());
            int fine = c.group(other.vm());
            int fence = c.syncobj();
            c.submit(hung, s.blockForever(0).on(0).withSyncs(signal(fence)));
            ctx.time().passMs(100);
            ctx.checkEq(0, c.groupState(hung), "state of a blocked group before the timeout");
            ctx.time().skip((JOB_TIMEOUT_MS + 200) * 1_000_000L);
            DrmPanthorGroupGetState st = awaitState(ctx, c, hung, TIMEDOUT, 2000);
            ctx.check((st.state() & FATAL_FAULT) == 0, "timed-out group also reports FATAL_FAULT (0x%x)", st.state());
            c.awaitSignaled(fence, "fence of the timed-out job");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(hung, s.store(8, 1).on(0)), "submit to a timed-out group");
            SubmitCases.storeAndCheck(c, other, fine, 0, 77);
        }));
        out.add(new Case("panthor_timeout@progress-resets-timer", ctx -> {
            Client c = ctx.open("tmoprog");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            int done = c.syncobj();
            /* Each job finishes before the clock jumps (in real time too): only progress is tested. */
            for (int i = 0; i < 4; i++) {
                int finished = c.syncobj();
                c.submit(g, s.store(0, 1 + i).on(0).withSyncs(signal(finished)));
                c.awaitSignaled(finished, "job " + i);
                ctx.time().skip(2000 * 1_000_000L);
            }
            c.submit(g, s.store(8, 9).on(0).withSyncs(signal(done)));
            c.awaitSignaled(done, "last of jobs spread over 6 s");
            ctx.checkEq(0, c.groupState(g), "state of a group whose jobs each finished at once");
            ctx.checkEq(4L, s.read64(0), "last store");
        }));
    }
}
