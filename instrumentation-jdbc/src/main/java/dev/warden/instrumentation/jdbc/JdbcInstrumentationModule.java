package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code jdbc} surface: every statement any driver executes, matched by interface; the switches of
 * a connection's catalog and schema; the result sets and OUT parameters a statement hands over later, under its
 * execution's obligations; and pgjdbc's public APIs that run SQL or call server functions
 * outside any statement (copy, fastpath); and H2's metadata, which it answers without SQL.
 */
public final class JdbcInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return JdbcActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new DriverInstrumentation(), new H2ConnectionInstrumentation(), new MariaDbConnectInstrumentation(),
                new PgConnectionInstrumentation(), new ConnectionInstrumentation(),
                new StatementInstrumentation(), new ParameterInstrumentation(), new CallableOutInstrumentation(),
                new PgCopyInstrumentation(), new PgFastpathInstrumentation(), new H2MetadataCreatedInstrumentation(),
                new H2MetadataInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new SqlActionEnricher();
    }
}
