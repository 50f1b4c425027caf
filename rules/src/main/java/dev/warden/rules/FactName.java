package dev.warden.rules;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@link Action} method whose first argument names a fact, so that the rule linter learns the
 * helpers from the fact model itself: {@code text("url.host")} names an attribute, {@code
 * state("session.labels")} a fact of the context stage.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FactName {

    Kind value();

    /** Where the named fact comes from. */
    enum Kind {
        /** An attribute of the action, as its surface describes it. */
        ATTRIBUTE,
        /** What the agent did before, as the context stage keeps it. */
        STATE
    }
}
