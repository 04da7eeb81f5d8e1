package driver.core.internal.drm;

import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import driver.core.user.UserMemory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * DOC: user &lt;-&gt; kernel object copy helpers.
 *
 * The extensibility rules of the panthor UABI, as {@code panthor_drv.c} and
 * {@code copy_struct_from_user()} implement them:
 *
 *  - {@link #setUobj}: a kernel object is written to a user buffer of {@code usize} bytes:
 *    EINVAL if {@code usize} is below the object's minimum size, then {@code min(usize, ksize)}
 *    bytes are copied and any excess of the user buffer is zero-filled (EFAULT on a fault).
 *  - {@link #copyStructFromUser}: a user object of {@code usize} bytes is read into a kernel
 *    object of {@code ksize}: zero-extended if shorter; if longer, the extra bytes must be zero
 *    (E2BIG otherwise). EFAULT on a fault.
 *  - {@link #getArray}: a {@code drm_panthor_obj_array}: an empty array for count 0 (whatever
 *    the stride and pointer), EINVAL for a stride below the element's minimum size, then one
 *    bulk copy when the stride equals the kernel size, else {@link #copyStructFromUser} per
 *    element.
 */
public final class UabiCopy {
    private UabiCopy() {}

    /** Largest kernel array buffer accepted before {@code kvmalloc_array} would fail. */
    static final long MAX_ARRAY_BYTES = 64L << 20;

    /** Decodes one element from kernel bytes. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(byte[] b, int offset);
    }

    /** {@code panthor_set_uobj()}: 0 or a negative errno. */
    public static int setUobj(UserMemory mem, long uptr, int usize, int minSize, byte[] kobj) {
        long usr = Integer.toUnsignedLong(usize);
        if (usr < minSize) {
            return -Errno.EINVAL;
        }
        int copy = (int) Math.min(usr, kobj.length);
        if (!mem.copyToUser(uptr, kobj, 0, copy)) {
            return -Errno.EFAULT;
        }
        if (usr > kobj.length && !mem.clearUser(uptr + kobj.length, usr - kobj.length)) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    /** {@code copy_struct_from_user(dst, ksize, src, usize)}; throws EFAULT or E2BIG. */
    public static byte[] copyStructFromUser(UserMemory mem, int ksize, long uptr, long usize) {
        byte[] k = new byte[ksize];
        copyStructFromUser(mem, k, 0, ksize, uptr, usize);
        return k;
    }

    static void copyStructFromUser(UserMemory mem, byte[] k, int off, int ksize, long uptr, long usize) {
        int copy = (int) Math.min(ksize, usize);
        if (usize > ksize) {
            long rest = usize - ksize;
            byte[] tail = new byte[(int) Math.min(rest, 4096)];
            long done = 0;
            while (done < rest) {
                int n = (int) Math.min(rest - done, tail.length);
                if (!mem.copyFromUser(uptr + ksize + done, tail, 0, n)) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                for (int i = 0; i < n; i++) {
                    if (tail[i] != 0) {
                        throw new ErrnoException(Errno.E2BIG, "non-zero bytes past the known struct");
                    }
                }
                done += n;
            }
        }
        if (!mem.copyFromUser(uptr, k, off, copy)) {
            throw new ErrnoException(Errno.EFAULT);
        }
    }

    /** {@code PANTHOR_UOBJ_GET_ARRAY()}: the decoded elements; throws EINVAL, EFAULT, E2BIG, ENOMEM. */
    public static <T> List<T> getArray(UserMemory mem, DrmPanthorObjArray in, int minStride, int objSize, Decoder<T> decoder) {
        if (in.count() == 0) {
            return Collections.emptyList();
        }
        long count = Integer.toUnsignedLong(in.count());
        long stride = Integer.toUnsignedLong(in.stride());
        if (stride < minStride) {
            throw new ErrnoException(Errno.EINVAL, "stride " + stride + " below minimum " + minStride);
        }
        if (count * objSize > MAX_ARRAY_BYTES) {
            throw new ErrnoException(Errno.ENOMEM, "array of " + count + " objects");
        }
        byte[] k = new byte[(int) (count * objSize)];
        if (stride == objSize) {
            if (!mem.copyFromUser(in.array(), k, 0, k.length)) {
                throw new ErrnoException(Errno.EFAULT);
            }
        } else {
            for (int i = 0; i < count; i++) {
                copyStructFromUser(mem, k, i * objSize, objSize, in.array() + i * stride, stride);
            }
        }
        List<T> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            out.add(decoder.decode(k, i * objSize));
        }
        return out;
    }

    /** Copies an array of {@code count} u32 from user space; EFAULT. */
    public static int[] copyU32Array(UserMemory mem, long uptr, int count) {
        long bytes = Integer.toUnsignedLong(count) * 4;
        if (bytes > MAX_ARRAY_BYTES) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        byte[] b = new byte[(int) bytes];
        if (!mem.copyFromUser(uptr, b, 0, b.length)) {
            throw new ErrnoException(Errno.EFAULT);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = driver.core.uapi.Le.u32(b, i * 4);
        }
        return out;
    }

    /** Copies an array of {@code count} u64 from user space; EFAULT. */
    public static long[] copyU64Array(UserMemory mem, long uptr, int count) {
        long bytes = Integer.toUnsignedLong(count) * 8;
        if (bytes > MAX_ARRAY_BYTES) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        byte[] b = new byte[(int) bytes];
        if (!mem.copyFromUser(uptr, b, 0, b.length)) {
            throw new ErrnoException(Errno.EFAULT);
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = driver.core.uapi.Le.u64(b, i * 8);
        }
        return out;
    }
}
