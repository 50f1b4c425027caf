package dev.warden.bootstrap.langchain4j;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How the {@code @Tool} method a {@code DefaultToolExecutor} runs binds a call's arguments, so that the call is decided
 * (and counted, and approved) as the method receives it. LangChain4j binds each parameter by name and ignores any other
 * member: {@code {"id":1,"x":2}} is {@code lookup_note(1)}. And it converts a value to the parameter's type:
 * {@code 1}, {@code 1.0}, {@code 1e0} and {@code "1"} are all the int 1.
 *
 * <p>The conversion is LangChain4j's own {@code coerceArgument}, called here, because it differs between versions
 * (1.0 reads {@code "1d"} and {@code "NaN"} as ints and a {@code long} through a double, 1.19 refuses the first two and
 * keeps every digit), and only for parameter types whose conversion runs no code of the application's: text, numbers,
 * {@code UUID}. A value it refuses is left as written (the call fails at binding), so it never reads as a value it binds.
 *
 * <p>And a parameter with {@code @P(defaultValue)} (1.x later than 1.0) receives its default when the member is absent
 * or {@code null}: {@code {"id":"d5"}} is {@code share_doc("d5", PUBLIC)} under {@code defaultValue = "PUBLIC"}, so the
 * call is decided with that member ({@link #defaults()}).
 */
public final class ToolParameters {

    /** The action attribute that carries them from the advice to the enricher (never recorded nor digested). */
    public static final String ATTRIBUTE = "tool.parameters";

    static final String MEMORY_ID = "dev.langchain4j.agent.tool.ToolMemoryId";

    /** Converted without running application code (the other types go through Jackson into the application's classes). */
    private static final Set<Class<?>> CONVERTED = Set.of(String.class, UUID.class, BigDecimal.class, BigInteger.class,
            int.class, Integer.class, long.class, Long.class, short.class, Short.class, byte.class, Byte.class,
            double.class, Double.class, float.class, Float.class);

    private static final ClassValue<Method> COERCE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> executor) {
            try {
                Method coerce = executor.getDeclaredMethod("coerceArgument", Object.class, String.class, Class.class, Type.class);
                if (!Modifier.isStatic(coerce.getModifiers())) {
                    return null;
                }
                coerce.setAccessible(true);
                return coerce;
            } catch (ReflectiveOperationException | RuntimeException notThisVersion) {
                return null; // names are still known: only the values are then left as written
            }
        }
    };

    /** Read as LangChain4j's {@code parseDefaultValue} reads a default: as the text itself, not as JSON. */
    private static final Set<Class<?>> DEFAULT_AS_TEXT = Set.of(String.class, UUID.class);

    /**
     * Whether the executor class binds an {@code Optional<T>} parameter by converting the value to {@code T} (its
     * {@code createOptional}, 1.x later than 1.0): {@code "public"} for an {@code Optional<Visibility>} is then
     * {@code Optional.of(PUBLIC)}.
     */
    static final ClassValue<Boolean> UNWRAPS_OPTIONALS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> executor) {
            try {
                executor.getDeclaredMethod("createOptional", Object.class, String.class, Type.class);
                return true;
            } catch (NoSuchMethodException | RuntimeException notThisVersion) {
                return false;
            }
        }
    };

    private final Method method;
    private final Set<String> names;
    private final Map<String, Parameter> converted;
    private final Method coerce;
    private final Map<String, String> defaults;
    private final boolean optionals;

    private ToolParameters(Method method, Set<String> names, Map<String, Parameter> converted, Method coerce,
            Map<String, String> defaults, boolean optionals) {
        this.method = method;
        this.names = names;
        this.converted = converted;
        this.coerce = coerce;
        this.defaults = defaults;
        this.optionals = optionals;
    }

    /** The parameters of the first {@code DefaultToolExecutor} among the candidates, or null when none is one. */
    static ToolParameters of(Object... candidates) throws ReflectiveOperationException {
        for (Object candidate : candidates) {
            Field field = candidate == null ? null : EnumParameters.METHOD_FIELD.get(candidate.getClass());
            if (field != null && field.get(candidate) instanceof Method method) {
                return of(method, COERCE.get(field.getDeclaringClass()), UNWRAPS_OPTIONALS.get(field.getDeclaringClass()));
            }
        }
        return null;
    }

    static ToolParameters of(Method method, Method coerce) {
        return of(method, coerce, false);
    }

    /** @param optionals whether an {@code Optional<T>}'s value is converted to {@code T} ({@link #UNWRAPS_OPTIONALS}) */
    static ToolParameters of(Method method, Method coerce, boolean optionals) {
        Set<String> names = new HashSet<>();
        Map<String, Parameter> converted = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        Map<String, String> defaults = new HashMap<>();
        for (Parameter parameter : method.getParameters()) {
            if (memoryId(parameter)) {
                continue; // bound to the memory id: a member of its name is ignored
            }
            String fallback = defaultValue(parameter);
            if (fallback != null) {
                // Only versions whose @P has a name have defaults, and they bind by that name.
                defaults.put(EnumParameters.name(parameter), DEFAULT_AS_TEXT.contains(parameter.getType())
                        || parameter.getType().isEnum() ? jsonString(fallback) : fallback);
            }
            // Both names: 1.0 binds by the parameter's, later versions by @P(name) when set. A name too many keeps a
            // member in the facts; a name too few would drop one the tool receives.
            for (String name : new HashSet<>(List.of(parameter.getName(), EnumParameters.name(parameter)))) {
                names.add(name);
                if (CONVERTED.contains(boundClass(parameter, optionals)) && converted.putIfAbsent(name, parameter) != null) {
                    ambiguous.add(name);
                }
            }
        }
        converted.keySet().removeAll(ambiguous);
        return new ToolParameters(method, Set.copyOf(names), Map.copyOf(converted), coerce, Map.copyOf(defaults), optionals);
    }

    /** The class a value of the parameter is converted to: an {@code Optional<T>}'s {@code T} where it is unwrapped. */
    static Class<?> boundClass(Parameter parameter, boolean optionals) {
        return boundType(parameter, optionals) instanceof Class<?> type ? type : parameter.getType();
    }

    private static Type boundType(Parameter parameter, boolean optionals) {
        if (optionals && parameter.getType() == java.util.Optional.class
                && parameter.getParameterizedType() instanceof java.lang.reflect.ParameterizedType optional
                && optional.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        return parameter.getParameterizedType();
    }

    /** {@code @P(defaultValue)} when set; null when unset (the element's own default) or absent (1.0's {@code @P}). */
    private static String defaultValue(Parameter parameter) {
        for (java.lang.annotation.Annotation annotation : parameter.getAnnotations()) {
            if (annotation.annotationType().getName().equals(EnumParameters.P)) {
                try {
                    Method element = annotation.annotationType().getMethod("defaultValue");
                    Object value = element.invoke(annotation);
                    return value instanceof String text && !text.equals(element.getDefaultValue()) ? text : null;
                } catch (NoSuchMethodException older) {
                    return null;
                } catch (ReflectiveOperationException unreadable) {
                    throw new IllegalStateException("could not read @P of " + parameter, unreadable);
                }
            }
        }
        return null;
    }

    /** The text as a JSON string, as the model would write it. */
    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static boolean memoryId(Parameter parameter) {
        for (java.lang.annotation.Annotation annotation : parameter.getAnnotations()) {
            if (annotation.annotationType().getName().equals(MEMORY_ID)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Member name to the JSON value its parameter receives when the member is absent or {@code null}: its
     * {@code @P(defaultValue)} as the model would write it (a quoted string for text, enum and {@code UUID}
     * parameters, whose default LangChain4j reads as text; the text itself, read as JSON, for other types).
     */
    public Map<String, String> defaults() {
        return defaults;
    }

    /** Whether a member of this name reaches the method (as some parameter's argument). */
    public boolean binds(String member) {
        return names.contains(member);
    }

    /**
     * The member's value as the method receives it, in one form: an integer type's as a {@code Long}, a {@code UUID}'s
     * as its text, others as LangChain4j converts them ({@code String}, {@code Double}, {@code Float}, {@code BigDecimal},
     * {@code BigInteger}); {@code value} itself when its parameter's type is another, or LangChain4j refuses it.
     *
     * @param value as read from the arguments' JSON (a {@code Long} for an integer, a {@code Double} for a fraction)
     */
    public Object bound(String member, Object value) {
        Parameter parameter = converted.get(member);
        if (parameter == null || value == null || coerce == null) {
            return value; // null: bound as absent, or refused, depending on the version
        }
        Object bound;
        try {
            bound = coerce.invoke(null, asJackson(value), member, boundClass(parameter, optionals),
                    boundType(parameter, optionals));
        } catch (InvocationTargetException | IllegalAccessException | RuntimeException refused) {
            return value;
        }
        if (bound instanceof Integer || bound instanceof Long || bound instanceof Short || bound instanceof Byte) {
            return ((Number) bound).longValue();
        }
        if (bound instanceof UUID uuid) {
            return uuid.toString();
        }
        if (bound instanceof String || bound instanceof Double || bound instanceof Float || bound instanceof BigDecimal
                || bound instanceof BigInteger) {
            return bound;
        }
        return value; // a conversion this class does not know: as written
    }

    /** The value as LangChain4j's Jackson reads it: an integer in an int's range is an {@code Integer}. */
    private static Object asJackson(Object value) {
        if (value instanceof Long number && number == number.intValue()) {
            return number.intValue();
        }
        if (value instanceof Map<?, ?> members) {
            Map<Object, Object> read = new LinkedHashMap<>();
            members.forEach((name, member) -> read.put(name, asJackson(member)));
            return read;
        }
        if (value instanceof List<?> elements) {
            List<Object> read = new ArrayList<>(elements.size());
            elements.forEach(element -> read.add(asJackson(element)));
            return read;
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ToolParameters parameters && parameters.method.equals(method);
    }

    @Override
    public int hashCode() {
        return method.hashCode();
    }

    @Override
    public String toString() {
        return "parameters of " + method;
    }
}
