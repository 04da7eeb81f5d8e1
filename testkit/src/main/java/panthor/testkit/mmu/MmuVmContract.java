package panthor.testkit.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static panthor.testkit.mmu.MmuModelFixture.map;
import static panthor.testkit.mmu.MmuModelFixture.pattern;
import static panthor.testkit.mmu.MmuModelFixture.unmap;

import driver.core.kernel.GemObject;
import driver.core.kernel.pgtable.Lpae;
import driver.core.subsys.mmu.VmBindException;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.regs.MaliRegs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The VM contract every MMU implementation meets against the model, below the ioctl layer (an
 * {@link MmuModelFixture}): VM_CREATE's layout and limits, destroy and file close; synchronous
 * MAP / UNMAP read back by the GPU through its MMU with no stale TLB entry (2 MiB blocks split
 * by a partial unmap, remaps, READONLY / NOEXEC enforced); VM_BIND validation stopping at the
 * failing op; an evicted AS reprogrammed and a destroyed VM's AS disabled; a page fault
 * disabling the AS until the VM is activated again, and an AS whose fault is not handled yet
 * not handed to another VM; a stuck AS failing the bind. A module's test
 * extends it and makes its fixture; what differs between the implementations (which VM
 * an AS is evicted from, the register sequences, the internals) stays in the module's own tests.
 */
public abstract class MmuVmContract<F extends MmuModelFixture> extends MmuModelTestBase<F> {

