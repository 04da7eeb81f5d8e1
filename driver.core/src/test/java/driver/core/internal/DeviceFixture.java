package driver.core.internal;

import driver.core.api.GpuInfo;
import driver.core.internal.device.PanthorDeviceCore;
import driver.core.internal.sysfs.SysfsComponent;
import driver.core.internal.sysfs.SysfsTree;
import driver.core.kernel.PageAllocator;
import driver.core.kernel.TimeStepper;
import hw.model.api.Mmio;
import hw.model.internal.FaultInjector;
import hw.model.internal.GpuModel;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A deterministic Mali-G610 model with a panthor device on top, for the device-layer tests.
 * Time moves only through {@link #stepper} (or the driver's own waits); the device's work
 * queues are drained after every step.
 */
public final class DeviceFixture implements AutoCloseable {

    public final GpuModel model = new GpuModel();
    public final FaultInjector inject = new FaultInjector(model);
    public final SysfsTree sysfs = new SysfsTree();
    public final FilterMmio mmio = new FilterMmio(model.mmio());
    public final GpuInfo info;
    public final PanthorDeviceCore dev;
    public final TimeStepper stepper;

    public DeviceFixture() {
        SysfsComponent.createSkeleton(sysfs);
        info = GpuProbe.readGpuInfo(mmio);
        dev = new PanthorDeviceCore(mmio, model.memory(), model.irq(), model.clock(), model.gpuClock(), info,
                new PageAllocator(model.memory()), sysfs);
        stepper = new TimeStepper(model.clock(), List.of(dev.resetWq(), dev.pmWq()));
    }

    /** Probes the device; fails the test on error. */
    public DeviceFixture up() {
        int ret = dev.init();
        if (ret != 0) {
            throw new AssertionError("init failed: " + ret + " " + dev.log().recent());
        }
        return this;
    }

    /** Probes and keeps a runtime-PM reference, so the device stays active. */
    public DeviceFixture upAndHeld() {
        up();
        if (dev.resumeAndGet() != 0) {
            throw new AssertionError("resume failed");
        }
        return this;
    }

    public long now() {
        return model.clock().nowNanos();
    }

    public void advanceMs(long ms) {
        stepper.advanceMillis(ms);
    }

    public int read32(int offset) {
        return model.mmio().read32(offset);
    }

    @Override
    public void close() {
        try {
            dev.destroy();
        } finally {
            model.shutdown();
        }
    }

    /** An Mmio that can drop chosen writes, to make the hardware "not respond". */
    public static final class FilterMmio implements Mmio {
        private final Mmio bus;
        private volatile BiPredicate<Integer, Integer> dropWrite = (o, v) -> false;

        FilterMmio(Mmio bus) {
            this.bus = bus;
        }

        public void dropWrites(BiPredicate<Integer, Integer> drop) {
            this.dropWrite = drop;
        }

        @Override
        public int size() {
            return bus.size();
        }

        @Override
        public int read32(int offset) {
            return bus.read32(offset);
        }

        @Override
        public void write32(int offset, int value) {
            if (!dropWrite.test(offset, value)) {
                bus.write32(offset, value);
            }
        }
    }
}
