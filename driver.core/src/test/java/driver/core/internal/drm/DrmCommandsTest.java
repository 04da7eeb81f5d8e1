package driver.core.internal.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DrmClientInfo;
import driver.core.api.DrmDevice;
import driver.core.kernel.PageAllocator;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorGpuInfo;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import driver.core.user.UserProcess;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drm:* shell commands against a device, through the byte path. */
class DrmCommandsTest {

    private TestBed bed;
    private DrmCommands cmd;

    @BeforeEach
    void setUp() {
        bed = new TestBed();
        DrmDeviceCore core = bed.device;
        cmd = new DrmCommands(new DrmDevice() {
            public UserProcess newProcess(String comm, Credentials credentials) {
                return core.newProcess(comm, credentials);
            }

            public int uabiVersionMajor() {
                return PanthorIoctls.VERSION_MAJOR;
            }

            public int uabiVersionMinor() {
                return PanthorIoctls.VERSION_MINOR;
            }

            public List<DrmClientInfo> clients() {
                return DrmDeviceComponent.clients(core);
            }

            public PageAllocator pageAllocator() {
                return core.pageAllocator();
            }
        });
    }

    @AfterEach
    void tearDown() {
        cmd.deactivate();
        bed.close();
    }

    @Test
    void openGivesSmallIdsAndPsListsTheClients() {
        String first = cmd.open("vkcube", false, false);
        assertTrue(first.startsWith("client 1: "), first);
        assertTrue(first.contains("/dev/dri/renderD128 as fd 3"), first);
        String second = cmd.open("compositor", true, true);
        assertTrue(second.startsWith("client 2: "), second);
        assertTrue(second.contains("CAP_SYS_NICE master"), second);
        assertTrue(second.contains("/dev/dri/card0"), second);
        String ps = cmd.ps();
        assertTrue(ps.contains("vkcube") && ps.contains("compositor"), ps);
        assertEquals(2, bed.device.files().size());
        cmd.close("1");
        assertEquals(1, bed.device.files().size(), "closing the client exits the process and releases its file");
        assertThrows(IllegalArgumentException.class, () -> cmd.close("1"));
    }

    @Test
    void gpuInfoQueryShowsTheExactBytes() {
        cmd.open("q", false, false);
        String out = cmd.query("1", "gpu-info");
        assertTrue(out.startsWith("DRM_IOCTL_PANTHOR_DEV_QUERY type 0 (drm_panthor_gpu_info), size 112 = 0"), out);
        // gpu_id 0xa8670005 at offset 0, little-endian in memory.
        assertTrue(out.contains("0x0000 gpu_id"), out);
        assertTrue(out.contains("05 00 67 a8"), out);
        assertTrue(out.contains("0xa8670005"), out);
        assertTrue(out.contains("0x0048 shader_present"), out);
        assertTrue(out.contains("0x0068 gpu_features"), out);
        assertTrue(out.contains("  0000: 05 00 67 a8"), out);
        assertTrue(out.contains("  0060: "), out);
        // The bytes shown are the bytes the typed client decodes.
        DrmPanthorGpuInfo typed = new driver.core.user.PanthorClient(cmd.clients().get(1).process(),
                cmd.clients().get(1).client().fd()).gpuInfo();
        assertTrue(out.contains(String.format("0x%016x", typed.shaderPresent())), out);
    }

    @Test
    void theOtherQueries() {
        cmd.open("q", false, false);
        String csif = cmd.query("1", "csif-info");
        assertTrue(csif.contains("csg_slot_count") && csif.contains("unpreserved_cs_reg_count"), csif);
        String ts = cmd.query("1", "timestamp-info");
        assertTrue(ts.contains("timestamp_frequency") && ts.contains("0x0030 cpu_timestamp_nsec"), ts);
        String prio = cmd.query("1", "group-priorities");
        assertTrue(prio.contains("0x0000 allowed_mask"), prio);
        // Unprivileged: LOW and MEDIUM only.
        assertTrue(prio.contains("0x03 (3)"), prio);
        assertThrows(IllegalArgumentException.class, () -> cmd.query("1", "mmu-info"));
        // TIMESTAMP_INFO reads its flags from the user's struct: GPU | CPU_MONOTONIC | GPU_CYCLE_COUNT.
        String flagged = cmd.query("1", "timestamp-info", "0x23");
        assertTrue(flagged.contains("0x0018 flags                        23 00 00 00"), flagged);
        // CPU type 3 does not exist: the real EINVAL, printed as the result.
        assertEquals("DRM_IOCTL_PANTHOR_DEV_QUERY type 2 (drm_panthor_timestamp_info), size 56 = -22 EINVAL",
                cmd.query("1", "timestamp-info", "0x7"));
        assertThrows(IllegalArgumentException.class, () -> cmd.query("1", "gpu-info", "1"));
    }

    @Test
    void hyphenatedCommandsExplainThemselves() throws Exception {
        var fns = cmd.hyphenated();
        assertEquals(List.of("bo-create", "bo-mmap-offset", "gem-close", "syncobj-create", "syncobj-destroy"),
                List.copyOf(fns.keySet()));
        for (var e : fns.entrySet()) {
            String help = (String) e.getValue().execute(null, List.of("--help"));
            assertTrue(help.startsWith("drm:" + e.getKey() + " "), help);
            IllegalArgumentException usage = assertThrows(IllegalArgumentException.class,
                    () -> e.getValue().execute(null, List.of()));
            assertTrue(usage.getMessage().startsWith("usage: drm:" + e.getKey()), usage.getMessage());
        }
    }

