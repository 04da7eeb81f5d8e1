package driver.core.subsys.mmu;

/**
 * A VM for {@code mmu:vms}.
 *
 * @param vm            its reference
 * @param clientId      the owning file's client id, 0 for kernel VMs (the MCU's)
 * @param handle        its id in the file's pool, 0 if none (destroyed but referenced, or kernel)
 * @param userVaRange   size of the user VA range from 0
 * @param kernelVaStart start of the kernel VA range
 * @param mappings      number of mappings
 * @param mappedBytes   bytes mapped
 * @param pageTablePages page-table pages the VM owns
 * @param as            its address space, -1 if none
 * @param refs          references held (pool, groups, heaps, BOs)
 * @param state         {@code usable}, {@code unusable} or {@code faulted}
 */
public record VmInfo(VmRef vm, int clientId, int handle, long userVaRange, long kernelVaStart, int mappings,
                     long mappedBytes, int pageTablePages, int as, int refs, String state) {
}
