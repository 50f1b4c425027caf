package dev.warden.bootstrap.langchain4j;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The tool a {@code DefaultToolExecutor} runs, as its method's {@code @Tool} names it ({@code name}, else the method's
 * name, as LangChain4j names the tool it specifies from the method), whatever name the request it is handed says. The
 * executor runs its method and reads only the request's arguments, so a request named {@code crm_read} handed to the
 * executor of {@code @Tool(name = "email_send")} sends mail: the application's own dispatch (a table of aliases, a lookup
 * that folds case because models write {@code Email_Send}, LangChain4j's {@code DefaultToolExecutor(object, request)},
 * which finds the method by its Java name) chooses the executor, and until the tenth review (2026-12-07) the call was
 * decided as the request's name. A method without {@code @Tool} names no tool: the application specified it itself,
 * and the request's name stands.
 */
public final class MethodTools {

    static final String TOOL = "dev.langchain4j.agent.tool.Tool";

    private MethodTools() {
    }

    /**
     * The tool the first {@code DefaultToolExecutor} among the candidates runs, or null when none is one or its method
     * has no {@code @Tool}.
     *
     * @throws ReflectiveOperationException when the executor or the annotation cannot be read: refuse the call
     */
    static String of(Object... candidates) throws ReflectiveOperationException {
        for (Object candidate : candidates) {
            Field field = candidate == null ? null : EnumParameters.METHOD_FIELD.get(candidate.getClass());
            if (field != null && field.get(candidate) instanceof Method method) {
                return name(method);
            }
        }
        return null;
    }

    static String name(Method method) throws ReflectiveOperationException {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().getName().equals(TOOL)) {
                Object name = annotation.annotationType().getMethod("name").invoke(annotation);
                return name instanceof String text && !text.isBlank() ? text : method.getName();
            }
        }
        return null;
    }
}
