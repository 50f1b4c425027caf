package dev.warden.e2e;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A class whose subject is Warden's own reading or tooling, which no difference between JDKs reaches: the exhaustive
 * matrices of how SQL text, tool arguments and scopes are read, how rules are compiled, rulings recalled and actions
 * decided in context (roles, limits, budgets, what an approval binds, risk tiers and how an approval is signed,
 * checked and waited for), the settings of a JDBC URL read at connect, rules reloaded and rolled back, the state a
 * start restores from its snapshot and log or hosts share in Redis, receipts kept as deployments keep them (writers,
 * keys, rotation, prune) and as a host's retry loop and a full disk leave them,
 * how Warden fails closed on its own failures (rules that throw or do not compile, a tampered policy cache, an unwritable
 * receipts directory, settings that cannot work), where the launcher unpacks its jars and what it keeps open, and the auditors' and operators' command lines run outside the host. The host JVMs such a class starts only feed that logic, and every surface they use is run on
 * each JDK by other classes. {@code scripts/test.sh} runs these once, with hosts on JDK 17, and leaves them out of the
 * JDK 25 pass, which keeps the whole run within its time budget.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(SameOnEveryJdk.TAG)
@interface SameOnEveryJdk {

    String TAG = "same-on-every-jdk";
}
