package panthor.testkit.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.VmRef;
import driver.core.uapi.ErrnoException;
import hw.model.internal.GpuBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the MMU contract tests below the ioctl layer ({@link MmuVmContract},
 * {@link AsyncBindContract}) share: a fresh fixture of the module's own type per test (its MMU
 * is the implementation under test), closed after it, and the lookups every case makes.
 */
public abstract class MmuModelTestBase<F extends MmuModelFixture> {

    protected static final long SZ_2M = Lpae.SZ_2M;
    protected static final long SZ_4K = Lpae.SZ_4K;
    protected F f;

    /** A fixture whose MMU is the implementation under test (the module's own fixture type). */
    protected abstract F newFixture();

    @BeforeEach
    public void openFixture() {
        f = newFixture();
    }

    @AfterEach
    public void closeFixture() {
        f.close();
    }

    protected VmRef ref(int id) {
        return f.mmu.lookupVm(f.file, id);
    }

    /** Activates the VM and returns the GPU's view through its AS. */
    protected GpuBus activeBus(int id) {
        assertEquals(0, f.mmu.vmActive(ref(id)));
        int as = f.mmu.vmAs(ref(id));
        assertTrue(as > 0, "user VMs never get AS0");
        return f.model.mmu().bus(as);
    }

    /** The errno {@code r} fails with. */
    protected static int errnoOf(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }
}
