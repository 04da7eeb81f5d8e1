package driver.core.internal.sysfs;

import driver.core.api.Sysfs;
import driver.core.api.SysfsAttribute;
import driver.core.api.SysfsEntry;
import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DOC: The sysfs tree.
 *
 * An in-memory kernfs: directory nodes holding named children (directories, attributes,
 * symbolic links). Structure changes and lookups take one lock; attribute callbacks run
 * outside it, so a {@code store} may take as long as it needs (resuming the GPU for
 * {@code power/control}, say) without blocking other readers.
 *
 * Resolution follows links in every component, at most {@value #MAX_LINK_DEPTH} deep
 * (deeper is ELOOP, as the VFS does). Errors are {@link ErrnoException}s with Linux's errno;
 * see {@link Sysfs} for which.
 */
public final class SysfsTree implements Sysfs {

    static final int MAX_LINK_DEPTH = 8;
    /** Linux errnos sysfs needs that the UABI does not (asm-generic/errno-base.h, errno.h). */
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int ELOOP = 40;

    private abstract static sealed class Node permits Dir, Attr, Link {
        Dir parent;
        String name;
    }

    private static final class Dir extends Node {
        final Map<String, Node> children = new TreeMap<>();
    }

    private static final class Attr extends Node {
        final SysfsAttribute attribute;

        Attr(SysfsAttribute attribute) {
            this.attribute = attribute;
        }
    }

    private static final class Link extends Node {
        final String target;

        Link(String target) {
            this.target = target;
        }
    }

    private final Object lock = new Object();
    private final Dir root = new Dir();

    public SysfsTree() {
        root.name = "";
    }

    // ------------------------------------------------------------------ reading

    @Override
    public List<SysfsEntry> list(String path) {
        synchronized (lock) {
            Node n = resolve(path, true);
            if (!(n instanceof Dir d)) {
                throw new ErrnoException(ENOTDIR, normalize(path));
            }
            List<SysfsEntry> out = new ArrayList<>();
            for (Node c : d.children.values()) {
                out.add(entry(c));
            }
            return out;
        }
    }

    @Override
    public String read(String path) {
        SysfsAttribute attr = attribute(path);
        if ((attr.mode() & 0444) == 0) {
            throw new ErrnoException(Errno.EACCES, normalize(path));
        }
        return attr.show();
    }

    @Override
    public void write(String path, String value) {
        SysfsAttribute attr = attribute(path);
        if ((attr.mode() & 0222) == 0) {
            throw new ErrnoException(Errno.EACCES, normalize(path));
        }
        attr.store(value);
    }

    @Override
    public boolean exists(String path) {
        synchronized (lock) {
            try {
                resolve(path, true);
                return true;
            } catch (ErrnoException e) {
                return false;
            }
        }
    }

    private SysfsAttribute attribute(String path) {
        synchronized (lock) {
            Node n = resolve(path, true);
            if (n instanceof Dir) {
                throw new ErrnoException(EISDIR, normalize(path));
            }
            return ((Attr) n).attribute;
        }
    }

    private static SysfsEntry entry(Node c) {
        if (c instanceof Dir) {
            return new SysfsEntry(c.name, SysfsEntry.Kind.DIRECTORY, 0755, null);
        }
        if (c instanceof Link l) {
            return new SysfsEntry(c.name, SysfsEntry.Kind.LINK, 0777, l.target);
        }
        return new SysfsEntry(c.name, SysfsEntry.Kind.ATTRIBUTE, ((Attr) c).attribute.mode(), null);
    }

    // ------------------------------------------------------------------ building

    @Override
    public Registration createDirectory(String path) {
        String abs = normalize(path);
        synchronized (lock) {
            List<String> parts = split(abs);
            if (parts.isEmpty()) {
                throw new ErrnoException(Errno.EEXIST, abs);
            }
            Dir d = root;
            for (int i = 0; i < parts.size() - 1; i++) {
                Node c = d.children.get(parts.get(i));
                if (c == null) {
                    Dir nd = new Dir();
                    attach(d, parts.get(i), nd);
                    d = nd;
                } else {
                    Node r = follow(c, 0);
                    if (!(r instanceof Dir rd)) {
                        throw new ErrnoException(ENOTDIR, abs);
                    }
                    d = rd;
                }
            }
            String last = parts.get(parts.size() - 1);
            if (d.children.containsKey(last)) {
                throw new ErrnoException(Errno.EEXIST, abs);
            }
            Dir nd = new Dir();
            attach(d, last, nd);
            return registration(abs, nd);
        }
    }

    @Override
    public Registration createAttribute(String dir, String name, SysfsAttribute attribute) {
        checkName(name);
        synchronized (lock) {
            Node n = resolve(dir, true);
            if (!(n instanceof Dir d)) {
                throw new ErrnoException(ENOTDIR, normalize(dir));
            }
            if (d.children.containsKey(name)) {
                throw new ErrnoException(Errno.EEXIST, normalize(dir) + "/" + name);
            }
            Attr a = new Attr(attribute);
            attach(d, name, a);
            return registration(pathOf(a), a);
        }
    }

    @Override
    public Registration createLink(String path, String target) {
        String abs = normalize(path);
        String to = normalize(target);
        synchronized (lock) {
            List<String> parts = split(abs);
            if (parts.isEmpty()) {
                throw new ErrnoException(Errno.EEXIST, abs);
            }
            Node parent = resolveParts(parts.subList(0, parts.size() - 1), 0, abs);
            if (!(parent instanceof Dir d)) {
                throw new ErrnoException(ENOTDIR, abs);
            }
            String last = parts.get(parts.size() - 1);
            if (d.children.containsKey(last)) {
                throw new ErrnoException(Errno.EEXIST, abs);
            }
            Link l = new Link(to);
            attach(d, last, l);
            return registration(abs, l);
        }
    }

    private static void attach(Dir parent, String name, Node child) {
        child.parent = parent;
        child.name = name;
        parent.children.put(name, child);
    }

    private Registration registration(String abs, Node node) {
        return new Registration() {
            private boolean closed;

            @Override
            public String path() {
                return abs;
            }

            @Override
            public void close() {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (node.parent != null && node.parent.children.get(node.name) == node) {
                        node.parent.children.remove(node.name);
                    }
                }
            }
        };
    }

    // ------------------------------------------------------------------ paths

    /** An absolute path without repeated or trailing slashes; relative paths are under /sys. */
    public static String normalize(String path) {
        if (path == null) {
            throw new ErrnoException(Errno.ENOENT, "null path");
        }
        String p = path.trim();
        if (!p.startsWith("/")) {
            p = ROOT + "/" + p;
        }
        StringBuilder sb = new StringBuilder();
        for (String part : p.split("/")) {
            if (!part.isEmpty()) {
                sb.append('/').append(part);
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private static List<String> split(String abs) {
        List<String> parts = new ArrayList<>();
        for (String s : abs.split("/")) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        return parts;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/")) {
            throw new ErrnoException(Errno.EINVAL, "bad sysfs name '" + name + "'");
        }
    }

    private Node resolve(String path, boolean followLast) {
        String abs = normalize(path);
        Node n = resolveParts(split(abs), 0, abs);
        return followLast ? follow(n, 0) : n;
    }

    private Node resolveParts(List<String> parts, int depth, String abs) {
        Node n = root;
        for (String part : parts) {
            Node d = follow(n, depth);
            if (!(d instanceof Dir dir)) {
                throw new ErrnoException(ENOTDIR, abs);
            }
            n = dir.children.get(part);
            if (n == null) {
                throw new ErrnoException(Errno.ENOENT, abs);
            }
        }
        return n;
    }

    private Node follow(Node n, int depth) {
        while (n instanceof Link l) {
            if (++depth > MAX_LINK_DEPTH) {
                throw new ErrnoException(ELOOP, l.target);
            }
            n = resolveParts(split(l.target), depth, l.target);
        }
        return n;
    }

    private static String pathOf(Node n) {
        StringBuilder sb = new StringBuilder();
        for (Node x = n; x != null && x.parent != null; x = x.parent) {
            sb.insert(0, "/" + x.name);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
