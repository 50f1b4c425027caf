package dev.warden.agent.install;

import dev.warden.instrumentation.api.ClassFileNames;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import static dev.warden.instrumentation.api.ClassFileMatchers.declaresMethodNamed;
import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installer describes the classes being defined from their class file's header first, and answers what
 * the matchers ask (names, super types, kind, whether the constant pool holds a name) without parsing the
 * methods; what it answers is what a full description answers.
 */
class HeaderFirstDescriptionTest {

    /** Declares executeQuery the way SQLite's JDBC3Statement does, without implementing Statement. */
    abstract static class DeclaresExecuteQuery {
        public ResultSet executeQuery(String sql) throws SQLException {
            return null;
        }
    }

    abstract static class MentionsNothing implements Callable<String> {
    }

    interface AnInterface extends Callable<String> {
    }

    private final TypePool pool = new LoadedTypeFallbackPool(new AgentBuilder.CircularityLock.Default())
            .typePool(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()), getClass().getClassLoader());

    @Test
    void aClassBeingDefinedIsDescribedByThePoolItselfWhichSearchesItsConstantPool() throws IOException {
        TypeDescription described = defined(DeclaresExecuteQuery.class);

        assertThat(described).isInstanceOf(ClassFileNames.class);
        assertThat(((ClassFileNames) described).mayMention("executeQuery")).isTrue();
        assertThat(((ClassFileNames) described).mayMention("executeUpdate")).isFalse();
        assertThat(((ClassFileNames) defined(MentionsNothing.class)).mayMention("executeQuery")).isFalse();
    }

    @Test
    void aNameThatIsNotAsciiIsAssumedMentioned() throws IOException {
        assertThat(((ClassFileNames) defined(MentionsNothing.class)).mayMention("exécute")).isTrue();
    }

    @Test
    void theMatchersAnswerAsForAFullDescription() throws IOException {
        var statementLike = declaresMethodNamed("executeQuery", takesArguments(String.class).and(returns(isSubTypeOf(ResultSet.class))));

        assertThat(statementLike.matches(defined(DeclaresExecuteQuery.class))).isTrue();
        assertThat(statementLike.matches(defined(MentionsNothing.class))).isFalse();
        assertThat(statementLike.matches(TypeDescription.ForLoadedType.of(DeclaresExecuteQuery.class))).isTrue();
        assertThat(hasSuperTypeNamed(Callable.class.getName()).and(isClass()).matches(defined(MentionsNothing.class))).isTrue();
        assertThat(hasSuperTypeNamed(Callable.class.getName()).and(isClass()).matches(defined(AnInterface.class))).isFalse();
    }

    @Test
    void theDescriptionIsAsComplete() throws IOException {
        TypeDescription described = defined(DeclaresExecuteQuery.class);
        TypeDescription loaded = TypeDescription.ForLoadedType.of(DeclaresExecuteQuery.class);

        assertThat(described.getName()).isEqualTo(loaded.getName());
        assertThat(described.getModifiers()).isEqualTo(loaded.getModifiers());
        assertThat(described.getSuperClass().asErasure()).isEqualTo(loaded.getSuperClass().asErasure());
        assertThat(described.getDeclaredMethods().asDefined()).hasSameSizeAs(loaded.getDeclaredMethods());
    }

    /** As ByteBuddy describes a class whose bytes the JVM hands to the transformer. */
    private TypeDescription defined(Class<?> type) {
        return new LazyDescriptions().apply(type.getName(), null, pool, new AgentBuilder.CircularityLock.Default(),
                type.getClassLoader(), null);
    }
}
