package dev.warden.jmh.tool;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One LangChain4j tool call — a real {@code @Tool} method behind {@code DefaultToolExecutor}, JSON
 * arguments, an invocation context naming the actor and the user — as an AI service makes it.
 * Subclasses run it with and without Warden in one JMH run; under Warden the call is permitted by the
 * S2 role policy (YAML compiled to rules) after a DRL classification rule, and gets a receipt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ToolCall {

    /** The tool: cheap on purpose, so that what is measured is the call path, not the work. */
    public static final class Crm {
        @Tool(name = "crm_read", value = "Reads the pipeline of a quarter")
        public String crmRead(@P("quarter") String quarter) {
            return quarter + " pipeline: 2 open deals";
        }
    }

    private DefaultToolExecutor executor;
    private InvocationContext context;
    private long calls;

    @Setup(Level.Trial)
    public void prepare() throws NoSuchMethodException {
        executor = new DefaultToolExecutor(new Crm(), Crm.class.getMethod("crmRead", String.class));
        context = InvocationContext.builder().chatMemoryId("bench-session")
                .invocationParameters(InvocationParameters.from(Map.of("warden.actor", "sales-assistant", "warden.onBehalfOf", "rita")))
                .build();
    }

    /** Every call has its own id, as the model's calls do: nothing about a call is the same twice. */
    @Benchmark
    public ToolExecutionResult toolCall() {
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("call-" + ++calls).name("crm_read")
                .arguments("{\"quarter\":\"Q1\"}").build();
        return executor.executeWithContext(request, context);
    }
}
