package hw.model.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes the simulated hardware misbehave on purpose, so driver error paths can be exercised
 * the way they would be on silicon. Every injection is visible through the same registers
 * and interrupts a real fault would use.
 */
@ProviderType
public interface FaultInjection {

    /**
     * Raises a translation fault in address space {@code as} at GPU virtual address
     * {@code va}, as if the GPU had read it: FAULTSTATUS/FAULTADDRESS are set and the MMU
     * line asserts the AS's page-fault bit.
     */
    void pageFault(int as, long va);

    /** While set, queue {@code cs} of CSG slot {@code csg} makes no progress (a hung job). */
    void hangQueue(int csg, int cs, boolean hang);

    /** While set, GPU_CMD cache flushes never complete (no CLEAN_CACHES_COMPLETED). */
    void stallCacheFlush(boolean stall);

    /** While set, enabling the MCU does not bring up the firmware (no global interface, no boot IRQ). */
    void failFirmwareBoot(boolean fail);

    /**
     * Raises CS_FATAL on queue {@code cs} of CSG slot {@code csg} with {@code exceptionType}
     * (for example 0x41 CS_UNRECOVERABLE, 0x49 CS_INSTR_INVALID); the queue stops.
     */
    void csFatal(int csg, int cs, int exceptionType);

    /** While set, AS_STATUS.AS_ACTIVE of address space {@code as} stays set after any command. */
    void stickAsActive(int as, boolean stick);

    /** Disarms every injected fault. */
    void clearAll();

    /** Human-readable list of the faults armed now. */
    List<String> armed();
}
