package dev.logmerge.merge.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Informal single-thread throughput of {@link MergeEngine} over in-memory inputs of ~106-byte log lines, until
 * a JMH module replaces it. Prints wall-clock and thread-CPU MB/s of input, so a busy machine shows. Run by hand:
 * {@code java -Xmx4g -cp <test classpath> dev.logmerge.merge.engine.MergeThroughputCheck [k ...]}, with
 * {@code -Dlogmerge.throughput.bytes} (total input, default 256 MB) and {@code -Dlogmerge.throughput.readBuffer}.
 */
public final class MergeThroughputCheck {
  private static final long TOTAL_INPUT_BYTES = Long.getLong("logmerge.throughput.bytes", 256_000_000L);
  private static final int READ_BUFFER_BYTES = Integer.getInteger("logmerge.throughput.readBuffer", 64 * 1024);
  private static final int ROUNDS = 8;

  private MergeThroughputCheck() {
  }

  /**
   * How the inputs' time spans relate: all in one window (the merge's worst case); ten per window, the windows
   * one after the other (like ten files a day over a date range); each in its own window (one run per input).
   */
  private enum Shape {
    INTERLEAVED(Integer.MAX_VALUE), TEN_PER_WINDOW(10), CONSECUTIVE(1);

    final int inputsPerWindow;

    Shape(int inputsPerWindow) {
      this.inputsPerWindow = inputsPerWindow;
    }
  }

  public static void main(String[] args) throws IOException {
    Path spill = Files.createTempDirectory("logmerge-throughput");
    MergeEngine engine = new MergeEngine(new MergeEngine.Settings(READ_BUFFER_BYTES, spill, 64L << 20));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (String arg : args.length == 0 ? new String[] {"2", "16", "300", "2000"} : args) {
      int k = Integer.parseInt(arg);
      for (Shape shape : Shape.values()) {
        List<MergeInput> inputs = generate(k, shape, new Random(k));
        long inputBytes = inputs.stream().mapToLong(MergeInput::size).sum();
        double bestWall = 0;
        double bestCpu = 0;
        for (int round = 0; round < ROUNDS; round++) {
          long wallStart = System.nanoTime();
          long cpuStart = threads.getCurrentThreadCpuTime();
          MergeOutcome outcome = engine.merge(inputs, DiscardingSink::new, new MergeProgress());
          double wall = inputBytes / 1e6 / ((System.nanoTime() - wallStart) / 1e9);
          double cpu = inputBytes / 1e6 / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
          if (!outcome.unsortedInputs().isEmpty()) {
            throw new IllegalStateException("generated inputs must be sorted: " + outcome.unsortedInputs());
          }
          bestWall = Math.max(bestWall, wall);
          bestCpu = Math.max(bestCpu, cpu);
        }
        System.out.printf("k=%4d %-14s %4d MB: best of %d rounds %6.0f MB/s wall, %6.0f MB/s thread CPU%n",
            k, shape, inputBytes / 1_000_000, ROUNDS, bestWall, bestCpu);
      }
    }
  }

  private static List<MergeInput> generate(int k, Shape shape, Random random) {
    List<MergeInput> inputs = new ArrayList<>();
    long bytesPerInput = TOTAL_INPUT_BYTES / k;
    long linesPerInput = bytesPerInput / 106;
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < k; i++) {
      // 20 hours split into windows; the inputs of a window cover it at similar rates.
      int inputsPerWindow = Math.min(k, shape.inputsPerWindow);
      int windows = (k + inputsPerWindow - 1) / inputsPerWindow;
      long windowMicros = 72_000_000_000L / windows;
      long stepMicros = windowMicros / linesPerInput;
      long micros = (i / inputsPerWindow) * windowMicros + random.nextInt(1_000_000);
      byte[] content = new byte[(int) bytesPerInput + 200];
      int length = 0;
      while (length < bytesPerInput) {
        micros += 1 + random.nextInt((int) Math.max(1, 2 * stepMicros - 1));
        long seconds = micros / 1_000_000;
        line.setLength(0);
        line.append("2019-08-17T").append(twoDigits(seconds / 3600 % 24)).append(':')
            .append(twoDigits(seconds / 60 % 60)).append(':').append(twoDigits(seconds % 60)).append('.')
            .append(1_000_000 + micros % 1_000_000).deleteCharAt(line.length() - 7)
            .append("Z host-").append(100 + i % 900).append(" app[").append(10_000 + random.nextInt(90_000))
            .append("]: INFO request handled in ").append(100 + random.nextInt(900)).append(" ms path=/api/items/")
            .append(100_000 + random.nextInt(900_000)).append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
        if (length + bytes.length > content.length) {
          break;
        }
        System.arraycopy(bytes, 0, content, length, bytes.length);
        length += bytes.length;
      }
      inputs.add(new InMemoryMergeInput("2019-08-17_" + i, java.util.Arrays.copyOf(content, length)));
    }
    return inputs;
  }

  private static String twoDigits(long value) {
    return value < 10 ? "0" + value : Long.toString(value);
  }

  private record InMemoryMergeInput(String name, byte[] content) implements MergeInput {
    @Override
    public long size() {
      return content.length;
    }

    @Override
    public boolean gzip() {
      return false;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(content);
    }
  }

  private static final class DiscardingSink extends ResultSink {
    private long size;

    @Override
    public void write(int b) {
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      size += len;
    }

    @Override
    public StoredResult commit() {
      return new StoredResult("none", "none", size, "none");
    }

    @Override
    public void abort() {
    }

    @Override
    protected boolean committed() {
      return true;
    }
  }
}
