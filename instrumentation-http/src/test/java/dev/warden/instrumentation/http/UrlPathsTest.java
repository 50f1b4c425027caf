package dev.warden.instrumentation.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** url.path.normalized is the path a lenient server serves, whatever spelling the request was sent in. */
class UrlPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        /v1/chat                  | /v1/chat
        /                         | /
        ''                        | /
        /api/../admin             | /admin
        /api/%2e%2e/admin         | /admin
        /api/%2E%2e/admin         | /admin
        /api/.%2e/admin           | /admin
        /api/..;/admin            | /admin
        /api/x;jsessionid=1       | /api/x
        /api/..%2fadmin           | /admin
        /api\\..\\admin           | /admin
        /api/%5c..%5cadmin        | /admin
        //admin                   | /admin
        /./admin/.                | /admin/
        /../../etc/passwd         | /etc/passwd
        /api/                     | /api/
        /api/..                   | /
        /a%20b/%7euser            | /a%20b/~user
        /a%zzb                    | /a%zzb
        /a%2                      | /a%2
        """)
    void aPathIsReadAsTheServerServesIt(String raw, String normalized) {
        assertThat(UrlPaths.normalize(raw)).isEqualTo(normalized);
    }
}
