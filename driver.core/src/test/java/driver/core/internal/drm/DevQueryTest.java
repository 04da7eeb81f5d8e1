package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.uapi.DrmPanthorCsifInfo;
import driver.core.uapi.DrmPanthorDevQuery;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.DrmPanthorGroupPrioritiesInfo;
import driver.core.uapi.DrmPanthorTimestampInfo;
import driver.core.uapi.Errno;
import driver.core.uapi.Le;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Capability;
import driver.core.user.Credentials;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DEV_QUERY: size negotiation and the byte-exact payloads of the G610. */
class DevQueryTest {

    private static final int GPU = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GPU_INFO;
    private static final int CSIF = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_CSIF_INFO;
    private static final int TS = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO;
    private static final int PRIO = PanthorIoctls.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO;

    private final TestBed bed = new TestBed();
    private final TestBed.Proc a = bed.open("a");

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private TestBed.Call query(int type, int size, long pointer) {
        return a.call(PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, new DrmPanthorDevQuery(type, size, pointer));
    }

    /** Queries into a buffer of exactly {@code size} bytes preset to {@code fill}; the buffer. */
    private byte[] queryInto(int type, int size, byte fill) {
        byte[] init = new byte[size];
        Arrays.fill(init, fill);
        long ptr = a.p().allocBytes(init);
        TestBed.Call c = query(type, size, ptr);
        assertEquals(0, c.ret());
        return a.p().readBytes(ptr, size);
    }

    @Test
    void nullPointerReportsTheKernelSize() {
        assertEquals(0x70, DrmPanthorDevQuery.decode(query(GPU, 0, 0).out()).size());
        assertEquals(24, DrmPanthorDevQuery.decode(query(CSIF, 0, 0).out()).size());
        assertEquals(56, DrmPanthorDevQuery.decode(query(TS, 0, 0).out()).size());
        assertEquals(4, DrmPanthorDevQuery.decode(query(PRIO, 0, 0).out()).size());
        assertEquals(-Errno.EINVAL, query(4, 0, 0).ret());
        assertEquals(-Errno.EINVAL, query(99, 16, a.p().alloc(16)).ret());
    }

    @Test
    void gpuInfoIsByteExactForTheG610() {
        byte[] b = queryInto(GPU, DrmPanthorGpuInfo.SIZE, (byte) 0xff);
        assertEquals(0xa8670005, Le.u32(b, 0x00));
        assertEquals(0x040a0412, Le.u32(b, 0x08));
        assertEquals(0x07120306, Le.u32(b, 0x0c));
        assertEquals(0x809, Le.u32(b, 0x10));
        assertEquals(0x301, Le.u32(b, 0x14));
        assertEquals(0x2830, Le.u32(b, 0x18));
        assertEquals(0x04010000, Le.u32(b, 0x1c));
        assertEquals(2048, Le.u32(b, 0x20));
        assertEquals(1024, Le.u32(b, 0x24));
        assertEquals(1024, Le.u32(b, 0x28));
        assertEquals(0xc1ffff9e, Le.u32(b, 0x30));
        assertEquals(0xff, Le.u32(b, 0x40));
        assertEquals(PanthorIoctls.DRM_PANTHOR_GPU_COHERENCY_NONE, Le.u32(b, 0x44));
        assertEquals(0x50005L, Le.u64(b, 0x48));
        assertEquals(1L, Le.u64(b, 0x50));
        assertEquals(1L, Le.u64(b, 0x58));
        assertEquals(0, Le.u32(b, 0x64));
        assertEquals(0L, Le.u64(b, 0x68));
        DrmPanthorGpuInfo info = DrmPanthorGpuInfo.decode(b);
        assertEquals(10, info.gpuId() >>> 28);
        assertEquals(48, info.mmuFeatures() & 0xff);
        assertEquals(PanthorIoctlHandlers.gpuInfo(bed.gpuInfo), info);
    }

    @Test
    void shortSizesBelowTheMinimumAreEinvalAndWriteNothing() {
        long ptr = a.p().alloc(0x5f);
        assertEquals(-Errno.EINVAL, query(GPU, 0x5f, ptr).ret());
        assertArrayEquals(new byte[0x5f], a.p().readBytes(ptr, 0x5f));
        assertEquals(-Errno.EINVAL, query(CSIF, 20, a.p().alloc(20)).ret());
        assertEquals(-Errno.EINVAL, query(TS, 15, a.p().alloc(15)).ret());
        assertEquals(-Errno.EINVAL, query(PRIO, 3, a.p().alloc(3)).ret());
    }

    @Test
    void anOlderShorterStructGetsItsPrefix() {
        // A 1.0-era client knows gpu_info up to pad (0x68 bytes): it gets exactly those.
        byte[] b = queryInto(GPU, 0x68, (byte) 0xee);
        byte[] full = queryInto(GPU, 0x70, (byte) 0);
        assertArrayEquals(Arrays.copyOf(full, 0x68), b);
        // ... and the minimum, 0x60 bytes, is accepted too.
        assertArrayEquals(Arrays.copyOf(full, 0x60), queryInto(GPU, 0x60, (byte) 0xee));
    }

