package dev.warden.agent.context;

import java.util.function.Consumer;

/** The actions recorded before this process started, oldest first. */
public interface History {

    History NONE = each -> { };

    /**
     * Hands every recorded action to {@code each}.
     *
     * @throws RuntimeException when the record cannot be read
     */
    void replay(Consumer<PastAction> each);
}
