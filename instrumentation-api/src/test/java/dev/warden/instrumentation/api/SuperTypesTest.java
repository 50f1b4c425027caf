package dev.warden.instrumentation.api;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** One walk of a type's hierarchy, shared by the matchers of that type. */
class SuperTypesTest {

    /** Reaches Statement only through its super class and an interface that extends another. */
    abstract static class Wrapper extends Base implements Serializable {
    }

    abstract static class Base implements PreparedStatement {
    }

    private final TypePool pool = TypePool.Default.ofSystemLoader(); // from class files, as the installer describes

    private TypeDescription described(Class<?> type) {
        return pool.describe(type.getName()).resolve();
    }

    @Test
    void aTypeIsMatchedByEveryTypeAboveItInterfacesOfSuperClassesIncluded() {
        TypeDescription wrapper = described(Wrapper.class);

        assertThat(SuperTypes.hasSuperTypeNamed(Statement.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(AutoCloseable.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(Wrapper.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(Object.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(Runnable.class.getName()).matches(wrapper)).isFalse();
        assertThat(SuperTypes.hasSuperTypeNamed(Statement.class.getName()).matches(described(String.class))).isFalse();
    }

    @Test
    void theHierarchyIsCollectedOncePerTypeBeingMatched() {
        TypeDescription wrapper = described(Wrapper.class);
        TypeDescription base = described(Base.class);

        assertThat(SuperTypes.namesOf(wrapper)).isSameAs(SuperTypes.namesOf(wrapper)).contains(Serializable.class.getName());
        assertThat(SuperTypes.namesOf(base)).doesNotContain(Serializable.class.getName(), Wrapper.class.getName());
        assertThat(SuperTypes.hasSuperTypeNamed(Statement.class.getName()).matches(null)).isFalse();
    }
}
