package dev.warden.e2e.host.adversary;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;

/**
 * A tool whose only effect is visible outside the host: a GET to {@code /api/effect/TECHNIQUE/TOOL}
 * on the test's counting server. That request is one the least-privilege policy permits, so it
 * arrives exactly when the tool ran; the tool itself is one the policy does not permit (except
 * {@code lookup_note}).
 */
public class EffectTool implements ToolExecutor {

    private final Adversary adversary;
    private final String technique;

    public EffectTool(Adversary adversary, String technique) {
        this.adversary = adversary;
        this.technique = technique;
    }

    public static ToolExecutionRequest request(String toolName) {
        return ToolExecutionRequest.builder().id("call-" + toolName).name(toolName).arguments("{}").build();
    }

    @Override
    public String execute(ToolExecutionRequest request, Object memoryId) {
        try {
            return "ran " + adversary.effect(technique, request == null ? "null-request" : request.name());
        } catch (Exception e) {
            return "ran, effect failed: " + Techniques.describe(e);
        }
    }

    @Override
    public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
        return ToolExecutionResult.builder().resultText(execute(request, null)).build();
    }
}
