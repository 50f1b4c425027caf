package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.bootstrap.jdbc.RestrictedResults;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.declaresMethodNamed;
import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Decides every execution path of {@link Statement}, {@code PreparedStatement} and
 * {@code CallableStatement} before it reaches the driver, and restricts the result sets of permits
 * that carry obligations. Batches are decided statement by statement, at {@code addBatch}: what
 * {@code executeBatch} runs has been decided already. A driver's public entry point below these methods
 * (pgjdbc's {@code executeWithFlags}, on its statements, which its {@code execute*} methods call) is
 * decided like them, and inherits their decision when they called it for the same SQL. The result sets fetched later
 * ({@code getResultSet}, {@code getGeneratedKeys}) are restricted by the obligations of the execution that made them,
 * which a later refused execution or {@code addBatch} on the same statement does not replace.
 */
final class StatementInstrumentation implements TypeInstrumentation {

    /**
     * Statement implementations, and their superclasses that declare the execute methods without
     * implementing {@link Statement} themselves (SQLite's {@code JDBC3Statement}: advice can only
     * rewrite the class that declares a method).
     */
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The hierarchy and the flags come from the class file's header; methods are parsed only in a class
        // whose constant pool names executeQuery.
        return hasSuperTypeNamed(Statement.class.getName())
                .or(declaresMethodNamed("executeQuery", takesArguments(String.class).and(returns(isSubTypeOf(ResultSet.class)))))
                .and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Statement.class.getName());
    }

    @Override
    public void transform(TypeTransformer transformer) {
        ElementMatcher.Junction<net.bytebuddy.description.method.MethodDescription> concrete = isPublic().and(not(isAbstract()));
        transformer.applyAdvice(concrete.and(named("executeQuery")).and(returns(isSubTypeOf(ResultSet.class))),
                ExecuteQueryAdvice.class);
        transformer.applyAdvice(concrete.and(namedOneOf("execute", "executeUpdate", "executeLargeUpdate", "addBatch")),
                ExecuteAdvice.class);
        transformer.applyAdvice(concrete.and(named("executeWithFlags")), DriverExecuteAdvice.class);
        transformer.applyAdvice(concrete.and(namedOneOf("getResultSet", "getGeneratedKeys")).and(takesArguments(0)),
                HeldResultsAdvice.class);
    }

    /** Executions that return a result set the host reads: decided, then restricted. */
    static final class ExecuteQueryAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object statement, @Advice.Origin("#m") String method,
                                 @Advice.AllArguments Object[] arguments,
                                 @Advice.Local("wardenScope") ActionScope scope,
                                 @Advice.Local("wardenDecision") Decision decision,
                                 @Advice.Local("wardenOwnRowLimit") int ownRowLimit) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            ownRowLimit = -1;
            if (scope.isWardensOwn()) {
                return null;
            }
            decision = JdbcActions.decideExecution(scope, statement, arguments, method);
            ownRowLimit = JdbcActions.applyRowLimit(statement, decision);
            return JdbcActions.refusal(decision);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object statement, @Advice.Origin("#m") String method, @Advice.Enter Throwable denial,
                           @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Local("wardenDecision") Decision decision,
                           @Advice.Local("wardenOwnRowLimit") int ownRowLimit,
                           @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) ResultSet results,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            JdbcActions.restoreRowLimit(statement, ownRowLimit);
            if (denial != null) {
                thrown = denial;
            } else {
                JdbcActions.executed(statement, method, decision, thrown);
                if (decision != null && thrown == null) {
                    results = (ResultSet) RestrictedResults.restrict(results, decision.enforcedObligations(), ResultSet.class);
                }
            }
        }
    }

    /** Executions whose results, if any, are fetched later with {@code getResultSet()}. */
    static final class ExecuteAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object statement, @Advice.Origin("#m") String method,
                                 @Advice.AllArguments Object[] arguments,
                                 @Advice.Local("wardenScope") ActionScope scope,
                                 @Advice.Local("wardenDecision") Decision decision) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            decision = JdbcActions.decideExecution(scope, statement, arguments, method);
            return JdbcActions.refusal(decision);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object statement, @Advice.Origin("#m") String method, @Advice.Enter Throwable denial,
                           @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Local("wardenDecision") Decision decision,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial != null) {
                thrown = denial;
            } else {
                JdbcActions.executed(statement, method, decision, thrown);
            }
        }
    }

    /** pgjdbc's {@code executeWithFlags(sql, flags)}, {@code (flags)}, {@code (cachedQuery, flags)}: results fetched later, as for {@code execute}. */
    static final class DriverExecuteAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object statement, @Advice.Origin("#m") String method,
                                 @Advice.AllArguments Object[] arguments,
                                 @Advice.Local("wardenScope") ActionScope scope,
                                 @Advice.Local("wardenDecision") Decision decision) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            decision = JdbcActions.decideDriverExecution(scope, statement, arguments, method);
            return JdbcActions.refusal(decision);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object statement, @Advice.Origin("#m") String method, @Advice.Enter Throwable denial,
                           @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Local("wardenDecision") Decision decision,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial != null) {
                thrown = denial;
            } else {
                JdbcActions.executed(statement, method, decision, thrown);
            }
        }
    }

    /**
     * Results fetched after the execution that made them: {@code getResultSet()}, restricted by that execution's
     * obligations, and {@code getGeneratedKeys()}, by those of the last execution and of a batch's statements (a driver
     * may return whole rows there: pgjdbc adds {@code RETURNING *} for {@code RETURN_GENERATED_KEYS}; H2 returns the
     * named columns of every row an {@code UPDATE} changed). Refused when those obligations could not be recorded.
     */
    static final class HeldResultsAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object statement) {
            return JdbcActions.unrecordedResultsRefusal(statement);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object statement, @Advice.Origin("#m") String method, @Advice.Enter Throwable refusal,
                           @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) ResultSet results,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (refusal != null) {
                thrown = refusal;
            } else if (thrown == null) {
                results = (ResultSet) RestrictedResults.restrict(results, JdbcActions.heldObligationsOf(statement, method),
                        ResultSet.class);
            }
        }
    }
}
