package dev.warden.agent.control;

import dev.warden.agent.config.Mode;

/** The MBean of one surface. */
final class SurfaceControl implements SurfaceMXBean {
    private final String surface;
    private final Switchboard switches;
    private final DecisionCounters counters;
    private final LooseningGuard guard;

    SurfaceControl(String surface, Switchboard switches, DecisionCounters counters, LooseningGuard guard) {
        this.surface = surface;
        this.switches = switches;
        this.counters = counters;
        this.guard = guard;
    }

    @Override
    public String getMode() {
        return SwitchCalls.name(switches.current().mode(surface));
    }

    @Override
    public void setMode(String mode) {
        Mode wanted = SwitchCalls.mode(mode);
        Operator who = Operator.jmx(null);
        if (wanted != Mode.ENFORCE) {
            guard.check("mode", surface, SwitchCalls.name(wanted), who, null); // an attribute carries no proof
        }
        guard.make(() -> switches.mode(wanted, surface, who));
    }

    @Override
    public String getKilled() {
        String reason = switches.current().killReason(surface);
        return reason == null ? "" : reason;
    }

    @Override
    public void kill(String reason) {
        guard.make(() -> switches.kill(surface, reason, Operator.jmx(null)));
    }

    @Override
    public long getDecisions() {
        return counters.of(surface).total();
    }

    @Override
    public long getPermits() {
        return counters.of(surface).permits();
    }

    @Override
    public long getDenials() {
        return counters.of(surface).denials();
    }

    @Override
    public long getSilences() {
        return counters.of(surface).silences();
    }

    @Override
    public long getHolds() {
        return counters.of(surface).holds();
    }

    @Override
    public long getNotEnforced() {
        return counters.of(surface).notEnforced();
    }
}
