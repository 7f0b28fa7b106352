package dev.logmerge.bench;

import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import dev.logmerge.merge.engine.Compression;
import dev.logmerge.merge.engine.MergeEngine;
import dev.logmerge.merge.engine.MergeInput;
import dev.logmerge.merge.engine.MergeOutcome;
import dev.logmerge.merge.engine.MergeProgress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread throughput of {@link MergeEngine} (and so of its k-way merger) over k in-memory
 * inputs written by the log generator, all covering the same day so their lines interleave as in a
 * real date range, next to the same inputs merged by {@link NaiveHeapMerge}, the baseline to divide
 * by (machines here are shared: ratios measured in one run hold where absolute figures drift). The
 * {@code inputMegabytes} counter is the figure to read: MB of input merged per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
// a heap that holds the inputs with room to spare, so the figure is the merge's and not the
// collector's
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class MergeEngineBenchmark {
  /**
   * The line buffer a production job gives each cursor (S3Merger): the S3 stream buffers are the
   * read-ahead.
   */
  private static final int CURSOR_BUFFER_BYTES = 4 * 1024;

  private static final LocalDate DAY = LocalDate.of(2019, 8, 17);

  @Param({"2", "16", "300", "2000"})
  public int inputs;

  /** Total input size; the same for every k so the figures compare. */
  @Param({"128"})
  public int totalMegabytes;

  /**
   * The generator's average line, to size the files; the measured total is what the counter
   * reports.
   */
  @Param({"122"})
  public int approximateLineBytes;

  private List<InMemoryInput> mergeInputs;
  private List<byte[]> contents;
  private long inputBytes;
  private MergeEngine engine;
  private Path workDirectory;

  /** Reported per second by JMH: MB of input merged. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Throughput {
    public double inputMegabytes;
  }

  @Setup(Level.Trial)
  public void generateInputs() throws IOException {
    workDirectory = Files.createTempDirectory("logmerge-bench");
    Path logs = workDirectory.resolve("logs");
    long linesPerFile = Math.max(1, ((long) totalMegabytes << 20) / inputs / approximateLineBytes);
    LogGenerator.generate(
        GeneratorOptions.defaults(logs)
            .withDays(1)
            .withFilesPerDay(inputs)
            .withLinesPerFile(Math.toIntExact(linesPerFile))
            .withStartDate(DAY));
    mergeInputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
        mergeInputs.add(new InMemoryInput(file.getFileName().toString(), Files.readAllBytes(file)));
      }
    }
    contents = mergeInputs.stream().map(InMemoryInput::content).toList();
    inputBytes = mergeInputs.stream().mapToLong(MergeInput::size).sum();
    engine =
        new MergeEngine(new MergeEngine.Settings(CURSOR_BUFFER_BYTES, workDirectory, 64L << 20));
    checkBothMergesAgree();
  }

  /** Once per trial: a baseline that merged differently would make the ratio meaningless. */
  private void checkBothMergesAgree() throws IOException {
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    engine.merge(mergeInputs, () -> new CountingSink(ours), new MergeProgress());
    ByteArrayOutputStream naive = new ByteArrayOutputStream();
    NaiveHeapMerge.merge(contents, naive);
    if (!Arrays.equals(ours.toByteArray(), naive.toByteArray())) {
      throw new IllegalStateException(
          "the merge engine and the naive heap merge wrote different bytes");
    }
  }

  @TearDown(Level.Trial)
  public void deleteFiles() throws IOException {
    try (Stream<Path> paths = Files.walk(workDirectory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Benchmark
  public MergeOutcome merge(Throughput throughput) throws IOException {
    MergeOutcome outcome = engine.merge(mergeInputs, CountingSink::new, new MergeProgress());
    count(outcome.bytesWritten(), throughput);
    return outcome;
  }

  @Benchmark
  public long naiveHeapMerge(Throughput throughput) throws IOException {
    long written = NaiveHeapMerge.merge(contents, OutputStream.nullOutputStream());
    count(written, throughput);
    return written;
  }

  private void count(long bytesWritten, Throughput throughput) {
    if (bytesWritten != inputBytes) {
      throw new IllegalStateException("merged " + bytesWritten + " bytes of " + inputBytes);
    }
    throughput.inputMegabytes += inputBytes / 1e6;
  }

  private record InMemoryInput(String name, byte[] content) implements MergeInput {
    @Override
    public long size() {
      return content.length;
    }

    @Override
    public Compression compression() {
      return Compression.NONE;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(content);
    }
  }
}
