package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.jdbc.JdbcActions;
import net.bytebuddy.asm.Advice;

/**
 * The constructor of a driver's API object that acts for one connection (pgjdbc's {@code CopyManager}
 * and {@code Fastpath} take it as their only argument): which connection its calls are made through.
 */
final class DriverApiCreatedAdvice {

    private DriverApiCreatedAdvice() {
    }

    @Advice.OnMethodExit
    static void onExit(@Advice.This Object api, @Advice.Argument(0) Object connection) {
        JdbcActions.driverApiCreated(api, connection);
    }
}
