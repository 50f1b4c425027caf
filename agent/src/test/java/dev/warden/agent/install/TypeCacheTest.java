package dev.warden.agent.install;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** Descriptions shared per loader, bounded, least recently used out. */
class TypeCacheTest {

    private static TypePool.Resolution resolution(Class<?> type) {
        return new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(type));
    }

    @Test
    void oneCachePerLoaderTheBootLoaderIncluded() throws Exception {
        TypeCache caches = new TypeCache(16);
        try (URLClassLoader other = new URLClassLoader(new URL[0])) {
            TypePool.CacheProvider mine = caches.of(getClass().getClassLoader());
            mine.register("a.B", resolution(String.class));

            assertThat(caches.of(getClass().getClassLoader()).find("a.B")).isNotNull();
            assertThat(caches.of(other).find("a.B")).isNull();
            assertThat(caches.of(null).find("a.B")).isNull();
            assertThat(caches.of(null)).isSameAs(caches.of(null));
        }
    }

    @Test
    void theLeastRecentlyUsedTypeGoesWhenFull() {
        TypePool.CacheProvider cache = new TypeCache(3).of(null); // Object is kept from the start
        cache.register("a.One", resolution(String.class));
        cache.register("a.Two", resolution(Integer.class));
        cache.find(Object.class.getName());
        cache.find("a.One");
        cache.register("a.Three", resolution(Long.class));

        assertThat(cache.find("a.Two")).isNull();
        assertThat(cache.find("a.One")).isNotNull();
        assertThat(cache.find("a.Three")).isNotNull();
        assertThat(cache.find(Object.class.getName()).resolve().represents(Object.class)).isTrue();
    }

    @Test
    void theFirstRegistrationWins() {
        TypePool.CacheProvider cache = new TypeCache(8).of(null);
        TypePool.Resolution first = resolution(String.class);

        assertThat(cache.register("a.Same", first)).isSameAs(first);
        assertThat(cache.register("a.Same", resolution(Integer.class))).isSameAs(first);
    }

    @Test
    void oneHierarchyMemoPerLoaderWhicheverLoaderWasAskedAboutLast() throws Exception {
        TypeCache caches = new TypeCache(16);
        try (URLClassLoader one = new URLClassLoader(new URL[0]);
             URLClassLoader other = new URLClassLoader(new URL[0])) {
            var ofOne = caches.hierarchies(one);
            var ofBoot = caches.hierarchies(null);

            assertThat(caches.hierarchies(one)).isSameAs(ofOne);
            assertThat(caches.hierarchies(other)).isNotSameAs(ofOne).isSameAs(caches.hierarchies(other));
            assertThat(caches.hierarchies(one)).isSameAs(ofOne);
            assertThat(caches.hierarchies(null)).isSameAs(ofBoot).isNotSameAs(ofOne);
        }
    }
}
