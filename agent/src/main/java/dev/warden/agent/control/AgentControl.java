package dev.warden.agent.control;

import dev.warden.agent.config.Mode;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The MBean of the agent. */
public final class AgentControl implements AgentMXBean {
    private final Switchboard switches;
    private final DecisionCounters counters;
    private final Supplier<String> policyVersion;
    private final LastCheckpoint checkpoint;
    private final LongSupplier siemWritten;
    private final LongSupplier siemDropped;
    private final PolicyCalls policy;
    private final LooseningGuard guard;

    public AgentControl(Switchboard switches, DecisionCounters counters, Supplier<String> policyVersion, LastCheckpoint checkpoint,
                        LongSupplier siemWritten, LongSupplier siemDropped, PolicyCalls policy, SwitchKey key) {
        this.switches = switches;
        this.counters = counters;
        this.policyVersion = policyVersion;
        this.checkpoint = checkpoint;
        this.siemWritten = siemWritten;
        this.siemDropped = siemDropped;
        this.policy = policy;
        this.guard = new LooseningGuard(switches, key, key.challenges(java.time.Clock.systemUTC()));
    }

    /** The MBeans of each gated surface. */
    Map<String, SurfaceMXBean> surfaces() {
        Map<String, SurfaceMXBean> beans = new TreeMap<>();
        switches.surfaces().forEach(surface -> beans.put(surface, new SurfaceControl(surface, switches, counters, guard)));
        return beans;
    }

    @Override
    public String getMode() {
        return SwitchCalls.name(switches.current().mode());
    }

    @Override
    public void setMode(String mode) {
        mode(mode, null, null, null); // an attribute carries no proof: enforce only
    }

    @Override
    public String getKilled() {
        String reason = switches.current().killedAll();
        return reason == null ? "" : reason;
    }

    @Override
    public String[] getKilledSurfaces() {
        return new TreeMap<>(switches.current().killed()).entrySet().stream()
                .map(entry -> entry.getKey() + ": " + entry.getValue()).toArray(String[]::new);
    }

    @Override
    public String[] getSurfaces() {
        return switches.surfaces().stream().sorted().toArray(String[]::new);
    }

    @Override
    public String getPolicyVersion() {
        String version = policyVersion.get();
        return version == null ? "" : version;
    }

    @Override
    public long getDecisions() {
        return counters.all().total();
    }

    @Override
    public long getPermits() {
        return counters.all().permits();
    }

    @Override
    public long getDenials() {
        return counters.all().denials();
    }

    @Override
    public long getSilences() {
        return counters.all().silences();
    }

    @Override
    public long getHolds() {
        return counters.all().holds();
    }

    @Override
    public long getNotEnforced() {
        return counters.all().notEnforced();
    }

    @Override
    public long getLastCheckpointSize() {
        return checkpoint.size();
    }

    @Override
    public String getLastCheckpointTime() {
        return checkpoint.time();
    }

    @Override
    public long getSiemWritten() {
        return siemWritten.getAsLong();
    }

    @Override
    public long getSiemDropped() {
        return siemDropped.getAsLong();
    }

    @Override
    public String challenge(String callerNonce) {
        return guard.challenge(callerNonce);
    }

    @Override
    public String attest(String callerNonce) {
        return guard.attest(callerNonce, status());
    }

    @Override
    public void mode(String mode, String surface, String operator, String proof) {
        Mode wanted = SwitchCalls.mode(mode);
        Operator who = Operator.jmx(operator);
        if (wanted == Mode.ENFORCE) {
            guard.make(() -> switches.mode(wanted, surface, who));
        } else {
            guard.loosen(() -> switches.mode(wanted, surface, who), "mode", surface, SwitchCalls.name(wanted), who, proof,
                    mode, surface, operator);
        }
    }

    @Override
    public void kill(String surface, String reason, String operator) {
        guard.make(() -> switches.kill(surface, reason, Operator.jmx(operator)));
    }

    @Override
    public void revive(String surface, String operator, String proof) {
        Operator who = Operator.jmx(operator);
        guard.loosen(() -> switches.revive(surface, who), "revive", surface, null, who, proof, surface, operator);
    }

    @Override
    public String reload(String operator, String proof) {
        Operator who = Operator.jmx(operator);
        return guard.loosenPolicy(() -> policy.reload(who), this::getPolicyVersion, "reload", null, who, proof, operator);
    }

    @Override
    public String rollback(String version, String operator, String proof) {
        Operator who = Operator.jmx(operator);
        return guard.loosenPolicy(() -> policy.rollback(version, who), this::getPolicyVersion, "rollback", version, who, proof,
                version, operator);
    }

    /**
     * A kill's reason as one line: anyone may kill (a tightening takes no key), so a reason is anyone's text, and a line
     * break in it would put a line of its choosing among the ones the CLI reads a switch's effect from (a surrogate is
     * escaped too: UTF-8 would make a lone one '?', and two statuses one attestation).
     */
    private static String oneLine(String reason) {
        StringBuilder line = new StringBuilder(reason.length());
        reason.chars().forEach(c -> {
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate((char) c)) {
                line.append(String.format("\\u%04x", c));
            } else {
                line.append((char) c);
            }
        });
        return line.toString();
    }

    @Override
    public String status() {
        Switches now = switches.current();
        StringBuilder out = new StringBuilder();
        out.append("mode ").append(SwitchCalls.name(now.mode()))
                .append(now.killedAll() == null ? "" : ", KILLED: " + oneLine(now.killedAll())).append('\n');
        out.append("policy ").append(getPolicyVersion()).append('\n');
        DecisionCounters.Counts all = counters.all();
        out.append(String.format("decisions %d: %d permit, %d deny, %d silence, %d hold, %d not enforced%n",
                all.total(), all.permits(), all.denials(), all.silences(), all.holds(), all.notEnforced()));
        out.append("last checkpoint ").append(checkpoint.size() < 0 ? "none" : "size " + checkpoint.size() + " at " + checkpoint.time()).append('\n');
        out.append("siem ").append(getSiemWritten()).append(" written, ").append(getSiemDropped()).append(" dropped\n");
        for (String surface : getSurfaces()) {
            DecisionCounters.Counts counts = counters.of(surface);
            String killed = now.killReason(surface);
            out.append(String.format("surface %s: mode %s%s, %d decisions (%d permit, %d deny, %d silence, %d hold)%n", surface,
                    SwitchCalls.name(now.mode(surface)), killed == null ? "" : ", KILLED: " + oneLine(killed), counts.total(),
                    counts.permits(), counts.denials(), counts.silences(), counts.holds()));
        }
        return out.toString();
    }
}
