package dev.warden.agent.control;

/** The MBean of one surface. */
final class SurfaceControl implements SurfaceMXBean {
    private final String surface;
    private final Switchboard switches;
    private final DecisionCounters counters;

    SurfaceControl(String surface, Switchboard switches, DecisionCounters counters) {
        this.surface = surface;
        this.switches = switches;
        this.counters = counters;
    }

    @Override
    public String getMode() {
        return SwitchCalls.name(switches.current().mode(surface));
    }

    @Override
    public void setMode(String mode) {
        SwitchCalls.run(() -> switches.mode(SwitchCalls.mode(mode), surface, Operator.jmx(null)));
    }

    @Override
    public String getKilled() {
        String reason = switches.current().killReason(surface);
        return reason == null ? "" : reason;
    }

    @Override
    public void kill(String reason) {
        SwitchCalls.run(() -> switches.kill(surface, reason, Operator.jmx(null)));
    }

    @Override
    public void revive() {
        SwitchCalls.run(() -> switches.revive(surface, Operator.jmx(null)));
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
