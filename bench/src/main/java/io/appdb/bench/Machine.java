package io.appdb.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine the figures were measured on. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cpus", Runtime.getRuntime().availableProcessors());
    out.put("cpuModel", cpuModel());
    out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    out.put("arch", System.getProperty("os.arch"));
    out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    out.put("memoryBytes", os.getTotalMemorySize());
    return out;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