    @Test
    public void vmCreateLayoutLimitsAndDestroy() {
        DrmPanthorVmCreate out = f.mmu.vmCreate(f.call, DrmPanthorVmCreate.ZERO);
        assertEquals(1, out.id());
        /* 48-bit VA: default user range is half, the kernel range the top half. */
        assertEquals(1L << 47, out.userVaRange(), "user_va_range is the kernel range's start");
        assertEquals(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, f.mmu.vmGetState(f.call, 1));

        DrmPanthorVmCreate small = f.mmu.vmCreate(f.call, DrmPanthorVmCreate.ZERO.withUserVaRange(1L << 32));
        /* kernel range = rounddown_pow_of_two(2^48 - 4 GiB) = 2^47 at the top */
        assertEquals(1L << 47, small.userVaRange());
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmCreate(f.call,
                DrmPanthorVmCreate.ZERO.withUserVaRange((1L << 48) - (128L << 20)))));
        DrmPanthorVmCreate max = f.mmu.vmCreate(f.call,
                DrmPanthorVmCreate.ZERO.withUserVaRange((1L << 48) - (256L << 20)));
        assertEquals((1L << 48) - (256L << 20), max.userVaRange());

        for (int i = 4; i <= 32; i++) {
            assertEquals(i, f.vmCreate());
        }
        long used = f.pages.stats().usedPages();
        assertEquals(Errno.EBUSY, errnoOf(f::vmCreate));
        assertEquals(used, f.pages.stats().usedPages(), "a refused VM_CREATE leaks nothing");
        assertEquals(32, f.mmu.vms().size());

        f.mmu.vmDestroy(f.call, 5);
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmDestroy(f.call, 5)));
        assertEquals(Errno.EINVAL, errnoOf(() -> f.mmu.vmGetState(f.call, 5)));
        assertNull(f.mmu.lookupVm(f.file, 5));
        assertEquals(5, f.vmCreate(), "lowest free id is reused");

        f.mmu.fileClosed(f.file);
        assertEquals(0, f.mmu.vms().size());
        assertEquals(0, f.pages.stats().usedPages(), "every page-table page is freed");
    }

    @Test
    public void mapReadsTheBoAndUnmapLeavesNoStaleTranslation() throws GpuFault {
        GemObject bo = f.bo(4 * SZ_4K, 3);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        long va = 0x10_0000L;
        f.bind(vm, map(h, SZ_4K, va, 3 * SZ_4K, 0));
        for (int page = 0; page < 3; page++) {
            assertEquals(pattern(3, page + 1, 64), bus.read64(va + page * SZ_4K + 8 * 64));
        }
        bus.write64(va + 16, 0xabcdL);
        assertEquals(0xabcdL, f.model.memory().read64(bo.pages()[1] + 16));
        int as = f.mmu.vmAs(ref(vm));
        assertTrue(f.model.mmu().tlb(as).entries() > 0, "the reads filled the TLB");
        long lockaddr = ((hw.model.api.Mmio) f.model.mmio()).read64Raw(MaliRegs.AS_LOCKADDR(as));
        assertEquals(Lpae.lockRegion(va, 3 * SZ_4K), lockaddr, "the update locked the region it changed");
        assertTrue((lockaddr & 0x3f) >= 14, "lock region at least 32 KiB");

        f.bind(vm, unmap(va + SZ_4K, SZ_4K));
        GpuFault fault = assertThrows(GpuFault.class, () -> bus.read64(va + SZ_4K));
        assertEquals(va + SZ_4K, fault.va());
        assertEquals(pattern(3, 3, 0), bus.read64(va + 2 * SZ_4K), "the piece after stays mapped");
        assertEquals(2, f.mmu.vms().get(0).mappings(), "the mapping was split in two");
        assertEquals(3, bo.refCount(), "each piece holds a BO reference");
    }

    @Test
    public void twoMegBlockAndPartialUnmapInsideIt() throws GpuFault {
        GemObject bo = f.bo(2 * SZ_2M, 9);
        assertEquals(0, bo.pages()[0] % SZ_2M, "fixture: the BO starts 2 MiB aligned");
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        long va = 4 * SZ_2M;
        f.bind(vm, map(h, 0, va, 2 * SZ_2M, 0));
        List<WalkLine> walk = f.mmu.walk(ref(vm), va + 5 * SZ_4K);
        assertEquals("block 2M rw", walk.get(walk.size() - 1).meaning());
        assertEquals(2, walk.get(walk.size() - 1).level());
        assertEquals(pattern(9, 5, 128), bus.read64(va + 5 * SZ_4K + 8 * 128));
        assertEquals(pattern(9, 700, 0), bus.read64(va + 700 * SZ_4K));

        f.bind(vm, unmap(va + 5 * SZ_4K, 2 * SZ_4K));
        walk = f.mmu.walk(ref(vm), va + 4 * SZ_4K);
        assertEquals(3, walk.get(walk.size() - 1).level(), "the block was split into pages");
        assertEquals("page 4K rw", walk.get(walk.size() - 1).meaning());
        assertThrows(GpuFault.class, () -> bus.read64(va + 5 * SZ_4K));
        assertThrows(GpuFault.class, () -> bus.read64(va + 6 * SZ_4K + 8));
        assertEquals(pattern(9, 4, 0), bus.read64(va + 4 * SZ_4K));
        assertEquals(pattern(9, 7, 64), bus.read64(va + 7 * SZ_4K + 8 * 64));
        assertEquals(pattern(9, 511, 0), bus.read64(va + 511 * SZ_4K));
        walk = f.mmu.walk(ref(vm), va + SZ_2M);
        assertEquals("block 2M rw", walk.get(walk.size() - 1).meaning(), "the second block is untouched");
    }

    @Test
    public void readOnlyAndNoExecAreEnforcedByTheGpu() throws GpuFault {
        GemObject bo = f.bo(2 * SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        f.bind(vm, map(h, 0, 0x200000L, SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY
                        | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED),
                map(h, SZ_4K, 0x300000L, SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC));
        assertEquals(pattern(1, 0, 0), bus.read64(0x200000L));
        assertEquals(GpuFault.ACCESS_WRITE, assertThrows(GpuFault.class, () -> bus.write64(0x200000L, 1)).accessType());
        bus.write64(0x300000L, 5);
        assertEquals(GpuFault.ACCESS_EXECUTE, assertThrows(GpuFault.class, () -> bus.fetch64(0x300000L)).accessType());
    }

    @Test
    public void remapReplacesWithoutStaleTranslation() throws GpuFault {
        GemObject a = f.bo(SZ_4K, 1);
        GemObject b = f.bo(SZ_4K, 2);
        int ha = f.file.addGem(a);
        int hb = f.file.addGem(b);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        f.bind(vm, map(ha, 0, 0x400000L, SZ_4K, 0));
        assertEquals(pattern(1, 0, 0), bus.read64(0x400000L));
        f.bind(vm, map(hb, 0, 0x400000L, SZ_4K, 0));
        assertEquals(pattern(2, 0, 0), bus.read64(0x400000L), "the TLB does not serve the old page");
        assertEquals(1, a.refCount(), "the replaced mapping dropped its BO reference");
    }

    @Test
    public void bindValidationStopsAtTheFailingOpAndLeaksNothing() {
        GemObject bo = f.bo(4 * SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        long kernelStart = 1L << 47;
        VmBindException e = assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0), map(h, 0, kernelStart, SZ_4K, 0)));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(1, e.failedOp(), "ops.count = index of the failing op");
        assertEquals(1, f.mmu.vms().get(0).mappings(), "op 0 stays done");

        assertEquals(1, assertThrows(VmBindException.class,
                () -> f.bind(vm, unmap(0x1000, SZ_4K), map(h, 0, -SZ_4K, 2 * SZ_4K, 0))).failedOp(), "overflow");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class, () -> f.bind(vm, new DrmPanthorVmBindOp(
                PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, h, 0, 0x1000, SZ_4K, DrmPanthorObjArray.EMPTY))).errno(),
                "UNMAP with a BO handle");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1800, SZ_4K, 0))).errno(), "misaligned");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 2 * SZ_4K, 0x1000, 3 * SZ_4K, 0))).errno(), "beyond the BO");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(99, 0, 0x1000, SZ_4K, 0))).errno(), "unknown BO");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 1 << 5))).errno(), "unknown flag");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, unmap(kernelStart, SZ_4K))).errno(), "kernel range");
        assertEquals(Errno.EINVAL, assertThrows(VmBindException.class,
                () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE
                        | PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC))).errno(), "sparse with a BO");
        f.bind(vm, map(h, 0, 0x1000, 0, 1 << 5));
        assertEquals(1, bo.refCount(), "refused binds leak no BO reference; an empty op does nothing");
        assertEquals(Errno.EINVAL, errnoOf(() -> f.bind(77, unmap(0x1000, SZ_4K))), "unknown VM");
    }

    @Test
    public void evictionReprogramsTheAsAndDestroyDisablesIt() throws GpuFault {
        GemObject a = f.bo(SZ_4K, 11);
        GemObject b = f.bo(SZ_4K, 12);
        int ha = f.file.addGem(a);
        int hb = f.file.addGem(b);
        int[] vm = new int[9];
        for (int i = 1; i <= 8; i++) {
            vm[i] = f.vmCreate();
        }
        for (int i = 1; i <= 7; i++) {
            assertEquals(0, f.mmu.vmActive(ref(vm[i])));
        }
        f.bind(vm[2], map(ha, 0, 0x10000L, SZ_4K, 0));
        f.bind(vm[8], map(hb, 0, 0x10000L, SZ_4K, 0));
        GpuBus as2 = f.model.mmu().bus(2);
        assertEquals(pattern(11, 0, 0), as2.read64(0x10000L));
        f.mmu.vmIdle(ref(vm[2]));
        assertEquals(0, f.mmu.vmActive(ref(vm[8])));
        assertEquals(2, f.mmu.vmAs(ref(vm[8])));
        assertEquals(pattern(12, 0, 0), as2.read64(0x10000L), "AS2 now translates the new VM, no stale entry");

        f.mmu.vmIdle(ref(vm[8]));
        f.mmu.vmDestroy(f.call, vm[8]);
        assertEquals(1, b.refCount(), "destroy dropped the mapping's BO reference");
        assertThrows(GpuFault.class, () -> as2.read64(0x10000L), "the AS is disabled");
        int raw = f.model.mmio().read32(MaliRegs.MMU_INT_RAWSTAT);
        f.model.mmio().write32(MaliRegs.MMU_INT_CLEAR, raw);
        f.mmu.irq(raw);
        assertEquals(0, f.mmu.vmActive(ref(vm[2])));
        assertEquals(2, f.mmu.vmAs(ref(vm[2])), "the freed slot is taken again once that probe's fault is handled");
        assertEquals(pattern(11, 0, 0), as2.read64(0x10000L));
    }

    @Test
    public void pageFaultDisablesTheAsUntilTheVmIsActivatedAgain() throws GpuFault {
        GemObject bo = f.bo(SZ_4K, 21);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        GpuBus bus = activeBus(vm);
        int as = f.mmu.vmAs(ref(vm));
        f.bind(vm, map(h, 0, 0x20000L, SZ_4K, 0));
        assertThrows(GpuFault.class, () -> bus.read64(0x90000L));
        int raw = f.model.mmio().read32(MaliRegs.MMU_INT_RAWSTAT);
        assertEquals(1 << as, raw & (1 << as), "the model raised the AS's fault bit");
        f.model.mmio().write32(MaliRegs.MMU_INT_CLEAR, raw);

        f.mmu.irq(raw);
        assertTrue(f.mmu.vmHasUnhandledFaults(ref(vm)));
        assertEquals(0, f.mmu.irqMask() & (1 << as), "the faulty AS is masked");
        assertTrue(f.mmu.addressSpaces().get(as).faulted());
        assertEquals("faulted", f.mmu.vms().get(0).state());
        assertThrows(GpuFault.class, () -> bus.read64(0x20000L), "the AS is disabled");

        assertEquals(0, f.mmu.vmActive(ref(vm)), "still active: nothing changes");
        assertTrue(f.mmu.vmHasUnhandledFaults(ref(vm)));
        f.mmu.vmIdle(ref(vm));
        f.mmu.vmIdle(ref(vm));
        assertEquals(0, f.mmu.vmActive(ref(vm)));
        assertEquals(as, f.mmu.vmAs(ref(vm)), "the VM kept its slot");
        assertFalse(f.mmu.vmHasUnhandledFaults(ref(vm)), "re-activation clears the fault");
        assertEquals(1 << as, f.mmu.irqMask() & (1 << as));
        assertEquals(pattern(21, 0, 0), bus.read64(0x20000L), "and re-enables the AS");
    }

    @Test
    public void anAsWhosePageFaultIsStillOnItsWayDoesNotChangeHands() {
        int[] vm = new int[10];
        for (int i = 1; i <= 9; i++) {
            vm[i] = f.vmCreate();
        }
        for (int i = 1; i <= 7; i++) {
            assertEquals(0, f.mmu.vmActive(ref(vm[i])));
        }
        f.mmu.vmIdle(ref(vm[2]));
        int as = f.mmu.vmAs(ref(vm[2]));
        assertThrows(GpuFault.class, () -> f.model.mmu().bus(as).read64(0x90000L), "vm 2's last job faulted");
        assertEquals(-Errno.EBUSY, f.mmu.vmActive(ref(vm[8])), "the only idle AS has a fault not yet handled");

        f.mmu.vmIdle(ref(vm[3]));
        int as3 = f.mmu.vmAs(ref(vm[3]));
        assertEquals(0, f.mmu.vmActive(ref(vm[8])));
        assertEquals(as3, f.mmu.vmAs(ref(vm[8])), "vm 3, idle for less time, lost its AS instead");
        assertEquals(-1, f.mmu.vmAs(ref(vm[3])));
        assertEquals(as, f.mmu.vmAs(ref(vm[2])));

        int raw = f.model.mmio().read32(MaliRegs.MMU_INT_RAWSTAT);
        f.model.mmio().write32(MaliRegs.MMU_INT_CLEAR, raw);
        f.mmu.irq(raw);
        assertTrue(f.mmu.vmHasUnhandledFaults(ref(vm[2])), "the fault is charged to the VM that made it");
        assertFalse(f.mmu.vmHasUnhandledFaults(ref(vm[8])));
        assertEquals(0, f.mmu.vmActive(ref(vm[9])), "once handled, the faulty AS may change hands");
        assertEquals(as, f.mmu.vmAs(ref(vm[9])));
        assertFalse(f.mmu.vmHasUnhandledFaults(ref(vm[9])));
        assertEquals(1 << as, f.mmu.irqMask() & (1 << as), "and its fault is unmasked again");
    }

    @Test
    public void stuckAsActiveFailsTheBindWithoutChangingIt() {
        GemObject bo = f.bo(SZ_4K, 1);
        int h = f.file.addGem(bo);
        int vm = f.vmCreate();
        activeBus(vm);
        int as = f.mmu.vmAs(ref(vm));
        f.model.mmu().stickAsActive(as, true);
        f.model.mmio().write32(MaliRegs.AS_COMMAND(as), MaliRegs.AS_COMMAND_UPDATE);
        VmBindException e = assertThrows(VmBindException.class, () -> f.bind(vm, map(h, 0, 0x1000, SZ_4K, 0)));
        assertEquals(Errno.ETIMEDOUT, e.errno(), "wait_ready() gives up after 100 ms");
        assertEquals(0, e.failedOp());
        assertEquals(0, f.mmu.vms().get(0).mappings());
        assertEquals(1, bo.refCount());
        f.model.mmu().stickAsActive(as, false);
    }
}
