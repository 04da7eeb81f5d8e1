package hw.model.internal;

/**
 * A GPU-side memory access that the MMU refused: the fault has already been latched in the
 * address space's FAULTSTATUS/FAULTADDRESS and its IRQ raised. Carries the exception type
 * (TRANSLATION_FAULT_n = 0xC0 + level, PERMISSION_FAULT_n = 0xC8 + level, ...) and access
 * type so the unit that made the access (command-stream frontend, shader core) can stop.
 * No stack trace: faults are part of normal operation.
 */
public final class GpuFault extends Exception {

    public static final int ACCESS_ATOMIC = 0;
    public static final int ACCESS_EXECUTE = 1;
    public static final int ACCESS_READ = 2;
    public static final int ACCESS_WRITE = 3;

    private final int as;
    private final long va;
    private final int exceptionType;
    private final int accessType;

    public GpuFault(int as, long va, int exceptionType, int accessType) {
        super(String.format("AS%d fault at 0x%x: exception 0x%x, access %d", as, va, exceptionType, accessType),
                null, false, false);
        this.as = as;
        this.va = va;
        this.exceptionType = exceptionType;
        this.accessType = accessType;
    }

    public int as() { return as; }
    public long va() { return va; }
    public int exceptionType() { return exceptionType; }
    public int accessType() { return accessType; }
}
