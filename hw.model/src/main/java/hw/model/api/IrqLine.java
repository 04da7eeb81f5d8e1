package hw.model.api;

/** The three interrupt lines of a Mali CSF GPU, named as in the device tree ("job", "mmu", "gpu"). */
public enum IrqLine {
    GPU,
    JOB,
    MMU
}
