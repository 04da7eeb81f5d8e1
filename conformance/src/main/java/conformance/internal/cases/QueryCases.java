package conformance.internal.cases;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorDevQuery;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorGroupPrioritiesInfo;
import driver.core.uapi.DrmPanthorTimestampInfo;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.PanthorClient;
import java.util.Arrays;
import java.util.List;

/** DEV_QUERY: every type, the size negotiation and its errors. */
public final class QueryCases {

    private static final int GPU_INFO = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO;
    private static final int CSIF_INFO = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_CSIF_INFO;
    private static final int TIMESTAMP_INFO = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO;
    private static final int PRIORITIES_INFO = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO;

    private QueryCases() {
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_query@gpu-info", ctx -> {
            DrmPanthorGpuInfo g = ctx.open("gpuinfo").drm().gpuInfo();
            ctx.checkEq(10, g.gpuId() >>> 28, "ARCH_MAJOR of gpu_id (Mali-G610 is arch 10)");
            ctx.checkEq(7, (g.gpuId() >>> 16) & 0xf, "PRODUCT_MAJOR of gpu_id (G610)");
            int vaBits = g.mmuFeatures() & 0xff;
            ctx.check(vaBits >= 32 && vaBits <= 48, "VA bits %d", vaBits);
            ctx.check(g.shaderPresent() != 0, "no shader core present");
            ctx.check(g.l2Present() != 0 && g.tilerPresent() != 0, "no L2 or tiler present");
            ctx.check((g.asPresent() & 1) != 0 && Integer.bitCount(g.asPresent()) >= 2, "as_present 0x%x", g.asPresent());
            ctx.checkEq(0, g.pad(), "pad");
        }));
        out.add(new Case("panthor_query@csif-info", ctx -> {
            DrmPanthorCsifInfo c = ctx.open("csif").drm().csifInfo();
            ctx.check(c.csgSlotCount() >= 1 && c.csgSlotCount() <= 31, "csg_slot_count %d", c.csgSlotCount());
            ctx.check(c.csSlotCount() >= 1 && c.csSlotCount() <= 32, "cs_slot_count %d", c.csSlotCount());
            ctx.check(c.csRegCount() >= 16, "cs_reg_count %d", c.csRegCount());
            ctx.check(c.scoreboardSlotCount() >= 1, "scoreboard_slot_count %d", c.scoreboardSlotCount());
            ctx.check(c.unpreservedCsRegCount() < c.csRegCount(), "unpreserved %d of %d registers",
                    c.unpreservedCsRegCount(), c.csRegCount());
            ctx.checkEq(0, c.pad(), "pad");
        }));
        out.add(new Case("panthor_query@timestamp-info", ctx -> {
            PanthorClient c = ctx.open("tsinfo").drm();
            DrmPanthorTimestampInfo a = c.timestampInfo(0);
            ctx.check(a.timestampFrequency() > 0, "timestamp_frequency 0");
            ctx.time().passMs(2);
            DrmPanthorTimestampInfo b = c.timestampInfo(0);
            ctx.check(Long.compareUnsigned(b.currentTimestamp(), a.currentTimestamp()) > 0,
                    "current_timestamp did not advance (%d then %d)", a.currentTimestamp(), b.currentTimestamp());
        }));
        out.add(new Case("panthor_query@timestamp-info-cpu-clock", ctx -> {
            PanthorClient c = ctx.open("tscpu").drm();
            DrmPanthorTimestampInfo t = c.timestampInfo(PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU
                    | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC);
            ctx.check(t.cpuTimestampNsec() >= 0 && t.cpuTimestampNsec() < 1_000_000_000L, "cpu_timestamp_nsec %d",
                    t.cpuTimestampNsec());
            long cpu = t.cpuTimestampSec() * 1_000_000_000L + t.cpuTimestampNsec();
            ctx.check(cpu > 0 && cpu <= ctx.time().nowNanos(), "CPU timestamp %d not in the past of %d", cpu,
                    ctx.time().nowNanos());
            ctx.checkEq(0L, t.timestampFrequency(), "frequency not asked for");
        }));
        out.add(new Case("panthor_query@timestamp-info-bad-flags", ctx -> {
            PanthorClient c = ctx.open("tsbad").drm();
            ctx.expectErrno(Errno.EINVAL, "CPU clock type 3", () -> c.timestampInfo(3 << 1));
            ctx.expectErrno(Errno.EINVAL, "unknown flag 1<<8", () -> c.timestampInfo(1 << 8));
        }));
        out.add(new Case("panthor_query@group-priorities-user", ctx -> {
            DrmPanthorGroupPrioritiesInfo p = ctx.open("prio").drm().groupPrioritiesInfo();
            ctx.checkEq(0b0011, p.allowedMask(), "allowed_mask without CAP_SYS_NICE (LOW|MEDIUM)");
        }));
        out.add(new Case("panthor_query@group-priorities-nice", ctx -> {
            DrmPanthorGroupPrioritiesInfo p = ctx.open("prionice", Credentials.niceUser()).drm().groupPrioritiesInfo();
            ctx.checkEq(0b1111, p.allowedMask(), "allowed_mask with CAP_SYS_NICE (LOW..REALTIME)");
        }));
        out.add(new Case("panthor_query@size-negotiation", ctx -> {
            PanthorClient c = ctx.open("qsize").drm();
            ctx.checkEq(DrmPanthorGpuInfo.SIZE, c.devQuerySize(GPU_INFO), "GPU_INFO size");
            ctx.checkEq(DrmPanthorCsifInfo.SIZE, c.devQuerySize(CSIF_INFO), "CSIF_INFO size");
            ctx.checkEq(DrmPanthorTimestampInfo.SIZE, c.devQuerySize(TIMESTAMP_INFO), "TIMESTAMP_INFO size");
            ctx.checkEq(DrmPanthorGroupPrioritiesInfo.SIZE, c.devQuerySize(PRIORITIES_INFO), "GROUP_PRIORITIES_INFO size");
        }));
        out.add(new Case("panthor_query@size-below-minimum", ctx -> {
            PanthorClient c = ctx.open("qsmall").drm();
            ctx.expectErrno(Errno.EINVAL, "GPU_INFO of " + (DrmPanthorGpuInfo.MIN_SIZE - 1) + " bytes",
                    () -> c.devQuery(GPU_INFO, DrmPanthorGpuInfo.MIN_SIZE - 1, new byte[0]));
            ctx.expectErrno(Errno.EINVAL, "CSIF_INFO of 16 bytes", () -> c.devQuery(CSIF_INFO, 16, new byte[0]));
            ctx.expectErrno(Errno.EINVAL, "TIMESTAMP_INFO of 8 bytes", () -> c.devQuery(TIMESTAMP_INFO, 8, new byte[0]));
        }));
        out.add(new Case("panthor_query@size-minimum-copies-prefix", ctx -> {
            PanthorClient c = ctx.open("qprefix").drm();
            byte[] full = c.devQuery(GPU_INFO, DrmPanthorGpuInfo.SIZE, new byte[0]);
            byte[] part = c.devQuery(GPU_INFO, DrmPanthorGpuInfo.MIN_SIZE, new byte[0]);
            ctx.check(Arrays.equals(Arrays.copyOf(full, DrmPanthorGpuInfo.MIN_SIZE), part),
                    "a %d-byte GPU_INFO is not the prefix of the full struct", DrmPanthorGpuInfo.MIN_SIZE);
        }));
        out.add(new Case("panthor_query@size-larger-zero-fills", ctx -> {
            PanthorClient c = ctx.open("qlarge").drm();
            byte[] full = c.devQuery(GPU_INFO, DrmPanthorGpuInfo.SIZE, new byte[0]);
            byte[] junk = new byte[DrmPanthorGpuInfo.SIZE + 16];
            Arrays.fill(junk, (byte) 0xaa);
            byte[] big = c.devQuery(GPU_INFO, junk.length, junk);
            ctx.check(Arrays.equals(full, Arrays.copyOf(big, DrmPanthorGpuInfo.SIZE)), "struct part differs");
            for (int i = DrmPanthorGpuInfo.SIZE; i < big.length; i++) {
                ctx.check(big[i] == 0, "byte %d past the kernel struct not zeroed (0x%02x)", i, big[i] & 0xff);
            }
        }));
        out.add(new Case("panthor_query@bad-type", ctx -> {
            Client c = ctx.open("qtype");
            ctx.expectErrno(Errno.EINVAL, "size query of type 4", () -> c.drm().devQuerySize(4));
            ctx.expectErrno(Errno.EINVAL, "query of type 4", () -> c.drm().devQuery(4, 64, new byte[0]));
            ctx.expectErrno(Errno.EINVAL, "query of type 0xffffffff", () -> c.drm().devQuery(-1, 64, new byte[0]));
        }));
        out.add(new Case("panthor_query@efault", ctx -> {
            Client c = ctx.open("qfault");
            byte[] arg = new DrmPanthorDevQuery(GPU_INFO, DrmPanthorGpuInfo.SIZE, 0x1000).toBytes();
            ctx.expectResult(Errno.EFAULT, "GPU_INFO into an unmapped buffer",
                    c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, arg, null));
        }));
    }
}
