package dev.warden.e2e.host;

import java.sql.Connection;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * An application's test that uses Mockito's inline mock maker, itself an agent attached at run time
 * that retransforms the classes it mocks and defines classes of its own (its dispatcher in the boot
 * loader, served from no class file). Prints what the mocks answered.
 *
 * <pre>
 *   java MockitoHost
 *   out:  MOCKED final=... connection=...
 * </pre>
 */
public final class MockitoHost {

    /** Only the inline mock maker can mock a final class. */
    public static final class Prices {
        public int of(String item) {
            return 100;
        }
    }

    public static void main(String[] args) throws Exception {
        Prices prices = mock(Prices.class);
        when(prices.of("tea")).thenReturn(7);
        Connection connection = mock(Connection.class);
        when(connection.getSchema()).thenReturn("mocked");
        System.out.println("MOCKED final=" + prices.of("tea") + " connection=" + connection.getSchema());
        System.out.println("DONE");
    }
}
