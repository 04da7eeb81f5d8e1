package driver.mmu.rewritten.vm;

import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY;
import static driver.core.uapi.PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;

import driver.core.kernel.pgtable.Lpae;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.mmu.rewritten.MmuError;

/**
 * DOC: A validated VM_BIND operation.
 *
 * {@link #parse} turns a {@code drm_panthor_vm_bind_op} into one of four values or refuses it
 * (EINVAL at the edge), with Panthor's checks in Panthor's order
 * ({@code panthor_vm_bind_prepare_op_ctx()}): VA and size 4 KiB aligned; a MAP with known
 * flags, a non-empty range, an aligned BO offset, inside the user VA range; a sparse MAP
 * NOEXEC and without BO; an UNMAP without BO or flags, non-empty, inside the user range; a
 * SYNC_ONLY with nothing but its syncs. The BO of a {@link Map} is looked up afterwards.
 * (A synchronous bind refuses sync arrays and skips empty ops before parsing.)
 */
public sealed interface BindOp permits BindOp.Map, BindOp.MapSparse, BindOp.Unmap, BindOp.SyncOnly {

    /** The MAP flags Panthor accepts. */
    int MAP_FLAGS = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
            | DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;

    /** Map {@code size} bytes of BO {@code boHandle} from {@code boOffset} at {@code va}. */
    record Map(int boHandle, long boOffset, long va, long size, int mapFlags) implements BindOp {
    }

    /** Map every page of [va, va + size) onto the VM's zeroed dummy page. */
    record MapSparse(long va, long size, int mapFlags) implements BindOp {
    }

    /** Unmap [va, va + size); mappings it cuts keep their pieces outside it. */
    record Unmap(long va, long size) implements BindOp {
    }

    /** Nothing to do but the syncs. */
    record SyncOnly() implements BindOp {
    }

    static BindOp parse(DrmPanthorVmBindOp op, VmLayout layout) {
        int type = op.flags() & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
        int otherFlags = op.flags() & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
        if ((op.va() | op.size()) % Lpae.SZ_4K != 0) {
            throw MmuError.invalid("misaligned range");
        }
        switch (type) {
            case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
                return parseMap(op, layout, otherFlags);
            case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
                if (otherFlags != 0 || op.boHandle() != 0 || op.boOffset() != 0 || op.size() == 0) {
                    throw MmuError.invalid("UNMAP with a BO or flags, or empty");
                }
                requireUserRange(layout, op);
                return new Unmap(op.va(), op.size());
            case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
                if (otherFlags != 0 || op.boHandle() != 0 || op.boOffset() != 0 || op.va() != 0 || op.size() != 0
                        || op.syncs().count() == 0) {
                    throw MmuError.invalid("SYNC_ONLY with a range, BO or flags, or without syncs");
                }
                return new SyncOnly();
            default:
                throw MmuError.invalid("unknown op type");
        }
    }

    private static BindOp parseMap(DrmPanthorVmBindOp op, VmLayout layout, int mapFlags) {
        if ((mapFlags & ~MAP_FLAGS) != 0) {
            throw MmuError.invalid("unknown MAP flags");
        }
        if (op.size() == 0 || op.boOffset() % Lpae.SZ_4K != 0) {
            throw MmuError.invalid("empty range or misaligned BO offset");
        }
        requireUserRange(layout, op);
        if ((mapFlags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) != 0) {
            if ((mapFlags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) == 0 || op.boHandle() != 0 || op.boOffset() != 0) {
                throw MmuError.invalid("sparse MAP must be NOEXEC and without BO");
            }
            return new MapSparse(op.va(), op.size(), mapFlags);
        }
        return new Map(op.boHandle(), op.boOffset(), op.va(), op.size(), mapFlags);
    }

    private static void requireUserRange(VmLayout layout, DrmPanthorVmBindOp op) {
        if (!layout.userRangeContains(op.va(), op.size())) {
            throw MmuError.invalid("range outside the user VA range");
        }
    }
}
