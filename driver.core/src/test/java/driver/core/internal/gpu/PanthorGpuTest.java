package driver.core.internal.gpu;

import static hw.model.regs.MaliRegs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.api.DeviceState;
import driver.core.internal.DeviceFixture;
import driver.core.kernel.WorkQueue;
import driver.core.uapi.Errno;
import hw.model.api.VirtualTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PanthorGpuTest {

    private final DeviceFixture f = new DeviceFixture().upAndHeld();
    private final PanthorGpu gpu = f.dev.gpu();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void softResetCompletesThroughTheResetCompletedIrq() {
        long resets = f.model.gpu().resetCount();
        long t0 = f.now();
        assertEquals(0, gpu.softReset());
        assertEquals(resets + 1, f.model.gpu().resetCount());
        assertEquals(0, gpu.pendingReqs());
        long took = f.now() - t0;
        assertTrue(took >= 50_000 && took < VirtualTime.NANOS_PER_MS, "model reset takes 50 us, took " + took);
        assertEquals(0, f.read32(GPU_INT_RAWSTAT) & GPU_IRQ_RESET_COMPLETED, "the handler cleared it");
    }

    @Test
    void softResetTimesOutAfter100msWhenTheGpuDoesNotReset() {
        f.mmio.dropWrites((off, val) -> off == GPU_CMD && val == GPU_SOFT_RESET);
        long t0 = f.now();
        assertEquals(-Errno.ETIMEDOUT, gpu.softReset());
        assertEquals(100 * VirtualTime.NANOS_PER_MS, f.now() - t0);
        assertTrue(f.dev.log().contains("Soft reset timeout"));
    }

    @Test
    void l2PowerOnPollsL2ReadyAndSetsTheCoherencyProtocol() {
        assertEquals(0, gpu.powerOffAll());
        assertEquals(0, f.model.mmio().read64Raw(L2_READY));
        assertEquals(0, f.model.mmio().read64Raw(SHADER_READY));
        assertEquals(0, gpu.l2PowerOn());
        assertEquals(1, f.model.mmio().read64Raw(L2_READY));
        assertEquals(GPU_COHERENCY_NONE, f.read32(GPU_COHERENCY_PROTOCOL));
    }

    @Test
    void l2PowerOnTimesOutAfter20ms() {
        assertEquals(0, gpu.powerOffAll());
        f.mmio.dropWrites((off, val) -> off == L2_PWRON_LO);
        long t0 = f.now();
        assertEquals(-Errno.ETIMEDOUT, gpu.l2PowerOn());
        assertEquals(20 * VirtualTime.NANOS_PER_MS, f.now() - t0);
        assertTrue(f.dev.log().contains("timeout waiting on l2:1 readiness"));
    }

    @Test
    void cacheFlushCompletesThroughTheIrqAndBumpsTheFlushId() {
        int before = f.read32(CSF_GPU_LATEST_FLUSH_ID);
        assertEquals(0, gpu.flushCaches(CACHE_CLEAN_INV, CACHE_CLEAN_INV, CACHE_NONE));
        assertEquals(before + 1, f.read32(CSF_GPU_LATEST_FLUSH_ID));
        assertEquals(0, gpu.pendingReqs());
    }

    @Test
    void stalledFlushTimesOutThenFailsWithEioUntilTheResetRecovers() throws Exception {
        // Hold the reset queue so the reset the failure schedules runs only when the test says so.
        CountDownLatch release = new CountDownLatch(1);
        f.dev.resetWq().queueWork(new WorkQueue.Work(() -> awaitLatch(release)));
        f.inject.stallCacheFlush(true);
        long t0 = f.now();
        assertEquals(-Errno.ETIMEDOUT, gpu.flushCaches(CACHE_CLEAN_INV, CACHE_CLEAN_INV, CACHE_NONE));
        assertEquals(100 * VirtualTime.NANOS_PER_MS, f.now() - t0);
        assertTrue(f.dev.log().contains("Flush caches timeout"));
        assertTrue(f.dev.resetPending(), "a reset is scheduled");

        long t1 = f.now();
        assertEquals(-Errno.EIO, gpu.flushCaches(CACHE_CLEAN_INV, CACHE_CLEAN_INV, CACHE_NONE));
        assertEquals(t1, f.now(), "EIO at once, no wait");

        f.inject.stallCacheFlush(false);
        long resets = f.model.gpu().resetCount();
        release.countDown();
        f.stepper.drainAll();
        assertEquals(resets + 1, f.model.gpu().resetCount(), "the scheduled reset ran");
        assertFalse(f.dev.resetPending());
        assertEquals(DeviceState.ACTIVE, f.dev.state());
        assertEquals(0, gpu.flushCaches(CACHE_CLEAN_INV, CACHE_CLEAN_INV, CACHE_NONE));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void gpuFaultIrqIsLogged() {
        f.model.clock().schedule(1000, () -> {
            synchronized (f.model.lock()) {
                f.model.gpu().reportFault(0x0000_0288, 0x1234_5000L);
            }
        });
        f.model.clock().advance(2000);
        assertEquals(1, gpu.faultCount());
        assertTrue(f.dev.log().contains("GPU Fault 0x00000288 (GPU_SHAREABILITY_FAULT) at 0x0000000012345000"),
                f.dev.log().recent().toString());
    }

    @Test
    void timestampAndCycleCountersFollowVirtualTime() {
        f.model.clock().advance(VirtualTime.NANOS_PER_MS);
        long ts = gpu.readTimestamp();
        long expected = f.now() * 24 / 1000;
        assertTrue(Math.abs(ts - expected) <= 1, ts + " vs " + expected);
        assertEquals(0, gpu.readTimestampOffset());
        assertTrue(gpu.readCycleCount() > 0);
    }
}
