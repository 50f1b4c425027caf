package dev.warden.agent.install;

import java.util.List;

/**
 * What the installer verified on the running JDK.
 *
 * @param verifiedAdvices (JDK class, advice) pairs whose method matcher matched on this JDK
 * @param verifiedTypes   JDK classes that passed
 * @param failures        one line per required JDK target that would run ungated; any one of them
 *                        means the JVM must not start
 * @param replayed        loaded JDK classes given what an earlier start made of the same class file
 *                        ({@link JdkTransformCache}) instead of being transformed anew
 */
public record InstallReport(int verifiedAdvices, int verifiedTypes, List<String> failures, int replayed) {

    public InstallReport {
        failures = List.copyOf(failures);
    }

    InstallReport(int verifiedAdvices, int verifiedTypes, List<String> failures) {
        this(verifiedAdvices, verifiedTypes, failures, 0);
    }

    InstallReport replaying(int classes) {
        return new InstallReport(verifiedAdvices, verifiedTypes, failures, classes);
    }

    public boolean verified() {
        return failures.isEmpty();
    }

    public String summary() {
        return verifiedAdvices + " advices verified on " + verifiedTypes + " JDK classes"
                + (replayed == 0 ? "" : ", " + replayed + " loaded ones as transformed before");
    }
}
