package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.langchain4j.Invocations;
import dev.warden.bootstrap.langchain4j.ToolActions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What the tool advice hands the gate, and what the model reads when the gate refuses. */
class ToolActionsTest {

    private final AtomicReference<ActionRequest> asked = new AtomicReference<>();

    @Test
    void theToolCallIsAToolActionNamedAfterTheTool() throws ReflectiveOperationException {
        asked.set(ToolActions.request("email_send", "{\"to\":\"x@y.example\"}", "call-1", "rita-1", "com.acme.Assistant", "chat",
                Map.of(), true, null, null));

        ActionRequest request = asked.get();
        assertThat(request.surface()).isEqualTo("tool");
        assertThat(request.operation()).isEqualTo("email_send");
        assertThat(request.target()).isEqualTo("email_send");
        assertThat(request.attributes()).containsEntry("tool.arguments", "{\"to\":\"x@y.example\"}")
                .containsEntry("tool.callId", "call-1").containsEntry("tool.known", true)
                .containsEntry("aiService.interface", "com.acme.Assistant").containsEntry("aiService.method", "chat");
    }

    /** Tools of an application: one named by {@code @Tool}, one by its method, one method that is no tool. */
    public static final class Mail {
        @dev.langchain4j.agent.tool.Tool(name = "email_send", value = "Sends an e-mail")
        public String emailSend(String to) {
            return "sent to " + to;
        }

        @dev.langchain4j.agent.tool.Tool("Reads the CRM")
        public String crm_read(String quarter) {
            return quarter;
        }

        public String helper(String text) {
            return text;
        }
    }

    /**
     * A {@code DefaultToolExecutor} runs its method, whatever the request it is handed is named (tenth review, 2026-12-07):
     * the call is that method's tool, the request's name kept as {@code tool.calledAs}; a method without {@code @Tool}
     * names no tool, and the request's name stands.
     */
    @Test
    void anExecutorsCallIsTheToolItsMethodIsWhateverTheRequestIsNamed() throws Exception {
        Mail mail = new Mail();
        Object sends = new dev.langchain4j.service.tool.DefaultToolExecutor(mail, Mail.class.getMethod("emailSend", String.class));
        ActionRequest renamed = ToolActions.request("crm_read", "{\"to\":\"x@y.example\"}", "call-1", null, null, null, null, true,
                sends, null);
        assertThat(renamed.operation()).isEqualTo("email_send");
        assertThat(renamed.target()).isEqualTo("email_send");
        assertThat(renamed.attributes()).containsEntry("tool.name", "email_send").containsEntry("tool.calledAs", "crm_read");

        ActionRequest inAService = ToolActions.request("Email_Send", "{}", null, null, null, null, null, true,
                new Object(), new Object[] {null, sends});
        assertThat(inAService.operation()).isEqualTo("email_send");
        assertThat(inAService.attributes()).containsEntry("tool.calledAs", "Email_Send");

        ActionRequest asNamed = ToolActions.request("email_send", "{}", null, null, null, null, null, true, sends, null);
        assertThat(asNamed.operation()).isEqualTo("email_send");
        assertThat(asNamed.attributes()).doesNotContainKey("tool.calledAs");

        Object reads = new dev.langchain4j.service.tool.DefaultToolExecutor(mail, Mail.class.getMethod("crm_read", String.class));
        assertThat(ToolActions.request("crmRead", "{}", null, null, null, null, null, true, reads, null).operation())
                .as("a @Tool without a name is its method's name").isEqualTo("crm_read");
        Object helps = new dev.langchain4j.service.tool.DefaultToolExecutor(mail, Mail.class.getMethod("helper", String.class));
        ActionRequest specifiedByTheApplication = ToolActions.request("summarise", "{}", null, null, null, null, null, true, helps, null);
        assertThat(specifiedByTheApplication.operation()).isEqualTo("summarise");
        assertThat(specifiedByTheApplication.attributes()).doesNotContainKey("tool.calledAs");
    }

    @Test
    void theMemoryIdIsTheSessionAndInvocationParametersNameTheActorAndTheUser() throws ReflectiveOperationException {
        asked.set(ToolActions.request("crm_read", "{}", null, "rita-1", null, null,
                Map.of("warden.actor", "sales-assistant", "warden.onBehalfOf", "rita"), true, null, null));

        assertThat(asked.get().attributes()).containsEntry("session", "rita-1").containsEntry("memoryId", "rita-1")
                .containsEntry("actor", "sales-assistant").containsEntry("onBehalfOf", "rita");
    }

