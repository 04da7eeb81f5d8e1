package conformance.internal.cases;

import static conformance.internal.Client.await;
import static conformance.internal.Client.awaitPoint;
import static conformance.internal.Client.signal;
import static conformance.internal.Client.signalPoint;

import conformance.internal.Case;
import conformance.internal.Client;
import conformance.internal.GpuSpace;
import driver.core.uapi.DrmPanthorGroupSubmit;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.List;

/**
 * GROUP_SUBMIT with real command streams: memory effects checked from the CPU, syncobj signals,
 * batches whose later jobs wait on earlier ones, empty streams as sync points, submit
 * validations, the CS-level sync wait, GPU views of remaps and partial 2 MiB unmaps (no stale
 * translation after a bind returns), and more groups than CSG slots.
 */
public final class SubmitCases {

    private static final long SZ_4K = 4096;
    private static final long SZ_2M = 2L << 20;

    private SubmitCases() {
    }

    /** A store job's effect: submitted with a signal, waited for, checked. */
    static void storeAndCheck(Client c, GpuSpace s, int group, int off, long value) {
        int done = c.syncobj();
        c.submit(group, s.store(off, value).on(0).withSyncs(signal(done)));
        if (!c.awaitSignaledQuietly(done, 1000)) {
            throw new conformance.internal.CaseFailure(String.format(
                    "store job: fence not signaled after 1000 ms (group state 0x%x, word 0x%x)",
                    c.groupState(group), s.read64(off)));
        }
        long got = s.read64(off);
        if (got != value) {
            throw new conformance.internal.CaseFailure(String.format("store job wrote 0x%x, expected 0x%x", got, value));
        }
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_submit@store", ctx -> {
            Client c = ctx.open("substore");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            storeAndCheck(c, s, g, 0, 0xdead_beef_cafeL);
            ctx.checkEq(0, c.groupState(g), "group state after a good job");
        }));
        out.add(new Case("panthor_submit@store-64bit", ctx -> {
            Client c = ctx.open("substr64");
            GpuSpace s = new GpuSpace(c);
            storeAndCheck(c, s, c.group(s.vm()), 64, 0xfedc_ba98_7654_3210L);
        }));
        out.add(new Case("panthor_submit@sync-add64-counter", ctx -> {
            Client c = ctx.open("subadd");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            int done = c.syncobj();
            List<Client.Job> jobs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                jobs.add(s.add(0, 3).on(0));
            }
            jobs.set(15, jobs.get(15).withSyncs(signal(done)));
            c.submit(g, jobs.toArray(Client.Job[]::new));
            c.awaitSignaled(done, "16 SYNC_ADD64 jobs");
            ctx.checkEq(48L, s.read64(0), "counter after 16 jobs adding 3");
        }));
        out.add(new Case("panthor_submit@counted-loop", ctx -> {
            Client c = ctx.open("subloop");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            int done = c.syncobj();
            c.submit(g, s.countedLoop(8, 1000).on(0).withSyncs(signal(done)));
            c.awaitSignaled(done, "counted loop");
            ctx.checkEq(1000L, s.read64(8), "iterations counted by the loop");
        }));
        out.add(new Case("panthor_submit@jobs-in-order", ctx -> {
            Client c = ctx.open("suborder");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            int done = c.syncobj();
            for (int i = 1; i <= 24; i++) {
                Client.Job j = s.store(0, i).on(0);
                c.submit(g, i == 24 ? j.withSyncs(signal(done)) : j);
            }
            c.awaitSignaled(done, "24 jobs");
            ctx.checkEq(24L, s.read64(0), "value of the last of 24 stores to one word");
        }));
        out.add(new Case("panthor_submit@batch-wait-across-queues", ctx -> {
            Client c = ctx.open("subbatch");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm(), 2);
            int first = c.syncobj();
            int second = c.syncobj();
            c.submit(g, s.store(0, 1).on(0).withSyncs(signal(first)),
                    s.store(8, 2).on(1).withSyncs(await(first), signal(second)));
            c.awaitSignaled(second, "the waiting job of the batch");
            ctx.check(c.isSignaled(first), "the waited-on job's syncobj is not signaled");
            ctx.checkEq(1L, s.read64(0), "first job's store");
            ctx.checkEq(2L, s.read64(8), "second job's store");
        }));
        out.add(new Case("panthor_submit@wait-across-groups", ctx -> {
            Client c = ctx.open("subxgrp");
            GpuSpace s = new GpuSpace(c);
            int g1 = c.group(s.vm());
            int g2 = c.group(s.vm());
            int a = c.syncobj();
            int b = c.syncobj();
            c.submit(g1, s.countedLoop(0, 5000).on(0).withSyncs(signal(a)));
            c.submit(g2, s.store(8, 7).on(0).withSyncs(await(a), signal(b)));
            c.awaitSignaled(b, "job waiting on another group's job");
            ctx.checkEq(5000L, s.read64(0), "the waited-on job ran to completion first");
        }));
        out.add(new Case("panthor_submit@wait-across-processes", ctx -> {
            Client a = ctx.open("subxpa");
            Client b = ctx.open("subxpb");
            GpuSpace sa = new GpuSpace(a);
            GpuSpace sb = new GpuSpace(b);
            int ga = a.group(sa.vm());
            int gb = b.group(sb.vm());
            int sig = a.syncobj();
            a.submit(ga, sa.countedLoop(0, 2000).on(0).withSyncs(signal(sig)));
            int fdB = a.process().sendFd(a.drm().syncobjHandleToFd(sig, 0, 0), b.process());
            int inB = b.drm().syncobjFdToHandle(fdB, 0, 0, 0);
            int done = b.syncobj();
            b.submit(gb, sb.store(0, 99).on(0).withSyncs(await(inB), signal(done)));
            b.awaitSignaled(done, "job waiting on another process's job");
            ctx.checkEq(2000L, sa.read64(0), "the other process's job completed first");
            ctx.checkEq(99L, sb.read64(0), "store of the waiting job");
        }));
        out.add(new Case("panthor_submit@empty-stream-sync-point", ctx -> {
            Client c = ctx.open("subempty");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            int point = c.syncobj();
            c.submit(g, s.countedLoop(0, 3000).on(0), new Client.Job(0, 0, 0, List.of(signal(point))));
            c.awaitSignaled(point, "empty-stream sync point");
            ctx.checkEq(3000L, s.read64(0), "job before the sync point completed");
        }));
        out.add(new Case("panthor_submit@empty-batch", ctx -> {
            Client c = ctx.open("subnone");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            c.drm().groupSubmit(g, List.of());
            ctx.checkEq(0, c.groupState(g), "state after an empty submit");
        }));
        out.add(new Case("panthor_submit@timeline-signal-wait", ctx -> {
            Client c = ctx.open("subtl");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm(), 2);
            int tl = c.syncobj();
            c.submit(g, s.store(0, 5).on(0).withSyncs(signalPoint(tl, 4)),
                    s.store(8, 6).on(1).withSyncs(awaitPoint(tl, 4), signalPoint(tl, 9)));
            if (!ctx.time().untilMs(() -> c.isPointSignaled(tl, 9), 1000)) {
                throw ctx.fail("timeline point 9 not signaled");
            }
            ctx.checkEq(9L, c.drm().syncobjQuery(new int[] {tl}, 0)[0], "timeline point after both jobs");
            ctx.checkEq(6L, s.read64(8), "store of the job waiting on point 4");
        }));
        out.add(new Case("panthor_submit@bad-queue-index", ctx -> {
            Client c = ctx.open("subbadq");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, s.store(0, 1).on(1)), "submit to queue 1 of a 1-queue group");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, s.store(0, 1).on(0), s.store(0, 2).on(5)),
                    "batch whose second job names queue 5");
            ctx.time().passMs(5);
            ctx.checkEq(0L, s.read64(0), "memory after rejected submits (nothing may run)");
        }));
        out.add(new Case("panthor_submit@bad-stream", ctx -> {
            Client c = ctx.open("subbadst");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            GpuSpace.Stream st = s.store(0, 1);
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, new Client.Job(0, st.va() + 8, 32, List.of())),
                    "stream address not 64-byte aligned");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, new Client.Job(0, st.va(), 30, List.of())),
                    "stream size not a multiple of 8");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, new Client.Job(0, st.va(), 0, List.of())),
                    "empty stream with an address");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, new Client.Job(0, 0, 32, List.of())),
                    "stream size without an address");
            ctx.checkEq(0, c.groupState(g), "group state after rejected submits");
        }));
        out.add(new Case("panthor_submit@latest-flush-reserved-bits", ctx -> {
            Client c = ctx.open("subflush");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            GpuSpace.Stream st = s.store(0, 1);
            ctx.expectErrno(Errno.EINVAL, "latest_flush with bit 24 set", () -> c.drm().groupSubmit(g, List.of(
                    new DrmPanthorQueueSubmit(0, st.instructions() * 8, st.va(), 1 << 24, 0, DrmPanthorObjArray.EMPTY))));
            ctx.expectErrno(Errno.EINVAL, "queue_submit with pad 1", () -> c.drm().groupSubmit(g, List.of(
                    new DrmPanthorQueueSubmit(0, st.instructions() * 8, st.va(), 0, 1, DrmPanthorObjArray.EMPTY))));
        }));
        out.add(new Case("panthor_submit@unknown-group", ctx -> {
            Client c = ctx.open("subunkg");
            GpuSpace s = new GpuSpace(c);
            ctx.checkEq(Errno.EINVAL, c.submitErrno(7, s.store(0, 1).on(0)), "submit to group 7 of none");
            byte[] arg = new DrmPanthorGroupSubmit(1, 1, DrmPanthorObjArray.EMPTY).toBytes();
            ctx.expectResult(Errno.EINVAL, "GROUP_SUBMIT with pad 1",
                    c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT, arg, null));
        }));
        out.add(new Case("panthor_submit@bad-sync-op", ctx -> {
            Client c = ctx.open("subbadsy");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            int so = c.syncobj();
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, s.store(0, 1).on(0).withSyncs(new DrmPanthorSyncOp(
                    PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL | (1 << 8), so, 0))), "sync op with flag 1<<8");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, s.store(0, 1).on(0).withSyncs(new DrmPanthorSyncOp(
                    PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL | 2, so, 0))), "sync op handle type 2");
            ctx.checkEq(Errno.EINVAL, c.submitErrno(g, s.store(0, 1).on(0).withSyncs(new DrmPanthorSyncOp(
                    PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL, so, 3))), "binary sync op with a timeline value");
            ctx.check(!c.isSignaled(so), "a rejected submit signaled its syncobj");
        }));
        out.add(new Case("panthor_submit@cs-sync-wait-wakeup", ctx -> {
            Client c = ctx.open("subcswait");
            GpuSpace s = new GpuSpace(c);
            int waiter = c.group(s.vm());
            int waker = c.group(s.vm());
            int woke = c.syncobj();
            c.submit(waiter, s.blockForever(0).on(0).withSyncs(signal(woke)));
            ctx.time().passMs(20);
            ctx.check(!c.isSignaled(woke), "a job blocked in SYNC_WAIT64 completed before the value was written");
            c.submit(waker, s.add(0, 1L << 48).on(0));
            c.awaitSignaled(woke, "SYNC_WAIT64 job after another group's SYNC_ADD64");
            ctx.checkEq(0, c.groupState(waiter), "state of the woken group");
        }));
        out.add(new Case("panthor_submit@destroy-cancels-pending", ctx -> {
            Client c = ctx.open("subcancel");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            int blocked = c.syncobj();
            int queued = c.syncobj();
            c.submit(g, s.blockForever(0).on(0).withSyncs(signal(blocked)));
            c.submit(g, s.store(8, 1).on(0).withSyncs(signal(queued)));
            ctx.time().passMs(10);
            c.drm().groupDestroy(g);
            c.awaitSignaled(blocked, "fence of a job running when its group was destroyed");
            c.awaitSignaled(queued, "fence of a job queued when its group was destroyed");
            ctx.checkEq(0L, s.read64(8), "store of a job cancelled before it ran");
        }));
        out.add(new Case("panthor_submit@more-groups-than-slots", ctx -> {
            Client c = ctx.open("subslots");
            GpuSpace s = new GpuSpace(c);
            int n = c.drm().csifInfo().csgSlotCount() + 4;
            int[] done = new int[n];
            for (int i = 0; i < n; i++) {
                int g = c.group(s.vm());
                done[i] = c.syncobj();
                c.submit(g, s.countedLoop(8 * i, 500 + i).on(0).withSyncs(signal(done[i])));
            }
            for (int i = 0; i < n; i++) {
                c.awaitSignaled(done[i], "group " + i + " of " + n);
                ctx.checkEq(500L + i, s.read64(8 * i), "result of group " + i);
            }
        }));
        out.add(new Case("panthor_submit@exit-with-jobs-in-flight", ctx -> {
            Client a = ctx.open("subexit");
            GpuSpace sa = new GpuSpace(a);
            int g = a.group(sa.vm(), 2);
            a.submit(g, sa.blockForever(0).on(0), sa.countedLoop(8, 100000).on(1));
            a.exit();
            Client b = ctx.open("subexit2");
            GpuSpace sb = new GpuSpace(b);
            storeAndCheck(b, sb, b.group(sb.vm()), 0, 3);
        }));
        out.add(new Case("panthor_vm@remap-gpu-view", ctx -> {
            Client c = ctx.open("vmremapgpu");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            long va = 0x8000_0000L;
            Client.Bo a = c.bo(4 * SZ_4K);
            Client.Bo b = c.bo(SZ_4K);
            long ca = c.mmap(a);
            long cb = c.mmap(b);
            c.map(s.vm(), a, va);
            runStore(c, s, g, va + SZ_4K, 11);
            ctx.checkEq(11L, c.process().read64(ca + SZ_4K), "store through the first mapping");
            c.map(s.vm(), b, 0, va + SZ_4K, SZ_4K, 0);
            runStore(c, s, g, va + SZ_4K, 22);
            ctx.checkEq(22L, c.process().read64(cb), "store after the remap (stale translation?)");
            ctx.checkEq(11L, c.process().read64(ca + SZ_4K), "the old page after the remap");
            runStore(c, s, g, va + 2 * SZ_4K, 33);
            ctx.checkEq(33L, c.process().read64(ca + 2 * SZ_4K), "store to the piece after the remapped page");
        }));
        out.add(new Case("panthor_vm@partial-unmap-2m-gpu-view", ctx -> {
            Client c = ctx.open("vmpartgpu");
            GpuSpace s = new GpuSpace(c);
            int g = c.group(s.vm());
            long va = SZ_2M * 16;
            Client.Bo big = c.bo(SZ_2M);
            Client.Bo small = c.bo(SZ_4K);
            long cbig = c.mmap(big);
            long csmall = c.mmap(small);
            c.map(s.vm(), big, va);
            runStore(c, s, g, va + 0x10_0000, 1);
            c.unmap(s.vm(), va + 0x8_0000, SZ_4K);
            runStore(c, s, g, va + 0x10_0000, 2);
            runStore(c, s, g, va + 0x7_f000, 3);
            runStore(c, s, g, va + 0x8_1000, 4);
            ctx.checkEq(2L, c.process().read64(cbig + 0x10_0000), "store into the split block");
            ctx.checkEq(3L, c.process().read64(cbig + 0x7_f000), "store to the page before the hole");
            ctx.checkEq(4L, c.process().read64(cbig + 0x8_1000), "store to the page after the hole");
            c.map(s.vm(), small, 0, va + 0x8_0000, SZ_4K, 0);
            runStore(c, s, g, va + 0x8_0000, 5);
            ctx.checkEq(5L, c.process().read64(csmall), "store into the BO mapped in the hole");
            ctx.checkEq(0L, c.process().read64(cbig + 0x8_0000), "the unmapped page of the big BO");
        }));
    }

    private static void runStore(Client c, GpuSpace s, int group, long va, long value) {
        int done = c.syncobj();
        c.submit(group, s.storeAt(va, value).on(0).withSyncs(signal(done)));
        c.awaitSignaled(done, String.format("store to 0x%x", va));
        c.drm().syncobjDestroy(done);
    }
}
