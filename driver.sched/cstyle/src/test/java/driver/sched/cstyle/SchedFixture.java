package driver.sched.cstyle;

import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.IoctlException;
import driver.core.user.PanthorClient;
import driver.core.user.UserProcess;
import driver.mmu.cstyle.PanthorMmu;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import panthor.testkit.DriverHarness;

/**
 * The whole driver (testkit harness, deterministic time) with the C-style MMU and a
 * {@link PanthorSched}; user clients that own a VM with one 1 MiB BO mapped at
 * {@link Client#VA} for command streams and data, and v10 stream encoders.
 */
final class SchedFixture implements AutoCloseable {

    final DriverHarness h;
    final PanthorSched sched;

    SchedFixture() {
        this(false);
    }

    /** {@code realtime}: virtual time follows wall time, as in the container. */
    SchedFixture(boolean realtime) {
        h = realtime ? DriverHarness.startRealtime() : DriverHarness.start();
        h.install("mmu", "cstyle", new PanthorMmu(h.mmio(), h.memory(), h.time(), h.drm(), h.device()));
        sched = newSched();
        h.install("sched", "cstyle", sched);
    }

    PanthorSched newSched() {
        return new PanthorSched(h.subsystems(), h.firmware(), h.time(), h.gpuInfo());
    }

    Client client(String comm) {
        return new Client(this, h.newProcess(comm));
    }

    /** Advances virtual time in {@code stepMs} steps until {@code cond} holds (at most {@code maxMs}). */
    boolean advanceUntil(BooleanSupplier cond, long stepMs, long maxMs) {
        for (long t = 0; t <= maxMs; t += stepMs) {
            if (cond.getAsBoolean()) {
                return true;
            }
            h.advanceMs(stepMs);
        }
        return cond.getAsBoolean();
    }

    /** RUN_COMPUTE work lasting about {@code ms} of GPU time on all shader cores. */
    long[] computeFor(double ms) {
        long freq = h.clock().frequencyHz();
        int cores = Long.bitCount(h.gpuInfo().shaderPresent());
        long threads = (long) (ms * freq / 1000.0 / 4.0) * cores;
        long x = 1 << 20;
        long y = Math.max(1, threads / x);
        return new long[] {
            mov32(33, 0), mov32(37, x), mov32(38, y), mov32(39, 1),
            (4L << 56) | 1, /* RUN_COMPUTE task increment 1 */
            (3L << 56) | (1L << 16), /* WAIT sb0 */
        };
    }

    static long mov48(int d, long imm) {
        return (1L << 56) | ((long) d << 48) | (imm & 0xFFFF_FFFF_FFFFL);
    }

    static long mov32(int r, long imm) {
        return (2L << 56) | ((long) r << 48) | (imm & 0xFFFF_FFFFL);
    }

    /** STORE_MULTIPLE of register {@code r} to [d]. */
    static long store32(int r, int d) {
        return (21L << 56) | ((long) r << 48) | ((long) d << 40) | (1L << 16);
    }

    /** Stores {@code value} at {@code va}: MOV48 r0:r1, MOV32 r2, STORE_MULTIPLE. */
    static long[] storeValue(long va, int value) {
        return new long[] {mov48(0, va), mov32(2, value), store32(2, 0)};
    }

    static long[] concat(long[]... parts) {
        int n = 0;
        for (long[] p : parts) {
            n += p.length;
        }
        long[] out = new long[n];
        int i = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    @Override
    public void close() {
        h.close();
    }

    /** A user process with a DRM fd, a VM and a 1 MiB BO mapped at {@link #VA}. */
    static final class Client {
        static final long VA = 0x100_0000L;
        static final long SIZE = 1 << 20;
        final SchedFixture f;
        final UserProcess proc;
        final PanthorClient c;
        final int vm;
        final int bo;
        final long cpu;
        int next;

        Client(SchedFixture f, UserProcess proc) {
            this.f = f;
            this.proc = proc;
            this.c = PanthorClient.open(proc);
            this.vm = c.vmCreate(0).id();
            DrmPanthorBoCreate b = c.boCreate(SIZE, 0, 0);
            this.bo = b.handle();
            c.vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(0, bo, 0, VA, SIZE, DrmPanthorObjArray.EMPTY)));
            this.cpu = c.mmapBo(bo, SIZE);
            this.next = 0x8_0000;
        }

        int clientId() {
            f.sched.lock.lock();
            try {
                for (PanthorGroup g : f.sched.groups.values()) {
                    if (g.pid == proc.pid()) {
                        return g.clientId;
                    }
                }
            } finally {
                f.sched.lock.unlock();
            }
            throw new AssertionError("no group of " + proc.comm());
        }

        /** Writes {@code words} as a stream (64-byte aligned); its GPU address. */
        long stream(long... words) {
            int off = next;
            for (int i = 0; i < words.length; i++) {
                proc.write64(cpu + off + 8L * i, words[i]);
            }
            next = (off + words.length * 8 + 63) & ~63;
            return VA + off;
        }

        long read32(long off) {
            return Integer.toUnsignedLong(proc.read32(cpu + off));
        }

        int group(int priority, int queues) {
            List<DrmPanthorQueueCreate> qs = new ArrayList<>();
            for (int i = 0; i < queues; i++) {
                qs.add(new DrmPanthorQueueCreate(0, 0, 0, 0, 16384));
            }
            return c.groupCreate(groupArgs(priority), qs);
        }

        DrmPanthorGroupCreate groupArgs(int priority) {
            return new DrmPanthorGroupCreate(DrmPanthorObjArray.EMPTY, 1, 1, 1, priority, 0,
                    f.h.gpuInfo().shaderPresent(), f.h.gpuInfo().shaderPresent(), f.h.gpuInfo().tilerPresent(), vm, 0);
        }

        int syncobj() {
            return c.syncobjCreate(0);
        }

        DrmPanthorQueueSubmit job(int queue, long addr, int words, int[] waits, int[] signals) {
            List<DrmPanthorSyncOp> ops = new ArrayList<>();
            for (int w : waits) {
                ops.add(new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_WAIT, w, 0));
            }
            for (int s : signals) {
                ops.add(new DrmPanthorSyncOp(PanthorIoctls.DRM_PANTHOR_SYNC_OP_SIGNAL, s, 0));
            }
            DrmPanthorObjArray syncs = ops.isEmpty() ? DrmPanthorObjArray.EMPTY : c.objArray(ops);
            return new DrmPanthorQueueSubmit(queue, words * 8, addr, 0, 0, syncs);
        }

        void submit(int group, DrmPanthorQueueSubmit... jobs) {
            c.groupSubmit(group, List.of(jobs));
        }

        boolean signaled(int syncobj) {
            try {
                c.syncobjWait(new int[] {syncobj}, 0, 0);
                return true;
            } catch (IoctlException e) {
                return false;
            }
        }
    }
}
