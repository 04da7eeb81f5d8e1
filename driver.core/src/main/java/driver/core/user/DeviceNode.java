package driver.core.user;

import driver.core.uapi.ErrnoException;

/** A device node in the simulated {@code /dev}: opening it creates a file. */
@FunctionalInterface
public interface DeviceNode {

    /**
     * {@code open()} of the node by {@code opener}.
     *
     * @throws ErrnoException the errno {@code open()} returns
     */
    FileOps open(UserProcess opener, int flags);
}
