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
 * @param transformedAnew loaded JDK classes ByteBuddy transformed (counted where a cache is kept)
 */
public record InstallReport(int verifiedAdvices, int verifiedTypes, List<String> failures, int replayed, int transformedAnew) {

    public InstallReport {
        failures = List.copyOf(failures);
    }

    InstallReport(int verifiedAdvices, int verifiedTypes, List<String> failures) {
        this(verifiedAdvices, verifiedTypes, failures, 0, 0);
    }

    InstallReport replaying(int replayedClasses, int classesTransformedAnew) {
        return new InstallReport(verifiedAdvices, verifiedTypes, failures, replayedClasses, classesTransformedAnew);
    }

    public boolean verified() {
        return failures.isEmpty();
    }

    public String summary() {
        return verifiedAdvices + " advices verified on " + verifiedTypes + " JDK classes"
                + (replayed + transformedAnew == 0 ? "" : "; of the JDK classes loaded before, " + replayed
                + " as transformed before, " + transformedAnew + " transformed anew");
    }
}
