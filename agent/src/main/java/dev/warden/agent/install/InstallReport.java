package dev.warden.agent.install;

import java.util.List;

/**
 * What the installer verified on the running JDK.
 *
 * @param verifiedAdvices (JDK class, advice) pairs whose method matcher matched on this JDK
 * @param verifiedTypes   JDK classes that passed
 * @param failures        one line per required JDK target that would run ungated; any one of them
 *                        means the JVM must not start
 */
public record InstallReport(int verifiedAdvices, int verifiedTypes, List<String> failures) {

    public InstallReport {
        failures = List.copyOf(failures);
    }

    public boolean verified() {
        return failures.isEmpty();
    }

    public String summary() {
        return verifiedAdvices + " advices verified on " + verifiedTypes + " JDK classes";
    }
}
