package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;

/**
 * An application's tool whose results the policy restricts (CRM data reaches the model masked) and
 * whose result object throws when read: a result of the application's own subclass whose
 * {@code isError()} throws, and a result whose text supplier throws an {@code Error}. Warden must read
 * a restricted result to filter it; one it cannot read is withheld from the model, never thrown at
 * the caller. Then a tool the policy does not permit, on the same thread: decided and refused.
 *
 * <pre>
 *   java ToolResultFailureHost
 *   out: STEP NAME error=B text=TEXT | STEP NAME FAILED exception | DONE
 * </pre>
 */
public final class ToolResultFailureHost {

    private static final String CUSTOMER = "customer=Ada ssn=123-45-6789";

    public static void main(String[] args) {
        step("result-is-error-throws", new CrmTool(new ToolExecutionResult(ToolExecutionResult.builder().resultText(CUSTOMER)) {
            @Override
            public boolean isError() {
                throw new IllegalStateException("the result's state is not known yet");
            }
        }), "crm_read");
        step("result-text-throws-an-error", new CrmTool(ToolExecutionResult.builder().resultTextSupplier(() -> {
            throw new AssertionError("the result's text cannot be rendered");
        }).build()), "crm_read");
        step("next-tool", new CrmTool(ToolExecutionResult.builder().resultText("refunded").build()), "refund");
        System.out.println("DONE");
    }

    private static void step(String name, ToolExecutor tool, String toolName) {
        ToolExecutionRequest request = ToolExecutionRequest.builder().id(name).name(toolName).arguments("{}").build();
        try {
            ToolExecutionResult result = tool.executeWithContext(request, null);
            System.out.println("STEP " + name + " error=" + result.isError() + " text=" + result.resultText());
        } catch (Throwable failure) {
            System.out.println("STEP " + name + " FAILED " + failure.getClass().getName());
        }
    }

    /** The application's tool: answers every call with the result it was given. */
    private static final class CrmTool implements ToolExecutor {
        private final ToolExecutionResult result;

        CrmTool(ToolExecutionResult result) {
            this.result = result;
        }

        @Override
        public String execute(ToolExecutionRequest request, Object memoryId) {
            return CUSTOMER;
        }

        @Override
        public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
            return result;
        }
    }

    private ToolResultFailureHost() {
    }
}
