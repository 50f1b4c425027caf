package dev.warden.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One decision per logical action, and only per logical action. */
class ActionScopeTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @BeforeEach
    void permitEverything() {
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(Outcome.PERMIT, true, List.of("r"), "ok", "receipt-" + decided.size(), Obligations.NONE);
        });
    }

    @AfterEach
    void clear() {
        TestGate.clear();
    }

    private static ActionRequest sql(String text) {
        return ActionRequest.of("jdbc", Map.of("sql", text));
    }

    @Test
    void theInnerHalfOfTheSameActionInheritsTheOuterDecision() {
        ActionScope proxy = ActionScope.enter("jdbc");
        Decision outer = proxy.decide(sql("SELECT 1"));
        ActionScope driver = ActionScope.enter("jdbc");
        Decision inner = driver.decide(sql("SELECT 1"));
        driver.exit();
        proxy.exit();

        assertThat(decided).hasSize(1);
        assertThat(inner).isSameAs(outer);
        assertThat(driver.inherited()).isTrue();
    }

    /** Eighth review, 2026-12-07: a scope opened and decided by code that is not the JDK's exempts no JDK part. */
    @Test
    void aPartOfAnEnclosingCallInheritsNothingFromAScopeTheHostOpenedAndHadDecided() {
        ActionScope earned = ActionScope.enter("net.datagram");
        earned.decide(ActionRequest.of("net", Map.of("op", "RESOLVE permitted")));
        ActionScope send = ActionScope.enter("net.datagram");
        send.decideAsPartOfEnclosing(ActionRequest.of("net", Map.of("op", "SEND forbidden")));
        ActionScope part = ActionScope.enter("net.datagram");
        part.decideAsPartOfEnclosing(ActionRequest.of("net", Map.of("op", "SEND forbidden, its part")));
        part.exit();
        send.exit();
        earned.exit();

        assertThat(decided).extracting(request -> request.attribute("op"))
                .containsExactly("RESOLVE permitted", "SEND forbidden", "SEND forbidden, its part");
        assertThat(send.inherited()).isFalse();
        assertThat(part.inherited()).as("asked from this class, not the JDK's").isFalse();
    }

    @Test
    void aDifferentActionUnderADecidedOneIsDecidedOnItsOwn() {
        ActionScope select = ActionScope.enter("jdbc");
        select.decide(sql("SELECT f()"));
        ActionScope callback = ActionScope.enter("jdbc");
        callback.decide(sql("DELETE FROM notes"));
        callback.exit();
        select.exit();

        assertThat(decided).extracting(request -> request.attribute("sql")).containsExactly("SELECT f()", "DELETE FROM notes");
    }

    @Test
    void aDecisionCoversOneExecutionOnly() {
        ActionScope wrapper = ActionScope.enter("jdbc");
        wrapper.decide(sql("INSERT INTO log VALUES (1)"));
        for (int i = 0; i < 3; i++) {
            ActionScope inner = ActionScope.enter("jdbc");
            inner.decide(sql("INSERT INTO log VALUES (1)"));
            inner.exit();
        }
        wrapper.exit();

        assertThat(decided).hasSize(3); // the wrapper's, then the second and third inner runs
    }

    @Test
    void theSameCarrierIsTheSameActionWhateverItsRequestSays() {
        Object toolRequest = new Object();
        ActionScope service = ActionScope.enter("tool");
        service.decide(ActionRequest.of("tool", Map.of("context", "full")), toolRequest);
        ActionScope executor = ActionScope.enter("tool");
        executor.decide(ActionRequest.of("tool", Map.of()), toolRequest);
        executor.exit();
        service.exit();

        assertThat(decided).hasSize(1);
    }

    /**
     * Thirteenth review, 2026-12-08: an executor of the application's, decided as the request names the tool and with the
     * arguments as written, hands the same request to LangChain4j's executor, which runs another tool's method, or binds
     * the arguments as its method receives them: the carrier does not carry the decision to it
     * ({@link dev.warden.bootstrap.langchain4j.ToolActions#carrier}).
     */
    @Test
    void theSameToolRequestHandedToAnExecutorThatKnowsWhatRunsIsDecidedAsItRuns() {
        Object toolRequest = new Object();
        ActionRequest read = new ActionRequest("tool", "crm_read", "crm_read", Map.of("tool.arguments", "{}"));
        ActionRequest send = new ActionRequest("tool", "email_send", "email_send", Map.of("tool.arguments", "{}"));
        ActionRequest bound = new ActionRequest("tool", "crm_read", "crm_read", Map.of("tool.arguments", "{}",
                dev.warden.bootstrap.langchain4j.EnumParameters.ATTRIBUTE, Map.of("visibility", List.of("PRIVATE", "PUBLIC"))));
        ActionScope decorator = ActionScope.enter("tool");
        decorator.decide(read, dev.warden.bootstrap.langchain4j.ToolActions.carrier(read, toolRequest));
        ActionScope sameTool = ActionScope.enter("tool");
        sameTool.decide(read, dev.warden.bootstrap.langchain4j.ToolActions.carrier(read, toolRequest));
        ActionScope otherTool = ActionScope.enter("tool");
        otherTool.decide(send, dev.warden.bootstrap.langchain4j.ToolActions.carrier(send, toolRequest));
        otherTool.exit();
        ActionScope binding = ActionScope.enter("tool");
        binding.decide(bound, dev.warden.bootstrap.langchain4j.ToolActions.carrier(bound, toolRequest));
        ActionScope sameBinding = ActionScope.enter("tool");
        sameBinding.decide(bound, dev.warden.bootstrap.langchain4j.ToolActions.carrier(bound, toolRequest));
        sameBinding.exit();
        binding.exit();
        sameTool.exit();
        decorator.exit();

        assertThat(sameTool.inherited()).isTrue();
        assertThat(otherTool.inherited()).isFalse();
        assertThat(binding.inherited()).isFalse();
        assertThat(sameBinding.inherited()).isTrue();
        assertThat(decided).containsExactly(read, send, bound);
    }

    @Test
    void anEqualToolCallAModelWroteInsideAToolCallIsDecidedOnItsOwn() {
        ActionRequest call = ActionRequest.of("tool", Map.of("tool.name", "delegate", "tool.arguments", "{\"task\":\"again\"}"));
        Object outerRequest = new Object();
        ActionScope service = ActionScope.enter("tool");
        service.decide(call, outerRequest);
        ActionScope executor = ActionScope.enter("tool");
        executor.decide(call, outerRequest); // the executor's half of the same call, by its carrier
        ActionScope.modelAsked("tool");   // the tool's code asks a model (a nested AI service)...
        ActionScope nested = ActionScope.enter("tool");
        nested.decide(call, new Object()); // ...which asks for the same call again
        ActionScope nestedExecutor = ActionScope.enter("tool");
        nestedExecutor.decide(call, null);
        nestedExecutor.exit();
        nested.exit();
        executor.exit();
        service.exit();

        assertThat(decided).as("the outer call, then the model's call and not its executor's half").hasSize(2);
        assertThat(executor.inherited()).isTrue();
        assertThat(nested.inherited()).isFalse();
        assertThat(nestedExecutor.inherited()).isTrue();
    }

    @Test
    void afterAModelWasAskedNotEvenTheSameCarrierInherits() {
        Object cachedRequest = new Object(); // a cache of responses hands the same request object out again
        ActionScope executor = ActionScope.enter("tool");
        executor.decide(ActionRequest.of("tool", Map.of("tool.name", "delegate")), cachedRequest);
        ActionScope.modelAsked("tool");
        ActionScope nested = ActionScope.enter("tool");
        nested.decide(ActionRequest.of("tool", Map.of("tool.name", "delegate")), cachedRequest);
        nested.exit();
        executor.exit();

        assertThat(decided).hasSize(2);
        assertThat(nested.inherited()).isFalse();
    }

    @Test
    void aModelAskedOnAnotherSurfaceOrThreadEndsNoInnerHalf() throws Exception {
        ActionScope proxy = ActionScope.enter("jdbc");
        proxy.decide(sql("SELECT 1"));
        ActionScope.modelAsked("tool");
        Thread other = new Thread(() -> ActionScope.modelAsked("jdbc"));
        other.start();
        other.join();
        ActionScope driver = ActionScope.enter("jdbc");
        driver.decide(sql("SELECT 1"));
        driver.exit();
        proxy.exit();

        assertThat(decided).hasSize(1);
    }

    @Test
    void scopesOpenedWithoutADecisionExemptNothing() {
        ActionScope opened = ActionScope.enter("jdbc");
        ActionScope statement = ActionScope.enter("jdbc");
        statement.decide(sql("DROP TABLE notes"));
        statement.exit();
        opened.exit();

        assertThat(decided).hasSize(1);
    }

    @Test
    void aScopeLeftOpenByACalleeIsClosedWithItsCaller() {
        ActionScope outer = ActionScope.enter("jdbc");
        outer.decide(sql("SELECT 1"));
        ActionScope leaked = ActionScope.enter("jdbc");
        leaked.decide(sql("SELECT 1"));
        outer.exit(); // the callee never exited

        ActionScope next = ActionScope.enter("jdbc");
        next.decide(sql("SELECT 1"));
        next.exit();
        assertThat(decided).hasSize(2);
        assertThat(ActionScope.innermostDecided("jdbc")).isNull();
    }

    @Test
    void surfacesAndThreadsDoNotShareScopes() throws Exception {
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(sql("SELECT 1"));
        ActionScope jdbc = ActionScope.enter("jdbc");
        jdbc.decide(sql("SELECT 1"));
        Thread other = new Thread(() -> {
            ActionScope scope = ActionScope.enter("tool");
            scope.decide(sql("SELECT 1"));
            scope.exit();
        });
        other.start();
        other.join();
        jdbc.exit();
        tool.exit();

        assertThat(decided).hasSize(3);
    }

    @Test
    void wardensOwnWorkIsRecognised() {
        ActionScope scope = ActionScope.enter("jdbc");
        assertThat(scope.isWardensOwn()).isFalse();
        TestGate.capability().runInternally(() -> {
            ActionScope own = ActionScope.enter("jdbc");
            assertThat(own.isWardensOwn()).isTrue();
            own.exit();
        });
        scope.exit();
    }
}
