package dev.mutagenws.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The one-line machine description printed above every report. */
final class Machine {
    private Machine() {
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String describe() {
        StringBuilder b = new StringBuilder();
        b.append("machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cpus");
        String cpu = cpuModel();
        if (cpu != null) {
            b.append(" (").append(cpu).append(')');
        }
        long mem = totalMemory();
        if (mem > 0) {
            b.append(", ").append(mem / (1024 * 1024 * 1024)).append(" GiB RAM");
        }
        b.append(", JDK ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version"))
                .append(", max heap ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB")
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch"));
        long fds = maxFileDescriptors();
        if (fds > 0) {
            b.append(", fd limit ").append(fds);
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load >= 0) {
            b.append(String.format(", load %.2f", load));
        }
        return b.toString();
    }

    static long maxFileDescriptors() {
        Object os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean) {
            return ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
        }
        return -1;
    }

    private static long totalMemory() {
        Object os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof OperatingSystemMXBean) {
            return ((OperatingSystemMXBean) os).getTotalMemorySize();
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return null;
    }
}
