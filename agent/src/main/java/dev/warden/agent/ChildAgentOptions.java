package dev.warden.agent;

import dev.warden.agent.config.WardenConfig;
import dev.warden.bootstrap.process.ChildAgent;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Publishes, once at start and before any instrumentation, whether child JVMs get Warden and with
 * which arguments ({@code child-agent}). A child gets this JVM's effective configuration as explicit
 * agent arguments, paths made absolute (its working directory may differ), so that neither its own
 * system properties nor its environment can weaken it; only the receipts directory differs, as a
 * receipt log has one writer.
 */
final class ChildAgentOptions {

    private ChildAgentOptions() {
    }

    static void publish(WardenConfig config) {
        if (!config.childAgent()) {
            ChildAgent.publishOff();
            return;
        }
        Path receipts = config.receipts().toAbsolutePath().normalize();
        ChildAgent.publish(agentJar().toString(), arguments(config), receipts + ".children");
    }

    static String arguments(WardenConfig config) {
        List<String> arguments = new ArrayList<>();
        arguments.add("rules=" + config.rules().toAbsolutePath().normalize());
        if (config.key() != null) {
            arguments.add("key=" + config.key().toAbsolutePath().normalize());
        }
        arguments.add("mode=" + config.mode().name().toLowerCase(Locale.ROOT));
        arguments.add("actor=" + config.actor());
        arguments.add("surfaces=" + String.join(",", config.surfaces()));
        arguments.add("policy-wait=" + config.policyWait().toMillis());
        arguments.add("checkpoint-every=" + config.checkpointEvery());
        arguments.add("checkpoint-interval=" + config.checkpointInterval().toMillis());
        arguments.add("sign-every-receipt=" + config.signEveryReceipt());
        arguments.add("reuse-rulings=" + config.reuseRulings());
        arguments.add("receipts-min-free=" + config.receiptsMinFree());
        arguments.add("refusal-window=" + config.refusalWindow().toMillis());
        // The child shares the parent's compiled policies (same rules, same build).
        arguments.add("cache=" + (config.cache() == null ? "off" : config.cache().toAbsolutePath().normalize()));
        arguments.add("log=" + config.log().name().toLowerCase(Locale.ROOT));
        arguments.add("child-agent=true");
        return String.join(",", arguments);
    }

    /** The agent jar: where the launcher, the only Warden class on the application's class path, was loaded from. */
    private static Path agentJar() {
        try {
            Class<?> launcher = Class.forName("dev.warden.agent.launcher.WardenLauncher", false, ClassLoader.getSystemClassLoader());
            return Path.of(launcher.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("child-agent=true, but the agent jar cannot be located: " + e, e);
        }
    }
}
