package hw.model.internal;

import hw.model.api.FaultInjection;
import java.util.ArrayList;
import java.util.List;

/**
 * DOC: Fault injection.
 *
 * The {@link FaultInjection} facade. Each fault is forwarded to the block that owns the
 * hardware it breaks, so it shows through the same registers and interrupts a real fault
 * would: page faults and stuck AS_ACTIVE to the MMU, a stalled cache flush to GPU_CONTROL,
 * hung queues, CS_FATAL and a failing firmware boot to the CSF block. Arguments are checked
 * against the G610 (8 address spaces, 8 CSG slots of 8 queues, 48-bit VAs, 8-bit exception
 * types); a bad one is an {@link IllegalArgumentException}.
 */
public final class FaultInjector implements FaultInjection {

    private final GpuModel model;

    public FaultInjector(GpuModel model) {
        this.model = model;
    }

    @Override
    public void pageFault(int as, long va) {
        checkAs(as);
        if (va < 0 || va >= 1L << G610.vaBits()) {
            throw new IllegalArgumentException(String.format("VA 0x%x is outside the %d-bit GPU address space",
                    va, G610.vaBits()));
        }
        model.mmu().injectPageFault(as, va);
    }

    @Override
    public void hangQueue(int csg, int cs, boolean hang) {
        checkQueue(csg, cs);
        model.csf().hangQueue(csg, cs, hang);
    }

    @Override
    public void stallCacheFlush(boolean stall) {
        synchronized (model.lock()) {
            model.gpu().stallCacheFlush(stall);
        }
    }

    @Override
    public void failFirmwareBoot(boolean fail) {
        model.csf().failFirmwareBoot(fail);
    }

    @Override
    public void csFatal(int csg, int cs, int exceptionType) {
        checkQueue(csg, cs);
        if (exceptionType < 0 || exceptionType > 0xFF) {
            throw new IllegalArgumentException("exception type must be 0..0xff, got 0x" + Integer.toHexString(exceptionType));
        }
        model.csf().csFatal(csg, cs, exceptionType);
    }

    @Override
    public void stickAsActive(int as, boolean stick) {
        checkAs(as);
        model.mmu().stickAsActive(as, stick);
    }

    @Override
    public void clearAll() {
        synchronized (model.lock()) {
            model.gpu().stallCacheFlush(false);
            model.mmu().clearInjections();
            model.csf().clearInjections();
        }
    }

    @Override
    public List<String> armed() {
        List<String> out = new ArrayList<>();
        synchronized (model.lock()) {
            if (model.gpu().cacheFlushStalled()) {
                out.add("gpu: cache flushes stalled");
            }
            out.addAll(model.mmu().armedFaults());
            for (String f : model.csf().armedFaults()) {
                out.add("csf: " + f);
            }
        }
        return out;
    }

    private static void checkAs(int as) {
        int count = Integer.bitCount(G610.AS_PRESENT);
        if (as < 0 || as >= count) {
            throw new IllegalArgumentException("address space " + as + " does not exist (AS 0.." + (count - 1) + ")");
        }
    }

    private static void checkQueue(int csg, int cs) {
        if (csg < 0 || csg >= G610.CSG_SLOT_COUNT) {
            throw new IllegalArgumentException("CSG slot " + csg + " does not exist (0.." + (G610.CSG_SLOT_COUNT - 1) + ")");
        }
        if (cs < 0 || cs >= G610.CS_SLOT_COUNT) {
            throw new IllegalArgumentException("queue " + cs + " does not exist (0.." + (G610.CS_SLOT_COUNT - 1) + ")");
        }
    }
}
