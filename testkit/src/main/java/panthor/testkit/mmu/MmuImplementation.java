package panthor.testkit.mmu;

import driver.core.api.DrmDevice;
import driver.core.kernel.PageAllocator;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.mmu.Mmu;
import hw.model.api.Mmio;
import hw.model.api.PhysicalMemory;
import hw.model.api.VirtualTime;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * How the MMU contract tests ({@link AsyncBindContract}, {@link MmuUabiContract}) and
 * {@link MmuModelFixture} make and drive one MMU implementation: its plain-Java constructor and
 * the few calls every implementation has outside the {@link Mmu} contract (running the bind
 * queues, deactivation, the subsystem slots). Each MMU module's tests declare theirs in one
 * statement, e.g.
 * <pre>
 * MmuImplementation.of("cstyle", PanthorMmu.class, PanthorMmu::new, PanthorMmu::flushBindQueues,
 *         PanthorMmu::deactivate, PanthorMmu::setSubsystems)
 * </pre>
 */
public final class MmuImplementation<T extends Mmu> {

    /** The implementation's constructor (mmio, memory, time, page allocator, MMU_FEATURES, AS_PRESENT, render node or null). */
    @FunctionalInterface
    public interface Constructor<T> {
        T create(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                 int asPresent, DrmDevice drm);
    }

    private final String name;
    private final Class<T> type;
    private final Constructor<T> constructor;
    private final Consumer<T> flushBindQueues;
    private final Consumer<T> deactivate;
    private final BiConsumer<T, DriverSubsystems> setSubsystems;

    private MmuImplementation(String name, Class<T> type, Constructor<T> constructor, Consumer<T> flushBindQueues,
                              Consumer<T> deactivate, BiConsumer<T, DriverSubsystems> setSubsystems) {
        this.name = name;
        this.type = type;
        this.constructor = constructor;
        this.flushBindQueues = flushBindQueues;
        this.deactivate = deactivate;
        this.setSubsystems = setSubsystems;
    }

    public static <T extends Mmu> MmuImplementation<T> of(String name, Class<T> type, Constructor<T> constructor,
                                                          Consumer<T> flushBindQueues, Consumer<T> deactivate,
                                                          BiConsumer<T, DriverSubsystems> setSubsystems) {
        return new MmuImplementation<>(name, type, constructor, flushBindQueues, deactivate, setSubsystems);
    }

    /** The {@code impl} service property (cstyle, rewritten). */
    public String name() {
        return name;
    }

    public T create(Mmio mmio, PhysicalMemory memory, VirtualTime time, PageAllocator pages, int mmuFeatures,
                    int asPresent, DrmDevice drm) {
        return constructor.create(mmio, memory, time, pages, mmuFeatures, asPresent, drm);
    }

    /** An instance in the whole driver of {@code h}, connected to its subsystem slots (not yet installed). */
    public T createIn(panthor.testkit.DriverHarness h) {
        T mmu = create(h.mmio(), h.memory(), h.time(), h.pageAllocator(), h.gpuInfo().mmuFeatures(),
                h.gpuInfo().asPresent(), h.drm());
        setSubsystems.accept(mmu, h.subsystems());
        return mmu;
    }

    /** Runs {@code mmu}'s bind queues until nothing is ready. */
    public void flushBindQueues(Mmu mmu) {
        flushBindQueues.accept(type.cast(mmu));
    }

    public void deactivate(Mmu mmu) {
        deactivate.accept(type.cast(mmu));
    }

    public boolean isInstance(Mmu mmu) {
        return type.isInstance(mmu);
    }

    @Override
    public String toString() {
        return name;
    }
}
