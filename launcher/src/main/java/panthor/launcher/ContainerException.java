package panthor.launcher;

/** The container could not be started or driven; the message says why. */
final class ContainerException extends RuntimeException {
    ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
