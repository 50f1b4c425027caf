package dev.warden.agent.install;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which packages the JDK's own class loaders (boot and platform) can see, from the boot layer's modules: exact
 * for them, unlike a resource lookup, so a surface's type matcher is skipped there only for a class that could
 * not implement the surface's types. With classes appended to the boot path nothing is skipped for the boot
 * loader (what it sees is then unknown). Application loaders are never judged: they may define classes from
 * memory, which no lookup reveals.
 */
final class JdkLoaderVisibility {

    private final Set<String> bootPackages = new HashSet<>();
    private final Set<String> platformPackages = new HashSet<>();
    private final ClassLoader platform;
    private final boolean bootAppended;

    JdkLoaderVisibility() {
        this(System.getProperty("jdk.boot.class.path.append"));
    }

    JdkLoaderVisibility(String bootAppend) {
        platform = ClassLoader.getPlatformClassLoader();
        bootAppended = bootAppend != null && !bootAppend.isEmpty();
        for (Module module : ModuleLayer.boot().modules()) {
            ClassLoader loader = module.getClassLoader();
            if (loader == null) {
                bootPackages.addAll(module.getPackages());
            } else if (loader == platform) {
                platformPackages.addAll(module.getPackages());
            }
        }
    }

    /** False only when {@code loader} is a JDK loader that sees none of {@code types}' packages. */
    boolean mayMatch(ClassLoader loader, List<String> types) {
        if (types.isEmpty() || loader != null && loader != platform || loader == null && bootAppended) {
            return true;
        }
        for (String type : types) {
            String pkg = type.substring(0, Math.max(0, type.lastIndexOf('.')));
            if (bootPackages.contains(pkg) || loader == platform && platformPackages.contains(pkg)) {
                return true;
            }
        }
        return false;
    }
}
