package driver.core.internal.drm;

import driver.core.uapi.DrmGemClose;
import driver.core.uapi.DrmGetCap;
import driver.core.uapi.DrmIoctls;
import driver.core.uapi.DrmPanthorBoCreate;
import driver.core.uapi.DrmPanthorBoMmapOffset;
import driver.core.uapi.DrmPanthorBoQueryInfo;
import driver.core.uapi.DrmPanthorBoSetLabel;
import driver.core.uapi.DrmPanthorBoSync;
import driver.core.uapi.DrmPanthorDevQuery;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupDestroy;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorGroupSubmit;
import driver.core.uapi.DrmPanthorSetUserMmioOffset;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import driver.core.uapi.DrmPanthorTilerHeapDestroy;
import driver.core.uapi.DrmPanthorVmBind;
import driver.core.uapi.DrmPanthorVmCreate;
import driver.core.uapi.DrmPanthorVmDestroy;
import driver.core.uapi.DrmPanthorVmGetState;
import driver.core.uapi.DrmPrimeHandle;
import driver.core.uapi.DrmSyncobjArray;
import driver.core.uapi.DrmSyncobjCreate;
import driver.core.uapi.DrmSyncobjDestroy;
import driver.core.uapi.DrmSyncobjHandle;
import driver.core.uapi.DrmSyncobjTimelineArray;
import driver.core.uapi.DrmSyncobjTimelineWait;
import driver.core.uapi.DrmSyncobjTransfer;
import driver.core.uapi.DrmSyncobjWait;
import driver.core.uapi.DrmVersion;
import driver.core.uapi.Ioc;
import driver.core.uapi.PanthorIoctls;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DOC: Struct bytes as the shell shows them.
 *
 * The request names of {@code drm.h} and {@code panthor_drm.h} ({@code DRM_IOCTL_*} constants
 * of {@link DrmIoctls} and {@link PanthorIoctls}) with the record of their argument struct, and
 * two renderings of a struct's bytes: a field table (offset, C field name, the field's bytes
 * as they lie in memory, value) derived from the record's components and {@code OFFSET_*}
 * constants, and a classic 16-bytes-per-line hex dump.
 */
final class UapiDump {

    private UapiDump() {}

    /** A named request and the record class of its argument (null if it has none here). */
    record Request(String name, int number, Class<? extends Record> struct) {
    }

    private static final Map<String, Request> REQUESTS;

