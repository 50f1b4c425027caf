package dev.warden.agent.install;

import dev.warden.instrumentation.api.SuperTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One loader's hierarchies, kept by type name and bounded. */
class KeptHierarchiesTest {

    @Test
    void whatIsKeptIsFoundByItsTypesName() {
        KeptHierarchies kept = new KeptHierarchies(4);
        kept.keep("a.Statement", new SuperTypes.Kept(0b101, 3));

        assertThat(kept.find("a.Statement")).isEqualTo(new SuperTypes.Kept(0b101, 3));
        assertThat(kept.find("a.Other")).isNull();
    }

    @Test
    void whenFullEverythingIsForgottenAndWalkedAgainWhenMet() {
        KeptHierarchies kept = new KeptHierarchies(2);
        kept.keep("a.A", new SuperTypes.Kept(1, 1));
        kept.keep("a.B", new SuperTypes.Kept(1, 1));
        kept.keep("a.C", new SuperTypes.Kept(0, 1));

        assertThat(kept.find("a.A")).isNull();
        assertThat(kept.find("a.B")).isNull();
        assertThat(kept.find("a.C")).isEqualTo(new SuperTypes.Kept(0, 1));
    }
}
