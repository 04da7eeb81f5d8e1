package driver.core.uapi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian scalar access to byte arrays, the byte order of every UABI struct (arm64). */
public final class Le {
    private Le() {}

    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public static int u8(byte[] b, int o) {
        return b[o] & 0xff;
    }

    public static int u16(byte[] b, int o) {
        return ((short) I16.get(b, o)) & 0xffff;
    }

    public static int u32(byte[] b, int o) {
        return (int) I32.get(b, o);
    }

    public static long u64(byte[] b, int o) {
        return (long) I64.get(b, o);
    }

    public static void put8(byte[] b, int o, int v) {
        b[o] = (byte) v;
    }

    public static void put16(byte[] b, int o, int v) {
        I16.set(b, o, (short) v);
    }

    public static void put32(byte[] b, int o, int v) {
        I32.set(b, o, v);
    }

    public static void put64(byte[] b, int o, long v) {
        I64.set(b, o, v);
    }
}
