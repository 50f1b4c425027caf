package dev.warden.rules;

import dev.warden.rules.approvals.ApprovalPolicy;
import dev.warden.rules.roles.RolePolicy;
import dev.warden.rules.state.StatePolicy;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One YAML policy file: role policies ({@code policies}, {@code actors}) and what the policy says
 * about the past ({@code pricing}, {@code budgets}, {@code limits}, {@code loops}, {@code chains}),
 * risk tiers and the approvals they need ({@code tiers}, {@code approvals}), in one file or several.
 *
 * @param roles     the role policy, or null when the file defines no roles
 * @param state     the file's state sections ({@link StatePolicy#NONE} when it has none)
 * @param approvals the file's tiers and approvals ({@link ApprovalPolicy#NONE} when it has none)
 */
public record PolicyFile(RolePolicy roles, StatePolicy state, ApprovalPolicy approvals) {

    /**
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static PolicyFile parse(byte[] content) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(content, StandardCharsets.UTF_8));
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
        }
        if (!(document instanceof Map)) {
            throw new IllegalArgumentException("the document must be a mapping");
        }
        Map<?, ?> top = (Map<?, ?>) document;
        List<String> known = new ArrayList<>(RolePolicy.KEYS);
        known.addAll(StatePolicy.KEYS);
        known.addAll(ApprovalPolicy.KEYS);
        for (Object key : top.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new IllegalArgumentException("unknown key '" + key + "' (expected " + String.join(", ", known) + ")");
            }
        }
        boolean hasRoles = RolePolicy.KEYS.stream().anyMatch(top::containsKey);
        return new PolicyFile(hasRoles ? RolePolicy.from(top) : null, StatePolicy.parse(top), ApprovalPolicy.parse(top));
    }
}
