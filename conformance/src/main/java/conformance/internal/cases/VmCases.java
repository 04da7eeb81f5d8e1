package conformance.internal.cases;

import static conformance.internal.Client.ASYNC;
import static conformance.internal.Client.SYNC_ONLY;
import static conformance.internal.Client.mapOp;
import static conformance.internal.Client.unmapOp;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorVmBindOp;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.DrmPanthorVmDestroy;
import driver.core.uapi.DrmPanthorVmGetState;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import java.util.ArrayList;
import java.util.List;

/**
 * VMs and VM_BIND: creation rules (VA ranges, 32 per file), destruction, state, synchronous
 * MAP/UNMAP/SYNC_ONLY with every validation, splits inside 2 MiB blocks, remaps, and
 * asynchronous binds with syncobjs. What a bind does to GPU translations is checked by the
 * submit cases (a job storing through the mapping).
 */
public final class VmCases {

    static final long SZ_4K = 4096;
    static final long SZ_64K = 64 * 1024;
    static final long SZ_2M = 2L << 20;
    static final long VA = 0x1000_0000L;
    private static final int READONLY = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
    private static final int NOEXEC = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
    private static final int UNCACHED = PanthorIoctls.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;

    private VmCases() {
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_vm@create-destroy", ctx -> {
            Client c = ctx.open("vmcreate");
            DrmPanthorVmCreate r = c.drm().vmCreate(0);
            ctx.check(r.id() >= 1, "VM id %d (ids start at 1)", r.id());
            ctx.check(r.userVaRange() > 0 && r.userVaRange() < (1L << c.vaBits()), "user_va_range 0x%x", r.userVaRange());
            ctx.checkEq(1, ctx.info(c).vms(), "VMs listed");
            c.drm().vmDestroy(r.id());
            ctx.checkEq(0, ctx.info(c).vms(), "VMs after destroy");
        }));
        out.add(new Case("panthor_vm@create-bad-flags", ctx -> {
            Client c = ctx.open("vmflags");
            byte[] arg = new DrmPanthorVmCreate(1, 0, 0).toBytes();
            ctx.expectResult(Errno.EINVAL, "VM_CREATE flags 1", c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, arg, null));
        }));
        out.add(new Case("panthor_vm@create-user-range-too-big", ctx -> {
            Client c = ctx.open("vmrange");
            long full = 1L << c.vaBits();
            ctx.expectErrno(Errno.EINVAL, "user range leaving less than 256 MiB for the kernel",
                    () -> c.drm().vmCreate(full - (128L << 20)));
            ctx.expectErrno(Errno.EINVAL, "user range of the whole VA space", () -> c.drm().vmCreate(full));
        }));
        out.add(new Case("panthor_vm@create-user-range", ctx -> {
            Client c = ctx.open("vmurange");
            DrmPanthorVmCreate r = c.drm().vmCreate(1L << 32);
            ctx.check(r.userVaRange() >= 1L << 32, "kernel VA start 0x%x below the 4 GiB asked for", r.userVaRange());
            Client.Bo bo = c.bo(SZ_4K);
            c.map(r.id(), bo, 0, (1L << 32) - SZ_4K, SZ_4K, 0);
        }));
        out.add(new Case("panthor_vm@create-max-per-file", ctx -> {
            Client c = ctx.open("vmmax");
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                ids.add(c.vm());
            }
            ctx.expectErrno(Errno.EBUSY, "33rd VM of a file", c::vm);
            c.drm().vmDestroy(ids.get(5));
            ctx.checkEq(ids.get(5), c.vm(), "id of a VM created after freeing one");
        }));
        out.add(new Case("panthor_vm@destroy-unknown", ctx -> {
            Client c = ctx.open("vmdunk");
            ctx.expectErrno(Errno.EINVAL, "VM_DESTROY of VM 9", () -> c.drm().vmDestroy(9));
            int vm = c.vm();
            c.drm().vmDestroy(vm);
            ctx.expectErrno(Errno.EINVAL, "second VM_DESTROY", () -> c.drm().vmDestroy(vm));
        }));
        out.add(new Case("panthor_vm@destroy-nonzero-pad", ctx -> {
            Client c = ctx.open("vmdpad");
            int vm = c.vm();
            ctx.expectResult(Errno.EINVAL, "VM_DESTROY with pad 1",
                    c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, new DrmPanthorVmDestroy(vm, 1).toBytes(), null));
            ctx.checkEq(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, c.drm().vmGetState(vm), "state of the VM");
        }));
        out.add(new Case("panthor_vm@get-state", ctx -> {
            Client c = ctx.open("vmstate");
            int vm = c.vm();
            ctx.checkEq(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, c.drm().vmGetState(vm), "state of a new VM");
            ctx.expectErrno(Errno.EINVAL, "VM_GET_STATE of VM 9", () -> c.drm().vmGetState(9));
            ctx.expectResult(Errno.EINVAL, "VM_GET_STATE of VM 0", c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE,
                    new DrmPanthorVmGetState(0, 0).toBytes(), null));
        }));
        out.add(new Case("panthor_vm@vms-are-per-file", ctx -> {
            Client a = ctx.open("vmfilea");
            Client b = ctx.open("vmfileb");
            int vm = a.vm();
            ctx.expectErrno(Errno.EINVAL, "VM_GET_STATE of another file's VM id",
                    () -> b.drm().vmGetState(vm));
            Client.Bo bo = b.bo(SZ_4K);
            ctx.expectErrno(Errno.EINVAL, "MAP into a VM id this file does not have", () -> b.map(vm, bo, VA));
        }));
        out.add(new Case("panthor_vm@bind-map-4k", ctx -> {
            Client c = ctx.open("bind4k");
            int vm = c.vm();
            c.map(vm, c.bo(SZ_4K), VA);
        }));
        out.add(new Case("panthor_vm@bind-map-2m", ctx -> {
            Client c = ctx.open("bind2m");
            int vm = c.vm();
            c.map(vm, c.bo(2 * SZ_2M), SZ_2M * 64);
        }));
        out.add(new Case("panthor_vm@bind-map-flags", ctx -> {
            Client c = ctx.open("bindflag");
            int vm = c.vm();
            Client.Bo bo = c.bo(4 * SZ_4K);
            c.map(vm, bo, 0, VA, SZ_4K, READONLY);
            c.map(vm, bo, SZ_4K, VA + SZ_4K, SZ_4K, NOEXEC);
            c.map(vm, bo, 2 * SZ_4K, VA + 2 * SZ_4K, SZ_4K, UNCACHED);
            c.map(vm, bo, 3 * SZ_4K, VA + 3 * SZ_4K, SZ_4K, READONLY | NOEXEC | UNCACHED);
        }));
        out.add(new Case("panthor_vm@bind-unknown-flag", ctx -> {
            Client c = ctx.open("bindsprs");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            // 1 << 3 is MAP_SPARSE in newer UABIs (1.9 proposals); this UABI does not have it.
            ctx.expectErrno(Errno.EINVAL, "MAP with flag 1<<3 (MAP_SPARSE, not in this UABI)",
                    () -> c.map(vm, bo, 0, VA, SZ_4K, 1 << 3));
            ctx.expectErrno(Errno.EINVAL, "op type 3", () -> c.drm().vmBind(vm, 0,
                    List.of(new DrmPanthorVmBindOp(3 << 28, bo.handle(), 0, VA, SZ_4K, DrmPanthorObjArray.EMPTY))));
        }));
        out.add(new Case("panthor_vm@bind-misaligned", ctx -> {
            Client c = ctx.open("bindalgn");
            int vm = c.vm();
            Client.Bo bo = c.bo(4 * SZ_4K);
            ctx.expectErrno(Errno.EINVAL, "MAP at VA+0x800", () -> c.map(vm, bo, 0, VA + 0x800, SZ_4K, 0));
            ctx.expectErrno(Errno.EINVAL, "MAP of 0x1800 bytes", () -> c.map(vm, bo, 0, VA, 0x1800, 0));
            ctx.expectErrno(Errno.EINVAL, "MAP from BO offset 0x200", () -> c.map(vm, bo, 0x200, VA, SZ_4K, 0));
            ctx.expectErrno(Errno.EINVAL, "UNMAP at VA+0x10", () -> c.unmap(vm, VA + 0x10, SZ_4K));
        }));
        out.add(new Case("panthor_vm@bind-size-zero-is-noop", ctx -> {
            Client c = ctx.open("bindzero");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            // panthor_vm_bind_exec_sync_op(): "if (!op->size) return 0;" before any other check.
            c.map(vm, bo, 0, VA + 0x10, 0, 0);
            c.unmap(vm, VA + 0x10, 0);
            c.map(vm, bo, VA);
        }));
        out.add(new Case("panthor_vm@bind-overflow", ctx -> {
            Client c = ctx.open("bindovf");
            int vm = c.vm();
            Client.Bo bo = c.bo(2 * SZ_4K);
            ctx.expectErrno(Errno.EINVAL, "MAP whose end wraps around 2^64", () -> c.map(vm, bo, 0, -SZ_4K, 2 * SZ_4K, 0));
            ctx.expectErrno(Errno.EINVAL, "UNMAP whose end wraps around 2^64", () -> c.unmap(vm, -SZ_4K, 2 * SZ_4K));
            ctx.expectErrno(Errno.EINVAL, "MAP past the VA bits",
                    () -> c.map(vm, bo, 0, 1L << c.vaBits(), SZ_4K, 0));
        }));
        out.add(new Case("panthor_vm@bind-kernel-range", ctx -> {
            Client c = ctx.open("bindkern");
            DrmPanthorVmCreate r = c.drm().vmCreate(0);
            long kernelStart = r.userVaRange();
            Client.Bo bo = c.bo(2 * SZ_4K);
            ctx.expectErrno(Errno.EINVAL, "MAP at the start of the kernel VA range",
                    () -> c.map(r.id(), bo, 0, kernelStart, SZ_4K, 0));
            ctx.expectErrno(Errno.EINVAL, "MAP straddling into the kernel VA range",
                    () -> c.map(r.id(), bo, 0, kernelStart - SZ_4K, 2 * SZ_4K, 0));
            c.map(r.id(), bo, 0, kernelStart - SZ_4K, SZ_4K, 0);
        }));
        out.add(new Case("panthor_vm@bind-bo-range", ctx -> {
            Client c = ctx.open("bindbor");
            int vm = c.vm();
            Client.Bo bo = c.bo(2 * SZ_4K);
            ctx.expectErrno(Errno.EINVAL, "MAP larger than the BO", () -> c.map(vm, bo, 0, VA, 3 * SZ_4K, 0));
            ctx.expectErrno(Errno.EINVAL, "MAP of offset+size past the BO", () -> c.map(vm, bo, SZ_4K, VA, 2 * SZ_4K, 0));
            c.map(vm, bo, SZ_4K, VA, SZ_4K, 0);
        }));
        out.add(new Case("panthor_vm@bind-unknown-handles", ctx -> {
            Client c = ctx.open("bindunk");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            ctx.expectErrno(Errno.EINVAL, "MAP of BO handle 99", () -> c.map(vm, new Client.Bo(99, SZ_4K), VA));
            ctx.expectErrno(Errno.EINVAL, "MAP into VM 31", () -> c.map(31, bo, VA));
        }));
        out.add(new Case("panthor_vm@bind-unmap-with-bo", ctx -> {
            Client c = ctx.open("bindunbo");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            c.map(vm, bo, VA);
            ctx.expectErrno(Errno.EINVAL, "UNMAP naming a BO", () -> c.drm().vmBind(vm, 0, List.of(
                    new DrmPanthorVmBindOp(Client.UNMAP, bo.handle(), 0, VA, SZ_4K, DrmPanthorObjArray.EMPTY))));
        }));
        out.add(new Case("panthor_vm@bind-unmap-unmapped", ctx -> {
            Client c = ctx.open("bindunun");
            int vm = c.vm();
            c.unmap(vm, VA, SZ_2M);
            c.map(vm, c.bo(SZ_4K), VA);
            c.unmap(vm, VA, SZ_4K);
            c.unmap(vm, VA, SZ_4K);
        }));
        out.add(new Case("panthor_vm@bind-sync-only", ctx -> {
            Client c = ctx.open("bindsync");
            int vm = c.vm();
            c.drm().vmBind(vm, 0, List.of(new DrmPanthorVmBindOp(SYNC_ONLY, 0, 0, 0, 0, DrmPanthorObjArray.EMPTY)));
            ctx.expectErrno(Errno.EINVAL, "SYNC_ONLY with a VA", () -> c.drm().vmBind(vm, 0,
                    List.of(new DrmPanthorVmBindOp(SYNC_ONLY, 0, 0, VA, SZ_4K, DrmPanthorObjArray.EMPTY))));
        }));
        out.add(new Case("panthor_vm@bind-sync-with-syncs", ctx -> {
            Client c = ctx.open("bindsyns");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            int s = c.syncobj();
            ctx.checkEq(Errno.EINVAL, c.bindWithSyncs(vm, 0, mapOp(bo, 0, VA, SZ_4K, 0), Client.signal(s)),
                    "synchronous VM_BIND with sync ops");
        }));
        out.add(new Case("panthor_vm@bind-failing-op-index", ctx -> {
            Client c = ctx.open("bindidx");
            int vm = c.vm();
            Client.Bo bo = c.bo(2 * SZ_4K);
            int[] r = c.bindRaw(vm, 0, List.of(mapOp(bo, 0, VA, SZ_4K, 0), mapOp(bo, 0, VA + 0x800, SZ_4K, 0),
                    mapOp(bo, SZ_4K, VA + SZ_4K, SZ_4K, 0)), DrmPanthorVmBindOp.SIZE);
            ctx.expectResult(Errno.EINVAL, "VM_BIND whose second op is misaligned", r[0]);
            ctx.checkEq(1, r[1], "ops.count after the failure (index of the failing op)");
            c.map(vm, bo, SZ_4K, VA + SZ_4K, SZ_4K, 0);
        }));
        out.add(new Case("panthor_vm@bind-op-stride-too-small", ctx -> {
            Client c = ctx.open("bindstr");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            int[] r = c.bindRaw(vm, 0, List.of(mapOp(bo, 0, VA, SZ_4K, 0)), 40);
            ctx.expectResult(Errno.EINVAL, "VM_BIND op stride 40 (< 48)", r[0]);
        }));
        out.add(new Case("panthor_vm@bind-partial-unmap-2m", ctx -> {
            Client c = ctx.open("bindpart");
            int vm = c.vm();
            long va = SZ_2M * 32;
            c.map(vm, c.bo(SZ_2M), va);
            c.unmap(vm, va + SZ_64K, SZ_4K);
            c.unmap(vm, va + SZ_64K, SZ_4K);
            c.map(vm, c.bo(SZ_4K), va + SZ_64K);
            c.unmap(vm, va, SZ_2M);
        }));
        out.add(new Case("panthor_vm@bind-remap", ctx -> {
            Client c = ctx.open("bindremap");
            int vm = c.vm();
            Client.Bo a = c.bo(16 * SZ_4K);
            Client.Bo b = c.bo(4 * SZ_4K);
            c.map(vm, a, VA);
            c.map(vm, b, 0, VA + 4 * SZ_4K, 4 * SZ_4K, 0);
            c.map(vm, a, 0, VA + 2 * SZ_4K, 4 * SZ_4K, READONLY);
            c.unmap(vm, VA, 16 * SZ_4K);
        }));
        out.add(new Case("panthor_vm@destroy-with-mappings", ctx -> {
            Client c = ctx.open("vmdmap");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_64K);
            long cpu = c.mmap(bo);
            c.map(vm, bo, VA);
            c.map(vm, bo, 0, VA + SZ_2M, SZ_64K, READONLY);
            c.drm().vmDestroy(vm);
            c.process().write64(cpu, 9);
            ctx.checkEq(9L, c.process().read64(cpu), "BO contents after its VM was destroyed");
            int again = c.vm();
            c.map(again, bo, VA);
        }));
        out.add(new Case("panthor_vm@bind-async-signal", ctx -> {
            Client c = ctx.open("bindasync");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_64K);
            int s = c.syncobj();
            ctx.checkEq(0, c.bindWithSyncs(vm, ASYNC, mapOp(bo, 0, VA, SZ_64K, 0), Client.signal(s)), "async MAP errno");
            c.awaitSignaled(s, "async MAP");
            int u = c.syncobj();
            ctx.checkEq(0, c.bindWithSyncs(vm, ASYNC, unmapOp(VA, SZ_64K), Client.signal(u)), "async UNMAP errno");
            c.awaitSignaled(u, "async UNMAP");
        }));
        out.add(new Case("panthor_vm@bind-async-waits", ctx -> {
            Client c = ctx.open("bindaswt");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            int gate = c.syncobj();
            int done = c.syncobj();
            // The waited-on syncobj gets its fence from an async SYNC_ONLY queued first.
            ctx.checkEq(0, c.bindWithSyncs(vm, ASYNC, new DrmPanthorVmBindOp(SYNC_ONLY, 0, 0, 0, 0,
                    DrmPanthorObjArray.EMPTY), Client.signal(gate)), "async SYNC_ONLY errno");
            ctx.checkEq(0, c.bindWithSyncs(vm, ASYNC, mapOp(bo, 0, VA, SZ_4K, 0), Client.await(gate), Client.signal(done)),
                    "async MAP waiting on the SYNC_ONLY");
            c.awaitSignaled(done, "async MAP after its wait");
            ctx.check(c.isSignaled(gate), "the waited-on SYNC_ONLY fence is not signaled");
        }));
        out.add(new Case("panthor_vm@bind-async-sync-only-in-order", ctx -> {
            Client c = ctx.open("bindasor");
            int vm = c.vm();
            int s1 = c.syncobj();
            int s2 = c.syncobj();
            Client.Bo bo = c.bo(SZ_2M);
            ctx.checkEq(0, c.bindWithSyncs(vm, ASYNC, mapOp(bo, 0, SZ_2M * 8, SZ_2M, 0), Client.signal(s1)), "async MAP");
            ctx.checkEq(0, c.bindWithSyncs(vm, ASYNC, new DrmPanthorVmBindOp(SYNC_ONLY, 0, 0, 0, 0,
                    DrmPanthorObjArray.EMPTY), Client.signal(s2)), "async SYNC_ONLY");
            c.awaitSignaled(s2, "SYNC_ONLY after a MAP");
            ctx.check(c.isSignaled(s1), "SYNC_ONLY signaled before the MAP queued ahead of it");
        }));
        out.add(new Case("panthor_vm@bind-async-rejects-bad-op", ctx -> {
            Client c = ctx.open("bindasbad");
            int vm = c.vm();
            Client.Bo bo = c.bo(SZ_4K);
            int s = c.syncobj();
            ctx.checkEq(Errno.EINVAL, c.bindWithSyncs(vm, ASYNC, mapOp(bo, 0, VA + 0x10, SZ_4K, 0), Client.signal(s)),
                    "async MAP at a misaligned VA");
            ctx.check(!c.isSignaled(s), "a rejected async bind signaled its syncobj");
            ctx.checkEq(PanthorIoctls.DRM_PANTHOR_VM_STATE_USABLE, c.drm().vmGetState(vm),
                    "VM state after a bind rejected at submission");
        }));
        out.add(new Case("panthor_vm@file-close-destroys-vms", ctx -> {
            Client a = ctx.open("vmclose");
            Client.Bo bo = a.bo(SZ_64K);
            int fd = a.drm().primeHandleToFd(bo.handle(), 0);
            Client b = ctx.open("vmclose2");
            int fdB = a.process().sendFd(fd, b.process());
            for (int i = 0; i < 4; i++) {
                a.map(a.vm(), bo, VA);
            }
            a.exit();
            int h = b.drm().primeFdToHandle(fdB);
            int vm = b.vm();
            b.map(vm, new Client.Bo(h, SZ_64K), VA);
        }));
    }
}
