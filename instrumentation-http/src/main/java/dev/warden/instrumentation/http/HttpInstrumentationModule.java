package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.HttpActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code http} surface: one decision per request, and one per redirect hop, for every client
 * that is instrumented here. Clients built on these (Spring's {@code RestClient} and
 * {@code RestTemplate}, LangChain4j's HTTP clients) are covered through them.
 */
public final class HttpInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return HttpActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new JdkHttpClientInstrumentation(), new JdkRedirectInstrumentation(), new JdkRetryInstrumentation(),
                new JdkRequestFiltersInstrumentation(), new JdkConnectionPoolInstrumentation(),
                new HttpUrlConnectionInstrumentation(), new UrlConnectionClientInstrumentation(),
                new OkHttpCallInstrumentation(), new OkHttpFollowUpInstrumentation(), new OkHttpFollowUpInstrumentation.WriteInstrumentation(),
                new ApacheClassicInstrumentation(), new ApacheClassicInstrumentation.WriteInstrumentation(),
                new ApacheAsyncInstrumentation(), new ApacheAsyncInstrumentation.WriteInstrumentation(),
                new Apache4Instrumentation(), new Apache4Instrumentation.WriteInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new EgressActionEnricher(EgressActionEnricher.HTTP_FACTS);
    }
}
