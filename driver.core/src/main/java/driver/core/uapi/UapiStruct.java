package driver.core.uapi;

/** A UABI struct with a fixed C layout, encodable to its exact little-endian bytes. */
public interface UapiStruct {

    /** {@code sizeof} the C struct. */
    int structSize();

    /** Writes the struct's {@link #structSize()} bytes into {@code b} at offset {@code o}. */
    void encode(byte[] b, int o);

    /** The struct's bytes, as userspace would lay them out in memory. */
    default byte[] toBytes() {
        byte[] b = new byte[structSize()];
        encode(b, 0);
        return b;
    }
}