    @Test
    void anExplicitSessionParameterWinsOverTheMemoryId() throws ReflectiveOperationException {
        asked.set(ToolActions.request("crm_read", "{}", null, "default", null, null, Map.of("warden.session", "ticket-42"), true, null, null));

        assertThat(asked.get().attributes()).containsEntry("session", "ticket-42");
    }

    @Test
    void whatAToolWritesInTheInvocationParametersNamesNobody() throws ReflectiveOperationException {
        Object context = new Object(); // the invocation's InvocationContext: one object for all its steps
        Map<String, Object> parameters = new java.util.concurrent.ConcurrentHashMap<>(
                Map.of("warden.actor", "sales-assistant", "warden.onBehalfOf", "rita"));
        ToolActions.request("remember", "{}", "call-1", "rita-1", null, null, parameters, context, true, null, null);
        parameters.put("warden.onBehalfOf", "max"); // the remember tool's body, with the model's key and value
        parameters.put("warden.session", "fresh");
        parameters.put("warden.actor", "admin");

        asked.set(ToolActions.request("crm_write", "{}", "call-2", "rita-1", null, null, parameters, context, true, null, null));
        assertThat(asked.get().attributes()).containsEntry("onBehalfOf", "rita").containsEntry("actor", "sales-assistant")
                .containsEntry("session", "rita-1");
        Object next = Invocations.enter("rita-1", parameters, "com.acme.Assistant", "chat", context); // a streaming turn
        try {
            asked.set(ToolActions.request("teleport", "{}", "call-3", null, null, null, null, false, null, null));
        } finally {
            Invocations.exit(next);
        }
        assertThat(asked.get().attributes()).containsEntry("onBehalfOf", "rita").containsEntry("session", "rita-1");

        asked.set(ToolActions.request("crm_write", "{}", "call-4", "rita-1", null, null, parameters, new Object(), true, null, null));
        assertThat(asked.get().attributes()).as("another invocation reads its own parameters").containsEntry("onBehalfOf", "max");
    }

    @Test
    void whatAToolWroteIsPutBackWhenItReturnsSoTheNextInvocationOfTheSameParametersBeginsAsTheApplicationLeftThem()
            throws ReflectiveOperationException {
        Map<String, Object> parameters = new java.util.concurrent.ConcurrentHashMap<>(
                Map.of("warden.actor", "sales-assistant", "warden.onBehalfOf", "rita", "note", "kept"));
        Object proxy = new Object(); // the service's proxy sees one InvocationContext, its tool calls (1.19) another
        Invocations.exit(Invocations.enter("rita-1", parameters, "com.acme.Assistant", "chat", proxy));
        Object tool = new Object();
        parameters.put("warden.onBehalfOf", "max"); // the remember tool's body
        parameters.put("warden.session", "fresh");
        parameters.put("note", "written");
        ToolActions.returned(tool, parameters);
        assertThat(parameters).containsEntry("warden.onBehalfOf", "rita").doesNotContainKey("warden.session")
                .as("other keys are the tools' to pass on").containsEntry("note", "written");

        parameters.put("warden.onBehalfOf", "max"); // the application's own choice, between its requests
        asked.set(ToolActions.request("crm_write", "{}", "call-1", "max-1", null, null, parameters, new Object(), true, null, null));
        assertThat(asked.get().attributes()).containsEntry("onBehalfOf", "max");
    }

    @Test
    void callsWithoutContextInheritTheIdentityOfTheAiServiceInvocationOnTheirThread() throws ReflectiveOperationException {
        Object previous = Invocations.enter("max-7", Map.of("warden.actor", "sales-assistant", "warden.onBehalfOf", "max"),
                "com.acme.Assistant", "chat", null);
        try {
            asked.set(ToolActions.request("teleport", "{}", "call-9", null, null, null, null, false, null, null));
        } finally {
            Invocations.exit(previous);
        }

        assertThat(asked.get().attributes()).containsEntry("session", "max-7").containsEntry("actor", "sales-assistant")
                .containsEntry("onBehalfOf", "max").containsEntry("tool.known", false)
                .containsEntry("aiService.interface", "com.acme.Assistant");
        asked.set(ToolActions.request("teleport", "{}", "call-10", null, null, null, null, false, null, null));
        assertThat(asked.get().attributes()).doesNotContainKeys("session", "actor", "aiService.interface");
    }

    @Test
    void theModelReadsWhichRuleRefusedWhyAndUnderWhichReceipt() {
        Decision refusal = new Decision(Outcome.DENY, true, List.of("no mail"), "mail is off", "receipt-1", Obligations.NONE);

        assertThat(ToolActions.refusalText(refusal)).isEqualTo("warden: denied by no mail: mail is off (receipt receipt-1)");
    }
}
