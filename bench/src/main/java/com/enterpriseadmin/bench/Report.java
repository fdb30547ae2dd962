package com.enterpriseadmin.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Percentiles, the machine's description and the markdown file. */
final class Report {
  private Report() {}

  /** Nearest-rank percentile of {@code sorted} (ascending), {@code p} in (0, 100]. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double[] sorted(List<Double> values) {
    double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a;
  }

  static double median(List<Double> values) {
    double[] a = sorted(values);
    if (a.length == 0) return Double.NaN;
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** Date, machine, JDK, load and any other test/build JVM seen running (interference). */
  static List<String> machine() {
    List<String> lines = new ArrayList<>();
    lines.add("- date: " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""));
    lines.add("- machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), "
        + cpuModel() + ", " + memTotal() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
    lines.add("- JDK: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.home") + ")");
    lines.add("- load average at start: " + loadAverage());
    watchInterference();
    List<String> others = otherJvms();
    lines.add("- other builds/tests running at start: " + (others.isEmpty() ? "none seen" : String.join("; ", others)));
    return lines;
  }

  private static final java.util.concurrent.atomic.AtomicInteger SAMPLES = new java.util.concurrent.atomic.AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicInteger BUSY = new java.util.concurrent.atomic.AtomicInteger();

  /** Looks for other builds/tests every 2 s until the JVM exits (see {@link #atEnd()}). */
  static void watchInterference() {
    Thread t = new Thread(() -> {
      while (true) {
        SAMPLES.incrementAndGet();
        if (!otherJvms().isEmpty()) BUSY.incrementAndGet();
        try {
          Thread.sleep(2000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "interference-watch");
    t.setDaemon(true);
    t.start();
  }

  /** Load at the end, and how often another build/test was running during the run (interference). */
  static String atEnd() {
    List<String> others = otherJvms();
    return "- load average at end: " + loadAverage() + "\n- other Maven/surefire JVMs (another build or test run) seen in "
        + BUSY.get() + " of " + SAMPLES.get() + " checks (every 2 s) during the run; at end: "
        + (others.isEmpty() ? "none" : String.join("; ", others))
        + (BUSY.get() > 0 ? " — **figures include that interference on the 2 cores**" : "");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2] + " (1/5/15 min)";
    } catch (IOException e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("cpu ?");
    } catch (IOException e) {
      return "cpu ?";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB RAM").findFirst().orElse("RAM ?");
    } catch (IOException e) {
      return "RAM ?";
    }
  }

  /** Maven / surefire / failsafe JVMs that are not ours: another build competing for the 2 cores. */
  static List<String> otherJvms() {
    long self = ProcessHandle.current().pid();
    List<String> out = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      if (p.pid() == self || isAncestor(p)) return;
      String cmd = p.info().commandLine().orElse("");
      if (cmd.contains("surefire.booter") || cmd.contains("plexus-classworlds")) {
        String what = cmd.contains("surefire.booter") ? "surefire/failsafe fork" : "maven";
        out.add(what + " pid " + p.pid());
      }
    });
    return out;
  }

  private static boolean isAncestor(ProcessHandle p) {
    ProcessHandle h = ProcessHandle.current();
    while (true) {
      var parent = h.parent();
      if (parent.isEmpty()) return false;
      if (parent.get().pid() == p.pid()) return true;
      h = parent.get();
    }
  }

  static void write(Path file, String markdown) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, markdown);
  }
}
