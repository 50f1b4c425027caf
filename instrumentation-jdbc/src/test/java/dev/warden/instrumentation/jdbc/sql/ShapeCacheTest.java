package dev.warden.instrumentation.jdbc.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShapeCacheTest {

    @Test
    void neverHoldsMoreThanItsBound() {
        for (int bound : new int[] {1, 2, 3, 10, 101}) {
            ShapeCache<Integer> cache = new ShapeCache<>(bound);
            for (int i = 0; i < 1_000; i++) {
                cache.put("s" + i, i);
                cache.get("s" + (i / 2)); // promotions must not break the bound either
                assertThat(cache.size()).as("bound %d", bound).isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void aShapeInUseSurvivesRotation() {
        ShapeCache<Integer> cache = new ShapeCache<>(10);
        cache.put("hot", 0);
        for (int i = 0; i < 100; i++) {
            cache.put("cold" + i, i);
            assertThat(cache.get("hot")).isZero();
        }
    }

    @Test
    void veryLongShapesAreBoundedByCharactersToo() {
        ShapeCache<Integer> cache = new ShapeCache<>(10_000);
        String big = "x".repeat((int) (ShapeCache.MAX_CHARS_PER_GENERATION / 4));
        for (int i = 0; i < 20; i++) {
            cache.put(big + i, i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(8);
    }

    @Test
    void aBoundOfZeroCachesNothing() {
        ShapeCache<Integer> cache = new ShapeCache<>(0);
        cache.put("a", 1);
        assertThat(cache.get("a")).isNull();
        assertThat(cache.size()).isZero();
    }
}
