package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** A loader that serves no class files still has its classes described: from the classes themselves. */
class LoadedTypeFallbackPoolTest {

    private final TypePool pool = new LoadedTypeFallbackPool(new AgentBuilder.CircularityLock.Default())
            .typePool(ClassFileLocator.NoOp.INSTANCE, getClass().getClassLoader());

    @Test
    void aTypeWhoseClassFileIsNotServedIsDescribedFromTheLoadedClass() {
        TypePool.Resolution resolution = pool.describe(UnusableClassTest.Target.class.getName());

        assertThat(resolution.isResolved()).isTrue();
        TypeDescription target = resolution.resolve();
        assertThat(target.isAssignableTo(Callable.class)).isTrue();
        assertThat(target.getSuperClass().asErasure().represents(Thread.class)).isTrue();
        assertThat(target.getDeclaredMethods().filter(net.bytebuddy.matcher.ElementMatchers.named("call")
                .and(net.bytebuddy.matcher.ElementMatchers.returns(String.class)))).hasSize(1);
    }

    @Test
    void aTypeNobodyCanLoadStaysUnresolved() {
        assertThat(pool.describe("dev.warden.nowhere.Missing").isResolved()).isFalse();
    }
}