    static {
        Map<Integer, Class<? extends Record>> structs = new LinkedHashMap<>();
        structs.put(DrmIoctls.DRM_IOCTL_VERSION, DrmVersion.class);
        structs.put(DrmIoctls.DRM_IOCTL_GEM_CLOSE, DrmGemClose.class);
        structs.put(DrmIoctls.DRM_IOCTL_GET_CAP, DrmGetCap.class);
        structs.put(DrmIoctls.DRM_IOCTL_PRIME_HANDLE_TO_FD, DrmPrimeHandle.class);
        structs.put(DrmIoctls.DRM_IOCTL_PRIME_FD_TO_HANDLE, DrmPrimeHandle.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_CREATE, DrmSyncobjCreate.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_DESTROY, DrmSyncobjDestroy.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, DrmSyncobjHandle.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, DrmSyncobjHandle.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_WAIT, DrmSyncobjWait.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_RESET, DrmSyncobjArray.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_SIGNAL, DrmSyncobjArray.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, DrmSyncobjTimelineWait.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_QUERY, DrmSyncobjTimelineArray.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_TRANSFER, DrmSyncobjTransfer.class);
        structs.put(DrmIoctls.DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, DrmSyncobjTimelineArray.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_DEV_QUERY, DrmPanthorDevQuery.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_CREATE, DrmPanthorVmCreate.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_DESTROY, DrmPanthorVmDestroy.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_BIND, DrmPanthorVmBind.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_VM_GET_STATE, DrmPanthorVmGetState.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_CREATE, DrmPanthorBoCreate.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, DrmPanthorBoMmapOffset.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_CREATE, DrmPanthorGroupCreate.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_DESTROY, DrmPanthorGroupDestroy.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_SUBMIT, DrmPanthorGroupSubmit.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_GROUP_GET_STATE, DrmPanthorGroupGetState.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, DrmPanthorTilerHeapCreate.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, DrmPanthorTilerHeapDestroy.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SET_LABEL, DrmPanthorBoSetLabel.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, DrmPanthorSetUserMmioOffset.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_SYNC, DrmPanthorBoSync.class);
        structs.put(PanthorIoctls.DRM_IOCTL_PANTHOR_BO_QUERY_INFO, DrmPanthorBoQueryInfo.class);
        Map<String, Request> byName = new LinkedHashMap<>();
        for (Class<?> holder : List.of(DrmIoctls.class, PanthorIoctls.class)) {
            for (Field f : holder.getFields()) {
                if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("DRM_IOCTL_")) {
                    try {
                        int number = f.getInt(null);
                        byName.put(f.getName(), new Request(f.getName(), number, structs.get(number)));
                    } catch (IllegalAccessException e) {
                        throw new ExceptionInInitializerError(e);
                    }
                }
            }
        }
        REQUESTS = Collections.unmodifiableMap(byName);
    }

    /** Every named request, drm.h first. */
    static Map<String, Request> requests() {
        return REQUESTS;
    }

    /**
     * Looks a request up by name ({@code DRM_IOCTL_PANTHOR_BO_CREATE}, {@code PANTHOR_BO_CREATE}
     * or {@code BO_CREATE}, any case) or by number ({@code 0xc0186445}); null if unknown.
     */
    static Request request(String spec) {
        String s = spec.trim();
        if (s.toLowerCase(Locale.ROOT).startsWith("0x")) {
            try {
                int number = (int) Long.parseLong(s.substring(2), 16);
                for (Request r : REQUESTS.values()) {
                    if (r.number() == number) {
                        return r;
                    }
                }
                return new Request(String.format("0x%08x", number), number, null);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String up = s.toUpperCase(Locale.ROOT).replace('-', '_');
        for (String candidate : List.of(up, "DRM_IOCTL_" + up, "DRM_IOCTL_PANTHOR_" + up)) {
            Request r = REQUESTS.get(candidate);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** {@code _IOC} decoded: "IOWR 'd' nr 0x45 size 24". */
    static String describe(int request) {
        String dir = switch (Ioc.dir(request)) {
            case Ioc.NONE -> "IO";
            case Ioc.WRITE -> "IOW";
            case Ioc.READ -> "IOR";
            default -> "IOWR";
        };
        int type = Ioc.type(request);
        String t = type >= 0x20 && type < 0x7f ? "'" + (char) type + "'" : String.format("0x%02x", type);
        return String.format("0x%08x = %s(%s, 0x%02x, %d)", request, dir, t, Ioc.nr(request), Ioc.size(request));
    }

    /** One field of a struct: C name, offset and width in bytes. */
    record FieldLayout(String name, int offset, int width) {
    }

    /** The fields of a record struct, from its components and {@code OFFSET_*} constants; empty if not derivable. */
    static List<FieldLayout> layout(Class<? extends Record> struct, int size) {
        List<FieldLayout> out = new ArrayList<>();
        RecordComponent[] components = struct.getRecordComponents();
        int[] offsets = new int[components.length];
        for (int i = 0; i < components.length; i++) {
            String c = snake(components[i].getName());
            try {
                offsets[i] = struct.getField("OFFSET_" + c.toUpperCase(Locale.ROOT)).getInt(null);
            } catch (ReflectiveOperationException e) {
                return List.of();
            }
        }
        for (int i = 0; i < components.length; i++) {
            int end = i + 1 < components.length ? offsets[i + 1] : size;
            int natural = components[i].getType() == long.class ? 8 : components[i].getType() == int.class ? 4 : 0;
            int width = natural == 0 ? end - offsets[i] : Math.min(natural, Math.max(1, end - offsets[i]));
            out.add(new FieldLayout(snake(components[i].getName()), offsets[i], width));
        }
        return out;
    }

    static int structSize(Class<? extends Record> struct) {
        try {
            return struct.getField("SIZE").getInt(null);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    /** {@code gpuId} to {@code gpu_id}, {@code textureFeatures0} to {@code texture_features0}. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * The field table of {@code bytes} laid out as {@code struct}: offset, field, the bytes in
     * memory order, the little-endian value in hex and decimal. Bytes past the struct are listed
     * as a tail.
     */
    static String fields(Class<? extends Record> struct, byte[] bytes) {
        int size = structSize(struct);
        List<FieldLayout> layout = size < 0 ? List.of() : layout(struct, size);
        if (layout.isEmpty()) {
            return hex(bytes);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  %-6s %-28s %-24s %s%n", "OFFSET", "FIELD", "BYTES", "VALUE"));
        for (FieldLayout f : layout) {
            if (f.offset() >= bytes.length) {
                sb.append(String.format("  0x%04x %-28s %-24s %s%n", f.offset(), f.name(), "", "(beyond the buffer)"));
                continue;
            }
            int w = Math.min(f.width(), bytes.length - f.offset());
            StringBuilder raw = new StringBuilder();
            long value = 0;
            for (int i = 0; i < w; i++) {
                int b = bytes[f.offset() + i] & 0xff;
                raw.append(String.format("%02x ", b));
                if (i < 8) {
                    value |= (long) b << (8 * i);
                }
            }
            String v = w <= 8 ? String.format("0x%0" + (2 * w) + "x (%s)", value, w == 8 ? Long.toUnsignedString(value)
                    : Long.toString(value)) : "";
            sb.append(String.format("  0x%04x %-28s %-24s %s%n", f.offset(), f.name(), raw.toString().strip(), v));
        }
        if (bytes.length > size) {
            sb.append(String.format("  tail past sizeof (%d bytes):%n", size));
            byte[] tail = new byte[bytes.length - size];
            System.arraycopy(bytes, size, tail, 0, tail.length);
            sb.append(hex(tail, size));
        }
        return sb.toString();
    }

    /** A hex dump, 16 bytes per line, offsets from 0. */
    static String hex(byte[] bytes) {
        return hex(bytes, 0);
    }

    private static String hex(byte[] bytes, int base) {
        StringBuilder sb = new StringBuilder();
        for (int line = 0; line < bytes.length; line += 16) {
            sb.append(String.format("  %04x: ", base + line));
            for (int i = 0; i < 16; i++) {
                if (line + i < bytes.length) {
                    sb.append(String.format("%02x", bytes[line + i] & 0xff));
                } else {
                    sb.append("  ");
                }
                sb.append(i == 7 ? "  " : " ");
            }
            sb.setLength(sb.length() - 1);
            while (sb.charAt(sb.length() - 1) == ' ') {
                sb.setLength(sb.length() - 1);
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** Parses hex bytes: pairs of hex digits, optionally separated by ':', '.', '_', '-', ',' or spaces. */
    static byte[] parseHex(String text) {
        String digits = text.strip();
        if (digits.toLowerCase(Locale.ROOT).startsWith("0x")) {
            digits = digits.substring(2);
        }
        digits = digits.replaceAll("[\\s:._,-]", "");
        if (digits.isEmpty() || digits.length() % 2 != 0 || !digits.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("not hex bytes: '" + text
                    + "' (give pairs of hex digits in memory order, e.g. 00100000000000000000000000000000...)");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
