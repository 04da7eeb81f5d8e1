package driver.core.internal.subsys;

import driver.core.kernel.pgtable.Lpae;
import driver.core.slot.SlotStatus;
import driver.core.slot.SubsystemSlot;
import driver.core.slot.SubsystemUnavailableException;
import driver.core.subsys.DriverSubsystems;
import driver.core.subsys.mmu.AsSlotInfo;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.mmu.VmInfo;
import driver.core.subsys.mmu.VmRef;
import driver.core.subsys.mmu.WalkLine;
import driver.core.uapi.ErrnoException;
import java.util.List;
import java.util.function.Function;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code mmu:vms}, {@code mmu:as} and {@code mmu:walk} shell commands: the active MMU's
 * introspection ({@link Mmu#vms()}, {@link Mmu#addressSpaces()}, {@link Mmu#walk}) through the
 * mmu slot, as tables, for any implementation. With no implementation owning the slot they
 * fail at once with one line ("no MMU implementation active") rather than wait the slot's
 * grace period. A VM is named by its key as {@code mmu:vms} prints it ({@code vm#3}, or just
 * {@code 3}). Errors are {@link IllegalArgumentException}s the shell prints.
 */
@Component(service = MmuCommands.class, property = {
        "osgi.command.scope=mmu",
        "osgi.command.function=vms",
        "osgi.command.function=as",
        "osgi.command.function=walk"})
public final class MmuCommands {

    static final String NO_MMU = "no MMU implementation active";

    private final DriverSubsystems subsystems;

    @Activate
    public MmuCommands(@Reference DriverSubsystems subsystems) {
        this.subsystems = subsystems;
    }

    @Descriptor("list every VM: owning client and pool id, state, address space, references, mappings, "
            + "bytes mapped, page-table pages and the user/kernel VA split")
    public String vms() {
        return renderVms(ask("mmu:vms", Mmu::vms));
    }

    @Descriptor("the address-space slot table: the VM bound to each AS, active or idle (with its LRU "
            + "eviction order), faulted")
    public String as() {
        return renderAddressSpaces(ask("mmu:as", Mmu::addressSpaces));
    }

    @Descriptor("walk the page tables of a VM for one virtual address, level by level")
    public String walk(@Descriptor("the VM, as mmu:vms prints it (vm#3 or 3)") String vm,
                       @Descriptor("the GPU virtual address (0x... hex or decimal)") String va) {
        VmRef ref = parseVm(vm);
        long address = parseVa(va);
        List<WalkLine> lines = ask("mmu:walk", m -> {
            try {
                return m.walk(ref, address);
            } catch (ErrnoException e) {
                throw new IllegalArgumentException("mmu:walk: no VM " + ref + " (see mmu:vms)");
            }
        });
        return renderWalk(ref, address, lines);
    }

    private <R> R ask(String command, Function<Mmu, R> op) {
        SubsystemSlot<Mmu, MmuState> slot = subsystems.mmu();
        SlotStatus status = slot.info().status();
        if (status == SlotStatus.PARKED || status == SlotStatus.CLOSED) {
            throw new IllegalArgumentException(command + ": " + NO_MMU);
        }
        try {
            return slot.call(op::apply);
        } catch (SubsystemUnavailableException e) {
            throw new IllegalArgumentException(command + ": " + NO_MMU);
        }
    }

    static VmRef parseVm(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("vm#")) {
            t = t.substring(3);
        }
        try {
            long key = Long.parseLong(t);
            if (key > 0) {
                return new VmRef(key);
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("mmu:walk: '" + text + "' is not a VM (use the VM column of mmu:vms, "
                + "e.g. vm#3)");
    }

    static long parseVa(String text) {
        String t = text == null ? "" : text.trim().replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mmu:walk: '" + text + "' is not an address (0x... or decimal)");
        }
    }

    // ---- formatting -------------------------------------------------------------------------

    static String renderVms(List<VmInfo> vms) {
        if (vms.isEmpty()) {
            return "no VMs";
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-8s %6s %4s %-8s %3s %4s %6s %12s %8s %18s %18s%n";
        sb.append(String.format(fmt, "VM", "CLIENT", "ID", "STATE", "AS", "REFS", "MAPS", "MAPPED", "PT-PAGES",
                "USER-VA-END", "KERNEL-VA-START"));
        long mapped = 0;
        for (VmInfo v : vms) {
            mapped += v.mappedBytes();
            sb.append(String.format(fmt, v.vm(), v.clientId() == 0 ? "kernel" : String.valueOf(v.clientId()),
                    v.handle() == 0 ? "-" : String.valueOf(v.handle()), v.state(), v.as() < 0 ? "-" : v.as(),
                    v.refs(), v.mappings(), size(v.mappedBytes()), v.pageTablePages(), hex(v.userVaRange()),
                    hex(v.kernelVaStart())));
        }
        sb.append(vms.size()).append(vms.size() == 1 ? " VM, " : " VMs, ").append(size(mapped)).append(" mapped");
        return sb.toString();
    }

    static String renderAddressSpaces(List<AsSlotInfo> slots) {
        if (slots.isEmpty()) {
            return "no address spaces";
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%3s %-8s %-7s %-7s %4s%n";
        sb.append(String.format(fmt, "AS", "VM", "USE", "FAULTED", "LRU"));
        int bound = 0;
        for (AsSlotInfo s : slots) {
            if (s.vm() == null && s.as() == 0) {
                /* AS0 is the firmware's (the MCU VM), programmed by the firmware layer, not a VM of the table. */
                bound++;
                sb.append(String.format(fmt, s.as(), "(mcu)", "mcu", s.faulted() ? "yes" : "-", "-"));
                continue;
            }
            if (s.vm() == null) {
                sb.append(String.format(fmt, s.as(), "-", "free", s.faulted() ? "yes" : "-", "-"));
                continue;
            }
            bound++;
            sb.append(String.format(fmt, s.as(), s.vm(), s.active() ? "active" : "idle", s.faulted() ? "yes" : "-",
                    s.lruOrder() < 0 ? "-" : String.valueOf(s.lruOrder())));
        }
        sb.append(bound).append(" of ").append(slots.size()).append(" address spaces bound");
        return sb.toString();
    }

    static String renderWalk(VmRef vm, long va, List<WalkLine> lines) {
        StringBuilder sb = new StringBuilder();
        sb.append(vm).append(" va ").append(hex(va)).append(System.lineSeparator());
        String fmt = "%5s %18s %5s %18s  %s%n";
        sb.append(String.format(fmt, "LEVEL", "TABLE", "INDEX", "ENTRY", "MEANING"));
        WalkLine last = null;
        for (WalkLine l : lines) {
            sb.append(String.format(fmt, "L" + l.level(), hex(l.tableAddress()), l.index(), hex(l.entry()),
                    l.meaning()));
            last = l;
        }
        if (last == null || !Lpae.isValid(last.entry()) || Lpae.isTable(last.entry(), last.level())) {
            sb.append("not mapped");
        } else {
            long pa = Lpae.address(last.entry()) + (va & (Lpae.blockSize(last.level()) - 1));
            sb.append(hex(va)).append(" -> pa ").append(hex(pa));
        }
        return sb.toString();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes / 1024 + " KiB";
    }
}
