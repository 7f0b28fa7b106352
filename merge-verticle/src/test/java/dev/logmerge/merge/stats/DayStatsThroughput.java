package dev.logmerge.merge.stats;

import dev.logmerge.merge.engine.Newlines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: a rough measurement of aggregation speed (no JMH). Repeats the sample day's files
 * ({@code miniodata/logs/2019-08-19_*}) in memory to about {@code megabytes} MB and times {@link
 * DayStatsAggregator} over them, with a scan for newlines over the same bytes as the baseline.
 * Prints the median of {@code runs} runs after as many warm-ups.
 *
 * <pre>{@code
 * java -cp <test classpath> dev.logmerge.merge.stats.DayStatsThroughput [megabytes] [runs]
 * }</pre>
 */
public final class DayStatsThroughput {
  private static final LocalDate DAY = LocalDate.of(2019, 8, 19);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private DayStatsThroughput() {}

  public static void main(String[] args) throws IOException {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    byte[] data =
        repeatedSampleDay(Path.of(args.length > 2 ? args[2] : "miniodata/logs"), megabytes);
    double mb = data.length / 1e6;

    double[] scan = new double[runs];
    double[] aggregate = new double[runs];
    double[] aggregateCpu = new double[runs];
    DayStatsAggregator last = null;
    for (int run = -runs; run < runs; run++) {
      long start = System.nanoTime();
      long lines = countLines(data);
      double scanSeconds = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      DayStatsAggregator aggregator = new DayStatsAggregator(DAY);
      aggregator.add(new ByteArrayInputStream(data));
      long[] rows = {0};
      aggregator.forEachRow((customer, row) -> rows[0]++);
      double aggregateSeconds = (System.nanoTime() - start) / 1e9;
      double aggregateCpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
      if (aggregator.requestLines() + aggregator.unparsedLines() != lines) {
        throw new IllegalStateException("line counts differ");
      }
      if (run >= 0) {
        scan[run] = mb / scanSeconds;
        aggregate[run] = mb / aggregateSeconds;
        aggregateCpu[run] = mb / aggregateCpuSeconds;
      }
      last = aggregator;
    }
    System.out.printf(
        "%.1f MB, %d lines, %d customers, %d bytes of aggregates%n",
        mb,
        last.requestLines() + last.unparsedLines(),
        last.customerCount(),
        last.estimatedBytes());
    System.out.printf("newline scan (baseline): median %.0f MB/s%n", median(scan));
    System.out.printf(
        "aggregate: median %.0f MB/s (%.0f%% of the scan), runs %s%n",
        median(aggregate),
        100 * median(aggregate) / median(scan),
        Arrays.toString(round(aggregate)));
    // on a shared machine the wall clock also counts other processes' turns on the CPU
    System.out.printf(
        "aggregate per CPU-second of its thread: median %.0f MB/s%n", median(aggregateCpu));
  }

  private static byte[] repeatedSampleDay(Path logs, int megabytes) throws IOException {
    List<byte[]> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(logs)) {
      for (Path file :
          list.filter(f -> f.getFileName().toString().startsWith(DAY + "_")).sorted().toList()) {
        files.add(Files.readAllBytes(file));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(megabytes * 1_000_000 + 1_000_000);
    while (out.size() < megabytes * 1_000_000) {
      for (byte[] file : files) {
        out.write(file);
      }
    }
    return out.toByteArray();
  }

  private static long countLines(byte[] data) {
    long lines = 0;
    for (int from = 0, newline; (newline = Newlines.indexOf(data, from, data.length)) >= 0; ) {
      lines++;
      from = newline + 1;
    }
    return lines;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long[] round(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }
}
