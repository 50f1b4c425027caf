package dev.warden.agent.install;

import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ConstantPoolTest {

    static final class Sample {
        static final long BIG = 1L << 40; // a long takes two slots, the second without an offset
        static final double RATIO = 0.5;

        String executeQuery(String sql) {
            return sql.isEmpty() ? "literal text" : sql;
        }
    }

    @Test
    void findsTheNamesOfMembersAndLiteralsAndNothingElse() throws IOException {
        ClassReader sample = read(Sample.class);

        assertThat(ConstantPool.holdsUtf8(sample, "executeQuery")).isTrue();
        assertThat(ConstantPool.holdsUtf8(sample, "literal text")).isTrue();
        assertThat(ConstantPool.holdsUtf8(sample, "BIG")).isTrue();
        assertThat(ConstantPool.holdsUtf8(sample, "executeUpdate")).isFalse();
        assertThat(ConstantPool.holdsUtf8(sample, "executeQuer")).isFalse();
        assertThat(ConstantPool.holdsUtf8(sample, "executeQueryX")).isFalse();
    }

    private static ClassReader read(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return new ClassReader(in);
        }
    }
}
