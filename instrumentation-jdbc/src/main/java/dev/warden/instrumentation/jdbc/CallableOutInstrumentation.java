package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.CallableStatement;
import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

/**
 * The getters of a {@link CallableStatement}'s OUT parameters ({@code getString(1)}, {@code getObject("name")}, ...):
 * refused while the results the statement holds are restricted by a permit's obligations. An OUT parameter is no
 * result set, so no redaction or row limit reaches it, and H2's getters read the current row of the query's own
 * result set ({@code prepareCall("SELECT ssn FROM customers WHERE id = ?")}), past the restricted view the host got.
 * Matched by name on every class that implements {@code CallableStatement}: a getter of the parameter by index or by
 * name, which a statement's own getters ({@code getMoreResults(int)}) are not.
 */
final class CallableOutInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(CallableStatement.class.getName()).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(CallableStatement.class.getName());
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isPublic().and(not(isAbstract())).and(nameStartsWith("get")).and(not(named("getMoreResults")))
                .and(takesArgument(0, int.class).or(takesArgument(0, String.class))), OutParameterAdvice.class);
    }

    static final class OutParameterAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object statement) {
            return JdbcActions.outParameterRefusal(statement);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Throwable refusal, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (refusal != null) {
                thrown = refusal;
            }
        }
    }
}
