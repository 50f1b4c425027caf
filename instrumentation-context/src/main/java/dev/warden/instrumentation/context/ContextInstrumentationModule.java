package dev.warden.instrumentation.context;

import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * Who an action is for follows work from thread to thread: a task handed to a
 * {@code ThreadPoolExecutor} (every {@code ExecutorService} the JDK's {@code Executors} make, the
 * scheduled one included), to a {@code ForkJoinPool} (the common pool, {@code CompletableFuture}'s
 * async stages, parallel streams, and on JDK 25 its delayed tasks), or a thread started, platform or virtual, carries the identity of
 * the thread that handed it off ({@code dev.warden.bootstrap.Handoffs}); a {@code CompletableFuture}'s
 * dependent stage, that of the thread that made it, whichever thread completes the stage before it. No surface: it decides
 * nothing, and is installed whatever {@code surfaces=} names.
 */
public final class ContextInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return "context";
    }

    @Override
    public boolean isSurface() {
        return false;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new ThreadInstrumentation(), new ThreadInstrumentation.Subclasses(), new ThreadInstrumentation.Virtual(),
                new ThreadPoolExecutorInstrumentation(), new ThreadPoolExecutorInstrumentation.Worker(),
                new ThreadPoolExecutorInstrumentation.Scheduled(),
                new ForkJoinInstrumentation(), new ForkJoinInstrumentation.Queue(), new ForkJoinInstrumentation.Pool(),
                new ForkJoinInstrumentation.Scheduled(),
                new CompletableFutureInstrumentation(), new CompletableFutureInstrumentation.Stages());
    }

    @Override
    public ActionEnricher enricher() {
        throw new UnsupportedOperationException("the context module decides no action");
    }
}
