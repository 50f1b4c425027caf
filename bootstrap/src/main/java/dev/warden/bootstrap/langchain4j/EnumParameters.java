package dev.warden.bootstrap.langchain4j;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The enum parameters of the {@code @Tool} method a {@code DefaultToolExecutor} runs, so that an argument is
 * decided as the constant LangChain4j binds, not as the model spelled it: its {@code coerceArgument} tries
 * {@code Enum.valueOf(text)}, then {@code Enum.valueOf(text.toUpperCase(Locale.ROOT))} (1.0: its default locale), so {@code "public"}
 * and {@code "publıc"} (a dotless ı upper-cases to I) both bind {@code PUBLIC}. So does an {@code Optional<E>}
 * parameter's value where the version converts it as {@code E} ({@link ToolParameters#UNWRAPS_OPTIONALS}).
 */
public final class EnumParameters {

    /** The action attribute that carries them from the advice to the enricher (never recorded nor digested). */
    public static final String ATTRIBUTE = "tool.enumParameters";

    static final String EXECUTOR = "dev.langchain4j.service.tool.DefaultToolExecutor";
    static final String P = "dev.langchain4j.agent.tool.P";

    /** {@code DefaultToolExecutor.originalMethod} for an executor class, null for another class (shared with {@link ToolParameters}). */
    static final ClassValue<Field> METHOD_FIELD = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals(EXECUTOR)) {
                    try {
                        Field field = c.getDeclaredField("originalMethod");
                        field.setAccessible(true);
                        return field;
                    } catch (ReflectiveOperationException | RuntimeException unreadable) {
                        return null;
                    }
                }
            }
            return null;
        }
    };

    private EnumParameters() {
    }

    /** Parameter name to its enum's constant names, for the first {@code DefaultToolExecutor} among the candidates. */
    static Map<String, List<String>> of(Object... candidates) throws ReflectiveOperationException {
        for (Object candidate : candidates) {
            Field field = candidate == null ? null : METHOD_FIELD.get(candidate.getClass());
            if (field != null && field.get(candidate) instanceof Method method) {
                return of(method, ToolParameters.UNWRAPS_OPTIONALS.get(field.getDeclaringClass()));
            }
        }
        return Map.of();
    }

    static Map<String, List<String>> of(Method method) {
        return of(method, false);
    }

    /** @param optionals whether an {@code Optional<E>} binds as {@code E} does (1.x later than 1.0) */
    static Map<String, List<String>> of(Method method, boolean optionals) {
        Map<String, List<String>> enums = new HashMap<>();
        for (Parameter parameter : method.getParameters()) {
            Class<?> type = ToolParameters.boundClass(parameter, optionals);
            if (type.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object constant : type.getEnumConstants()) {
                    names.add(((Enum<?>) constant).name());
                }
                enums.put(name(parameter), List.copyOf(names));
            }
        }
        return enums;
    }

    /** The name LangChain4j binds the parameter by: {@code @P(name = ...)} when set (1.x later than 1.0), else the parameter's. */
    static String name(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            if (annotation.annotationType().getName().equals(P)) {
                try {
                    Object name = annotation.annotationType().getMethod("name").invoke(annotation);
                    if (name instanceof String text && !text.isBlank()) {
                        return text;
                    }
                } catch (NoSuchMethodException older) { // 1.0's @P has no name
                    return parameter.getName();
                } catch (ReflectiveOperationException unreadable) {
                    throw new IllegalStateException("could not read @P of " + parameter, unreadable);
                }
            }
        }
        return parameter.getName();
    }

    /**
     * The constant LangChain4j binds {@code text} to, as its {@code coerceArgument} reads it; null when none. Later
     * versions upper-case in {@code Locale.ROOT}; 1.0 in the JVM's default locale, where Lithuanian drops a dot above
     * after an i ({@code "publi\u0307c"} is {@code PUBLIC} there, not in ROOT: found by a thirteenth review, 2026-12-08).
     * So a text either reading binds is that constant (where the version reads it the other way, the call fails at
     * binding, and deciding it as the constant refuses nothing that would run).
     */
    public static String bound(String text, List<String> constants) {
        if (constants.contains(text)) {
            return text;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (constants.contains(upper)) {
            return upper;
        }
        String local = text.toUpperCase(Locale.getDefault());
        return constants.contains(local) ? local : null;
    }
}
