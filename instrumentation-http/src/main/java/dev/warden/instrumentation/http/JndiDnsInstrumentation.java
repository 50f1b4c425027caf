package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.DatagramActions;
import dev.warden.bootstrap.http.NameLookups;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.net.InetAddress;
import javax.naming.NamingException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * JNDI's DNS provider ({@code dns:} URLs, {@code InitialDirContext} with the DNS factory): every record
 * it looks up is one {@code com.sun.jndi.dns.DnsClient.query}, which tries each configured server in
 * turn over UDP (and TCP for long answers). The datagrams it sends for a query are the query's, not
 * decided again; a TCP retry is a {@code net} connect of its own. Zone transfers ({@code queryZone})
 * are TCP only, decided as connects.
 */
final class JndiDnsInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.sun.jndi.dns.DnsClient");
    }

    @Override
    public List<String> requiredJdkTypes() {
        // Its module may be left out of a runtime image (jlink): then there is nothing of it to gate.
        return ModuleLayer.boot().findModule("jdk.naming.dns").isPresent() ? List.of("com.sun.jndi.dns.DnsClient") : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("query").and(takesArguments(5)), QueryAdvice.class);
    }

    static final class QueryAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static NamingException onEnter(@Advice.Argument(0) Object name, @Advice.Argument(2) int type,
                                       @Advice.FieldValue("servers") InetAddress[] servers,
                                       @Advice.FieldValue("serverPorts") int[] ports,
                                       @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return NameLookups.refusalForDnsQuery(scope, name, type, servers, ports);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter NamingException denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
