package dev.warden.agent.control;

import dev.warden.agent.config.Mode;

import java.util.HashMap;
import java.util.Map;

/**
 * The operator's switches at one moment, immutable: the agent's mode, modes set per surface, and the
 * kill switches (all surfaces, or one) with their reasons. The engine reads one snapshot per decision
 * (a volatile read); a switch replaces the snapshot whole.
 *
 * @param mode        the agent's mode, for surfaces without a mode of their own
 * @param surfaceMode modes set per surface
 * @param killedAll   the reason every surface is refused, or null
 * @param killed      reasons per surface refused
 */
public record Switches(Mode mode, Map<String, Mode> surfaceMode, String killedAll, Map<String, String> killed) {

    public Switches {
        surfaceMode = Map.copyOf(surfaceMode);
        killed = Map.copyOf(killed);
    }

    public static Switches of(Mode mode) {
        return new Switches(mode, Map.of(), null, Map.of());
    }

    /** The reason {@code surface} is refused by a kill switch, or null. The whole agent's kill wins. */
    public String killReason(String surface) {
        return killedAll != null ? killedAll : killed.isEmpty() ? null : killed.get(surface);
    }

    /** The mode {@code surface} runs in: its own if one was set, else the agent's. */
    public Mode mode(String surface) {
        return surfaceMode.isEmpty() ? mode : surfaceMode.getOrDefault(surface, mode);
    }

    /** {@code surface} null: the agent's mode, which also clears the modes set per surface. */
    Switches withMode(String surface, Mode newMode) {
        if (surface == null) {
            return new Switches(newMode, Map.of(), killedAll, killed);
        }
        Map<String, Mode> modes = new HashMap<>(surfaceMode);
        modes.put(surface, newMode);
        return new Switches(mode, modes, killedAll, killed);
    }

    Switches withKill(String surface, String reason) {
        if (surface == null) {
            return new Switches(mode, surfaceMode, reason, killed);
        }
        Map<String, String> reasons = new HashMap<>(killed);
        reasons.put(surface, reason);
        return new Switches(mode, surfaceMode, killedAll, reasons);
    }

    /** {@code surface} null: every kill switch is released, the agent's and each surface's. */
    Switches revived(String surface) {
        if (surface == null) {
            return new Switches(mode, surfaceMode, null, Map.of());
        }
        Map<String, String> reasons = new HashMap<>(killed);
        reasons.remove(surface);
        return new Switches(mode, surfaceMode, killedAll, reasons);
    }
}
