package io.wellwatch.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Peak memory of this process, printed when the CLI stops (the demo's figures for operators and benchmarks). */
final class ResourceUse {

    private ResourceUse() {
    }

    static String summary() {
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        return String.format(Locale.ROOT, "Peak heap %d MB (sum of pool peaks), peak RSS %s.",
                peakHeap >> 20, peakRss());
    }

    /** VmHWM from /proc on Linux; "unknown" elsewhere. */
    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb >> 10) + " MB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or /proc unreadable: the figure is optional.
        }
        return "unknown";
    }
}
