package conformance.internal.cases;

import static conformance.internal.Client.queue;

import conformance.internal.Case;
import conformance.internal.Client;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupDestroy;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.Errno;
import driver.core.uapi.PanthorIoctls;
import driver.core.user.Credentials;
import java.util.ArrayList;
import java.util.List;

/** GROUP_CREATE/DESTROY/GET_STATE: every validation, priorities and their permission, 128 groups per file. */
public final class GroupCases {

    private static final int HIGH = PanthorIoctls.PANTHOR_GROUP_PRIORITY_HIGH;
    private static final int REALTIME = PanthorIoctls.PANTHOR_GROUP_PRIORITY_REALTIME;

    private GroupCases() {
    }

    private static List<DrmPanthorQueueCreate> oneQueue(int ringSize) {
        return List.of(queue(1, ringSize));
    }

    public static void register(List<Case> out) {
        out.add(new Case("panthor_group@create-destroy", ctx -> {
            Client c = ctx.open("grcreate");
            int vm = c.vm();
            int g = c.group(vm, 3);
            ctx.check(g >= 1, "group handle %d (handles start at 1)", g);
            ctx.checkEq(1, ctx.info(c).groups(), "groups listed");
            ctx.checkEq(0, c.groupState(g), "state of a new group");
            c.drm().groupDestroy(g);
            ctx.checkEq(0, ctx.info(c).groups(), "groups after destroy");
            ctx.expectErrno(Errno.EINVAL, "second GROUP_DESTROY", () -> c.drm().groupDestroy(g));
        }));
        out.add(new Case("panthor_group@create-no-queues", ctx -> {
            Client c = ctx.open("grnoq");
            int vm = c.vm();
            ctx.expectErrno(Errno.EINVAL, "GROUP_CREATE with 0 queues", () -> c.drm().groupCreate(c.groupArgs(vm), List.of()));
        }));
        out.add(new Case("panthor_group@create-too-many-queues", ctx -> {
            Client c = ctx.open("grmanyq");
            int vm = c.vm();
            List<DrmPanthorQueueCreate> queues = new ArrayList<>();
            for (int i = 0; i < 33; i++) {
                queues.add(queue(1, 4096));
            }
            ctx.expectErrno(Errno.EINVAL, "GROUP_CREATE with 33 queues (MAX_CS_PER_CSG is 32)",
                    () -> c.drm().groupCreate(c.groupArgs(vm), queues));
            ctx.checkEq(0, ctx.info(c).groups(), "groups after the rejected create");
        }));
        out.add(new Case("panthor_group@create-ring-size", ctx -> {
            Client c = ctx.open("grring");
            int vm = c.vm();
            DrmPanthorGroupCreate args = c.groupArgs(vm);
            for (int bad : new int[] {2048, 6000, 128 * 1024, 0}) {
                ctx.expectErrno(Errno.EINVAL, "ring of " + bad + " bytes", () -> c.drm().groupCreate(args, oneQueue(bad)));
            }
            c.drm().groupCreate(args, oneQueue(4096));
            c.drm().groupCreate(args, oneQueue(64 * 1024));
            ctx.checkEq(2, ctx.info(c).groups(), "groups after the valid creates");
        }));
        out.add(new Case("panthor_group@create-queue-priority", ctx -> {
            Client c = ctx.open("grqprio");
            int vm = c.vm();
            ctx.expectErrno(Errno.EINVAL, "queue priority 16",
                    () -> c.drm().groupCreate(c.groupArgs(vm), List.of(queue(16, 4096))));
            c.drm().groupCreate(c.groupArgs(vm), List.of(queue(15, 4096), queue(0, 4096)));
        }));
        out.add(new Case("panthor_group@create-priority-out-of-range", ctx -> {
            Client c = ctx.open("grprio");
            int vm = c.vm();
            ctx.expectErrno(Errno.EINVAL, "group priority 4",
                    () -> c.drm().groupCreate(c.groupArgs(vm).withPriority(4), oneQueue(4096)));
        }));
        out.add(new Case("panthor_group@create-high-needs-privilege", ctx -> {
            Client c = ctx.open("grhigh");
            int vm = c.vm();
            ctx.expectErrno(Errno.EACCES, "HIGH priority without CAP_SYS_NICE",
                    () -> c.drm().groupCreate(c.groupArgs(vm).withPriority(HIGH), oneQueue(4096)));
            ctx.expectErrno(Errno.EACCES, "REALTIME priority without CAP_SYS_NICE",
                    () -> c.drm().groupCreate(c.groupArgs(vm).withPriority(REALTIME), oneQueue(4096)));
            c.drm().groupCreate(c.groupArgs(vm).withPriority(PanthorIoctls.PANTHOR_GROUP_PRIORITY_LOW), oneQueue(4096));
        }));
        out.add(new Case("panthor_group@create-realtime-with-cap-sys-nice", ctx -> {
            Client c = ctx.open("grrt", Credentials.niceUser());
            int vm = c.vm();
            c.drm().groupCreate(c.groupArgs(vm).withPriority(HIGH), oneQueue(4096));
            c.drm().groupCreate(c.groupArgs(vm).withPriority(REALTIME), oneQueue(4096));
        }));
        out.add(new Case("panthor_group@create-core-masks", ctx -> {
            Client c = ctx.open("grmask");
            int vm = c.vm();
            long shaders = c.gpuInfo().shaderPresent();
            long outside = Long.lowestOneBit(~shaders);
            DrmPanthorGroupCreate args = c.groupArgs(vm);
            ctx.expectErrno(Errno.EINVAL, "compute mask with an absent core",
                    () -> c.drm().groupCreate(args.withComputeCoreMask(shaders | outside), oneQueue(4096)));
            ctx.expectErrno(Errno.EINVAL, "fragment mask with an absent core",
                    () -> c.drm().groupCreate(args.withFragmentCoreMask(outside), oneQueue(4096)));
            ctx.expectErrno(Errno.EINVAL, "tiler mask with an absent tiler",
                    () -> c.drm().groupCreate(args.withTilerCoreMask(c.gpuInfo().tilerPresent() << 1), oneQueue(4096)));
            ctx.expectErrno(Errno.EINVAL, "max_compute_cores above the mask's popcount",
                    () -> c.drm().groupCreate(args.withMaxComputeCores(Long.bitCount(shaders) + 1), oneQueue(4096)));
            ctx.expectErrno(Errno.EINVAL, "max_tiler_cores above the mask's popcount",
                    () -> c.drm().groupCreate(args.withMaxTilerCores(2), oneQueue(4096)));
            c.drm().groupCreate(args.withComputeCoreMask(Long.lowestOneBit(shaders)).withMaxComputeCores(1), oneQueue(4096));
        }));
        out.add(new Case("panthor_group@create-unknown-vm", ctx -> {
            Client c = ctx.open("grvm");
            c.vm();
            ctx.expectErrno(Errno.EINVAL, "group on VM 17", () -> c.drm().groupCreate(c.groupArgs(17), oneQueue(4096)));
        }));
        out.add(new Case("panthor_group@create-nonzero-pad", ctx -> {
            Client c = ctx.open("grpad");
            int vm = c.vm();
            ctx.expectErrno(Errno.EINVAL, "GROUP_CREATE with pad 1",
                    () -> c.drm().groupCreate(c.groupArgs(vm).withPad(1), oneQueue(4096)));
            ctx.expectErrno(Errno.EINVAL, "queue_create with a non-zero pad",
                    () -> c.drm().groupCreate(c.groupArgs(vm), List.of(new DrmPanthorQueueCreate(1, 1, 0, 0, 4096))));
        }));
        out.add(new Case("panthor_group@create-max-per-file", ctx -> {
            Client c = ctx.open("grmax");
            int vm = c.vm();
            List<Integer> handles = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                handles.add(c.drm().groupCreate(c.groupArgs(vm), oneQueue(4096)));
            }
            ctx.expectErrno(Errno.EBUSY, "129th group of a file", () -> c.drm().groupCreate(c.groupArgs(vm), oneQueue(4096)));
            c.drm().groupDestroy(handles.get(10));
            ctx.checkEq(handles.get(10), c.drm().groupCreate(c.groupArgs(vm), oneQueue(4096)), "handle reused after a destroy");
        }));
        out.add(new Case("panthor_group@destroy-unknown", ctx -> {
            Client c = ctx.open("grdunk");
            ctx.expectErrno(Errno.EINVAL, "GROUP_DESTROY of group 5", () -> c.drm().groupDestroy(5));
            ctx.expectResult(Errno.EINVAL, "GROUP_DESTROY with pad 1", c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_DESTROY,
                    new DrmPanthorGroupDestroy(1, 1).toBytes(), null));
        }));
        out.add(new Case("panthor_group@get-state-unknown", ctx -> {
            Client c = ctx.open("grsunk");
            ctx.expectErrno(Errno.EINVAL, "GROUP_GET_STATE of group 5", () -> c.drm().groupGetState(5));
            int g = c.group(c.vm());
            ctx.expectResult(Errno.EINVAL, "GROUP_GET_STATE with pad 1", c.raw(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE,
                    new DrmPanthorGroupGetState(g, 0, 0, 1).toBytes(), null));
        }));
        out.add(new Case("panthor_group@groups-are-per-file", ctx -> {
            Client a = ctx.open("grfilea");
            Client b = ctx.open("grfileb");
            int g = a.group(a.vm());
            b.vm();
            ctx.expectErrno(Errno.EINVAL, "GROUP_GET_STATE of another file's group", () -> b.drm().groupGetState(g));
        }));
        out.add(new Case("panthor_group@exit-destroys-groups", ctx -> {
            Client a = ctx.open("grexit");
            int vm = a.vm();
            for (int i = 0; i < 8; i++) {
                a.group(vm, 2);
            }
            a.exit();
            Client b = ctx.open("grexit2");
            b.group(b.vm());
        }));
    }
}