    @Test
    void aLargerBufferIsZeroFilledPastTheKernelStruct() {
        byte[] b = queryInto(GPU, 0x80, (byte) 0xee);
        byte[] tail = Arrays.copyOfRange(b, 0x70, 0x80);
        assertArrayEquals(new byte[16], tail);
        byte[] c = queryInto(CSIF, 40, (byte) 0xee);
        assertArrayEquals(new byte[16], Arrays.copyOfRange(c, 24, 40));
    }

    @Test
    void sizeFieldIsNotUpdatedWhenAPointerIsGiven() {
        TestBed.Call c = query(GPU, 0x80, a.p().alloc(0x80));
        assertEquals(0x80, DrmPanthorDevQuery.decode(c.out()).size());
    }

    @Test
    void faultingPayloadPointerIsEfault() {
        assertEquals(-Errno.EFAULT, query(GPU, 0x70, 0x1000).ret());
        long tight = a.p().alloc(0x70);
        assertEquals(-Errno.EFAULT, query(GPU, 0x78, tight).ret());
    }

    @Test
    void csifInfoIsTheG610Fixture() {
        DrmPanthorCsifInfo c = DrmPanthorCsifInfo.decode(queryInto(CSIF, 24, (byte) 0xff));
        assertEquals(new DrmPanthorCsifInfo(8, 8, 96, 8, 4, 0), c);
    }

    @Test
    void timestampDefaultsToGpuOffsetAndFrequency() {
        bed.model.clock().advance(1_000_000_000L);
        DrmPanthorTimestampInfo t = DrmPanthorTimestampInfo.decode(queryInto(TS, 56, (byte) 0));
        assertEquals(24_000_000L, t.timestampFrequency());
        assertEquals(24_000_000L, t.currentTimestamp());
        assertEquals(0, t.timestampOffset());
        assertEquals(0, t.flags());
        assertEquals(0, t.cpuTimestampSec());
        assertEquals(0, t.cycleCount());
    }

    @Test
    void timestampFlagsSelectWhatIsSampled() {
        bed.model.clock().advance(2_500_000_000L);
        int flags = PanthorIoctls.DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_DURATION
                | PanthorIoctls.DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT;
        byte[] in = DrmPanthorTimestampInfo.ZERO.withFlags(flags).toBytes();
        long ptr = a.p().allocBytes(in);
        assertEquals(0, query(TS, 56, ptr).ret());
        DrmPanthorTimestampInfo t = DrmPanthorTimestampInfo.decode(a.p().readBytes(ptr, 56));
        assertEquals(0, t.timestampFrequency());
        assertEquals(0, t.currentTimestamp());
        assertEquals(2, t.cpuTimestampSec());
        assertEquals(500_000_000L, t.cpuTimestampNsec());
        assertEquals(flags, t.flags());
        assertEquals(0, t.durationNsec());
    }

    @Test
    void timestampRejectsUnknownFlagsCpuTypesAndNonZeroTails() {
        for (int flags : new int[] {1 << 8, 3 << 1, 7 << 1}) {
            long ptr = a.p().allocBytes(DrmPanthorTimestampInfo.ZERO.withFlags(flags).toBytes());
            assertEquals(-Errno.EINVAL, query(TS, 56, ptr).ret(), "flags " + flags);
        }
        byte[] big = new byte[64];
        big[60] = 1;
        assertEquals(-Errno.E2BIG, query(TS, 64, a.p().allocBytes(big)).ret());
        assertEquals(0, query(TS, 64, a.p().allocBytes(new byte[64])).ret());
        // A 1.1-era 24-byte struct has no flags: default sampling.
        long old = a.p().alloc(24);
        assertEquals(0, query(TS, 24, old).ret());
        assertEquals(24_000_000L, a.p().read64(old));
    }

    @Test
    void groupPrioritiesFollowTheCallersCredentials() {
        assertEquals(0b0011, DrmPanthorGroupPrioritiesInfo.decode(queryInto(PRIO, 4, (byte) 0xff)).allowedMask());
        TestBed.Proc nice = bed.open("nice", new Credentials(1000, Set.of(Capability.CAP_SYS_NICE), false),
                DrmDeviceCore.RENDER_NODE);
        long p = nice.p().alloc(4);
        assertEquals(0, nice.call(PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, new DrmPanthorDevQuery(PRIO, 4, p)).ret());
        assertEquals(0b1111, nice.p().read32(p));
        TestBed.Proc master = bed.open("compositor", Credentials.drmMasterUser(), DrmDeviceCore.PRIMARY_NODE);
        long q = master.p().alloc(4);
        assertEquals(0, master.call(PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, new DrmPanthorDevQuery(PRIO, 4, q)).ret());
        assertEquals(0b1111, master.p().read32(q));
        TestBed.Proc masterOnRender = bed.open("compositor2", Credentials.drmMasterUser(), DrmDeviceCore.RENDER_NODE);
        long r = masterOnRender.p().alloc(4);
        assertEquals(0, masterOnRender.call(PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, new DrmPanthorDevQuery(PRIO, 4, r)).ret());
        assertEquals(0b0011, masterOnRender.p().read32(r));
        assertTrue(master.file().isMaster());
    }
}