    @Test
    void bosAndSyncobjsThroughTheHyphenatedFunctions() throws Exception {
        cmd.open("bo", false, false);
        var fns = cmd.hyphenated();
        String created = (String) fns.get("bo-create").execute(null, List.of("1", "5000"));
        assertEquals("BO_CREATE = 0: handle 1, size 8192 (0x2000)", created);
        String noMmap = (String) fns.get("bo-create").execute(null, List.of("1", "4K", "no-mmap"));
        assertTrue(noMmap.contains("handle 2"), noMmap);
        String off = (String) fns.get("bo-mmap-offset").execute(null, List.of("1", "1"));
        assertTrue(off.startsWith("BO_MMAP_OFFSET = 0: handle 1 offset 0x"), off);
        assertEquals("BO_MMAP_OFFSET = -1 EPERM", fns.get("bo-mmap-offset").execute(null, List.of("1", "2")));
        assertEquals("BO_CREATE = -22 EINVAL", fns.get("bo-create").execute(null, List.of("1", "0")));
        assertEquals("GEM_CLOSE = 0: handle 1 closed", fns.get("gem-close").execute(null, List.of("1", "1")));
        assertEquals("GEM_CLOSE = -22 EINVAL", fns.get("gem-close").execute(null, List.of("1", "1")));
        assertEquals("SYNCOBJ_CREATE = 0: handle 1 (signaled)",
                fns.get("syncobj-create").execute(null, List.of("--signaled", "1")));
        assertEquals("SYNCOBJ_CREATE = 0: handle 2", fns.get("syncobj-create").execute(null, List.of("1")));
        assertEquals("SYNCOBJ_DESTROY = 0: handle 2 destroyed",
                fns.get("syncobj-destroy").execute(null, List.of("1", "2")));
        assertEquals("SYNCOBJ_DESTROY = -22 EINVAL", fns.get("syncobj-destroy").execute(null, List.of("1", "2")));
        String ps = cmd.ps();
        assertTrue(ps.lines().anyMatch(l -> l.contains("bo") && l.contains(" 1 ")), ps);
        assertThrows(IllegalArgumentException.class, () -> fns.get("bo-create").execute(null, List.of("1")));
        assertThrows(IllegalArgumentException.class, () -> fns.get("bo-create").execute(null, List.of("1", "lots")));
        assertThrows(IllegalArgumentException.class, () -> fns.get("gem-close").execute(null, List.of("7", "1")));
    }

    @Test
    void rawIoctlReturnsTheRealErrnoAndTheStructAfterTheCall() {
        cmd.open("raw", false, false);
        // A good BO_CREATE: size 0x1000.
        String ok = cmd.ioctl("1", "DRM_IOCTL_PANTHOR_BO_CREATE", "0010000000000000 0000000000000000 0000000000000000"
                .replace(" ", ""));
        assertTrue(ok.contains("arg) = 0"), ok);
        assertTrue(ok.contains("0x0010 handle                       01 00 00 00"), ok);
        // Non-zero pad: EINVAL, and nothing was created.
        String pad = cmd.ioctl("1", "bo_create", "00100000000000000000000000000000:00000000:01000000");
        assertTrue(pad.contains("arg) = -22 EINVAL"), pad);
        assertTrue(pad.contains("0x0014 pad"), pad);
        // Unknown flags: EINVAL.
        String flags = cmd.ioctl("1", "PANTHOR_BO_CREATE", "0010000000000000 80000000".replace(" ", ""));
        assertTrue(flags.contains("zero-padded to 24"), flags);
        assertTrue(flags.contains("-22 EINVAL"), flags);
        // An unknown handle on GEM_CLOSE, by number.
        String close = cmd.ioctl("1", "0x40086409", "2a000000");
        assertTrue(close.startsWith("DRM_IOCTL_GEM_CLOSE"), close);
        assertTrue(close.contains("-22 EINVAL"), close);
        // A panthor ioctl number past the table.
        String past = cmd.ioctl("1", String.format("0x%08x", PanthorIoctls.DRM_IOCTL_PANTHOR_BO_QUERY_INFO + 1), "00");
        assertTrue(past.contains("-22 EINVAL"), past);
        assertEquals(1, bed.device.files().get(0).gemObjects().size(), "only the good BO_CREATE made an object");
        assertEquals(DrmPanthorBoCreate.SIZE, 24);
    }

    @Test
    void badShellInputFailsWithAClearMessage() {
        IllegalArgumentException noClient = assertThrows(IllegalArgumentException.class,
                () -> cmd.query("3", "gpu-info"));
        assertTrue(noClient.getMessage().contains("no client 3"), noClient.getMessage());
        cmd.open("x", false, false);
        IllegalArgumentException badId = assertThrows(IllegalArgumentException.class, () -> cmd.query("one", "gpu-info"));
        assertTrue(badId.getMessage().contains("'one' is not a client id"), badId.getMessage());
        IllegalArgumentException badReq = assertThrows(IllegalArgumentException.class,
                () -> cmd.ioctl("1", "DRM_IOCTL_FROB", "00"));
        assertTrue(badReq.getMessage().contains("unknown request 'DRM_IOCTL_FROB'"), badReq.getMessage());
        IllegalArgumentException badHex = assertThrows(IllegalArgumentException.class,
                () -> cmd.ioctl("1", "BO_CREATE", "0g"));
        assertTrue(badHex.getMessage().contains("not hex bytes"), badHex.getMessage());
        assertTrue(cmd.requests().toLowerCase(Locale.ROOT).contains("drm_ioctl_panthor_dev_query"));
    }
}
