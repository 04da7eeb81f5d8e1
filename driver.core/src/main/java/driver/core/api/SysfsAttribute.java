package driver.core.api;

import driver.core.uapi.Errno;
import driver.core.uapi.ErrnoException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sysfs attribute ({@code struct device_attribute}): its mode and its {@code show} /
 * {@code store} callbacks. Callbacks report errors by throwing
 * {@link ErrnoException} with the errno the write (or read) syscall returns.
 */
@ConsumerType
public interface SysfsAttribute {

    int MODE_RW = 0644;
    int MODE_RO = 0444;
    int MODE_WO = 0200;

    /** Permission bits: 0644 read/write, 0444 read-only, 0200 write-only. */
    int mode();

    /** The attribute's text, newline-terminated as Linux prints it. */
    String show();

    /**
     * Takes a written value (possibly with a trailing newline).
     *
     * @throws ErrnoException EINVAL for a value the attribute rejects; EACCES by default
     */
    default void store(String value) {
        throw new ErrnoException(Errno.EACCES);
    }

    /** A 0444 attribute showing {@code show.get()}. */
    static SysfsAttribute readOnly(Supplier<String> show) {
        return new SysfsAttribute() {
            @Override
            public int mode() {
                return MODE_RO;
            }

            @Override
            public String show() {
                return show.get();
            }
        };
    }

    /** A 0644 attribute. */
    static SysfsAttribute readWrite(Supplier<String> show, Consumer<String> store) {
        return new SysfsAttribute() {
            @Override
            public int mode() {
                return MODE_RW;
            }

            @Override
            public String show() {
                return show.get();
            }

            @Override
            public void store(String value) {
                store.accept(value);
            }
        };
    }

    /**
     * The value as {@code sysfs_streq()} compares it: one trailing newline removed.
     */
    static String stripNewline(String value) {
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }
}
