package dev.warden.instrumentation.http;

import dev.warden.bootstrap.CallDepth;
import dev.warden.bootstrap.http.DatagramActions;
import dev.warden.bootstrap.http.NameLookups;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.net.InetAddress;
import javax.naming.NamingException;

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
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("query").and(takesArguments(5)), QueryAdvice.class);
    }

    static final class QueryAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static NamingException onEnter(@Advice.Argument(0) Object name, @Advice.Argument(2) int type,
                                       @Advice.FieldValue("servers") InetAddress[] servers,
                                       @Advice.FieldValue("serverPorts") int[] ports,
                                       @Advice.Local("wardenDepth") CallDepth depth) {
            depth = CallDepth.of(DatagramActions.DEPTH);
            return depth.enter() ? NameLookups.refusalForDnsQuery(name, type, servers, ports) : null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter NamingException denial, @Advice.Local("wardenDepth") CallDepth depth,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            depth.exit();
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
