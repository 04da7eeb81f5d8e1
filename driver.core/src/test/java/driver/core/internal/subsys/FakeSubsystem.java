package driver.core.internal.subsys;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A stand-in subsystem for the shell-command tests: a dynamic proxy of the contract whose
 * impl is "fake", which adopts whatever state it is given, answers the named methods, and
 * returns 0, false or null from every other one.
 */
final class FakeSubsystem {

    /** One method's answer, from its arguments. */
    @FunctionalInterface
    interface Answer {
        Object answer(Object[] args);
    }

    private FakeSubsystem() {
    }

    static <T> T of(Class<T> contract, String description, Map<String, Answer> answers) {
        Object[] state = {null};
        return contract.cast(Proxy.newProxyInstance(contract.getClassLoader(), new Class<?>[] {contract},
                (proxy, m, args) -> switch (m.getName()) {
                    case "impl" -> "fake";
                    case "exportState" -> state[0];
                    case "importState" -> {
                        state[0] = args[0];
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> description;
                    default -> answers.containsKey(m.getName()) ? answers.get(m.getName()).answer(args)
                            : m.getReturnType() == int.class ? 0
                            : m.getReturnType() == boolean.class ? false : null;
                }));
    }
}
