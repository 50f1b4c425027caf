package dev.warden.bootstrap.langchain4j;

/**
 * Whether the calling thread runs LangChain4j's compensations: an AI service with {@code compensateOnToolErrors} runs
 * the {@code @CompensateFor} methods of earlier tool calls when a later one returns an error (a refusal is one), each
 * as a call of the tool it compensates, with that call's arguments. The tool decision marks it ({@code
 * tool.compensation}), so that a receipt says it undid the call rather than made it again, and a policy can tell.
 */
public final class Compensations {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Compensations() {
    }

    public static void enter() {
        DEPTH.get()[0]++;
    }

    public static void exit() {
        int[] depth = DEPTH.get();
        if (depth[0] > 0) {
            depth[0]--;
        }
    }

    static boolean running() {
        return DEPTH.get()[0] > 0;
    }
}
