package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.PreparedStatement;
import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Captures the values bound to prepared and callable statements, by index or by name, on every
 * statement class that declares the JDBC setters: a pool's proxy and the driver's statement each
 * record what they were given, so that the statement that really executes is decided with its own
 * values. Only the setters of {@link PreparedStatement} and {@code CallableStatement} are matched, by
 * name: a statement's own settings ({@code setMaxRows}) are not parameters.
 */
final class ParameterInstrumentation implements TypeInstrumentation {

    static final String[] SETTERS = {"setArray", "setAsciiStream", "setBigDecimal", "setBinaryStream", "setBlob",
            "setBoolean", "setByte", "setBytes", "setCharacterStream", "setClob", "setDate", "setDouble", "setFloat",
            "setInt", "setLong", "setNCharacterStream", "setNClob", "setNString", "setNull", "setObject", "setRef",
            "setRowId", "setShort", "setSQLXML", "setString", "setTime", "setTimestamp", "setUnicodeStream", "setURL"};

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(PreparedStatement.class.getName()).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(PreparedStatement.class.getName());
    }

    @Override
    public void transform(TypeTransformer transformer) {
        ElementMatcher.Junction<MethodDescription> concrete = isPublic().and(not(isAbstract()));
        transformer.applyAdvice(concrete.and(namedOneOf(SETTERS))
                .and(takesArgument(0, int.class).or(takesArgument(0, String.class)))
                .and(not(takesArguments(0))).and(not(takesArguments(1))), SetAdvice.class);
        transformer.applyAdvice(concrete.and(named("clearParameters")).and(takesArguments(0)), ClearAdvice.class);
    }

    static final class SetAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.This Object statement, @Advice.Origin("#m") String setter,
                            @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] arguments) {
            Object[] own = JdbcActions.parameterSet(statement, setter, arguments);
            if (own != arguments) {
                arguments = own;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object statement,
                           @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object key,
                           @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                JdbcActions.parameterFailed(statement, key);
            }
        }
    }

    static final class ClearAdvice {

        /** Only a clear that returned cleared anything: after a failed one the earlier values still bind. */
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object statement, @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                JdbcActions.parametersCleared(statement);
            }
        }
    }
}
