package driver.mmu.rewritten.vm;

import driver.core.kernel.GemObject;
import driver.core.kernel.pgtable.Lpae;
import driver.core.uapi.PanthorIoctls;
import java.util.Optional;

/**
 * One mapping of a VM: {@code size} bytes at {@code va} backed by {@code backing} from
 * {@code offset}, with {@code DRM_PANTHOR_VM_BIND_OP_MAP_*} {@code flags}. A value: splitting
 * makes new mappings, a mapping never changes.
 */
public record Mapping(long va, long size, Backing backing, long offset, int flags) {

    /** What a mapping maps. */
    public sealed interface Backing permits Backing.Bo, Backing.KernelPages, Backing.Sparse {

        /** A user BO; each mapping piece holds one reference on it. */
        record Bo(GemObject bo) implements Backing {
        }

        /** A kernel BO's own pages ({@code panthor_kernel_bo_create}), freed when the mapping goes. */
        record KernelPages(long[] pages) implements Backing {
        }

        /** A sparse range: every page maps the VM's zeroed dummy page. */
        record Sparse() implements Backing {
        }
    }

    public long end() {
        return va + size;
    }

    public Optional<GemObject> bo() {
        return backing instanceof Backing.Bo b ? Optional.of(b.bo()) : Optional.empty();
    }

    public boolean isSparse() {
        return backing instanceof Backing.Sparse;
    }

    public boolean isKernel() {
        return backing instanceof Backing.KernelPages;
    }

    /**
     * The piece [pieceVa, pieceVa + pieceSize) of this mapping, offset moved. A BO piece maps the
     * same BO; a kernel piece owns its own pages only, so removing one piece frees exactly the
     * pages it mapped, each once.
     */
    public Mapping slice(long pieceVa, long pieceSize) {
        Backing pieceBacking = backing;
        if (backing instanceof Backing.KernelPages kernel) {
            int first = (int) ((pieceVa - va) / Lpae.SZ_4K);
            pieceBacking = new Backing.KernelPages(
                    java.util.Arrays.copyOfRange(kernel.pages(), first, first + (int) (pieceSize / Lpae.SZ_4K)));
        }
        return new Mapping(pieceVa, pieceSize, pieceBacking, offset + (pieceVa - va), flags);
    }

    /** The io-pgtable protection bits of {@link #flags}. */
    public static int protection(int flags) {
        int prot = Lpae.IOMMU_READ;
        if ((flags & PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY) == 0) {
            prot |= Lpae.IOMMU_WRITE;
        }
        if ((flags & PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) != 0) {
            prot |= Lpae.IOMMU_NOEXEC;
        }
        if ((flags & PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED) == 0) {
            prot |= Lpae.IOMMU_CACHE;
        }
        return prot;
    }
}
