package dev.logmerge.merge.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Informal single-thread throughput of {@link MergeEngine} over in-memory inputs of ~120-byte log lines with
 * interleaved timestamps, until a JMH module replaces it. Run by hand, e.g.
 * {@code java -Xmx4g -cp target/classes:target/test-classes:$(cat cp.txt) dev.logmerge.merge.engine.MergeThroughputCheck 300}.
 */
public final class MergeThroughputCheck {
  private static final long TOTAL_INPUT_BYTES = Long.getLong("logmerge.throughput.bytes", 256L << 20);
  private static final int READ_BUFFER_BYTES = 64 * 1024;

  private MergeThroughputCheck() {
  }

  public static void main(String[] args) throws IOException {
    int[] inputCounts = args.length == 0 ? new int[] {2, 16, 300, 2000} : parse(args);
    Path spill = Files.createTempDirectory("logmerge-throughput");
    MergeEngine engine = new MergeEngine(new MergeEngine.Settings(READ_BUFFER_BYTES, spill, 64L << 20));
    for (int k : inputCounts) {
      List<MergeInput> inputs = generate(k, new Random(k));
      long inputBytes = inputs.stream().mapToLong(MergeInput::size).sum();
      for (int round = 0; round < 8; round++) {
        long start = System.nanoTime();
        MergeOutcome outcome = engine.merge(inputs, DiscardingSink::new, new MergeProgress());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("k=%4d round %d: %7.1f MB/s (%d MB, %d lines, unsorted inputs: %d)%n", k, round,
            inputBytes / 1e6 / seconds, inputBytes >> 20, outcome.linesWritten(), outcome.unsortedInputs().size());
      }
    }
  }

  private static int[] parse(String[] args) {
    int[] counts = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      counts[i] = Integer.parseInt(args[i]);
    }
    return counts;
  }

  /** Every input covers the same hour, so their lines interleave: the merge's worst case. */
  private static List<MergeInput> generate(int k, Random random) {
    List<MergeInput> inputs = new ArrayList<>();
    long bytesPerInput = TOTAL_INPUT_BYTES / k;
    for (int i = 0; i < k; i++) {
      StringBuilder text = new StringBuilder((int) bytesPerInput + 200);
      long micros = random.nextInt(1_000_000);
      while (text.length() < bytesPerInput) {
        micros += 1 + random.nextInt(2 * k * 10);
        long seconds = micros / 1_000_000;
        text.append(String.format("2019-08-17T%02d:%02d:%02d.%06dZ host-%03d app[%05d]: INFO ",
            (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60, micros % 1_000_000, i % 1000,
            random.nextInt(100_000)));
        text.append("request handled in ").append(random.nextInt(1000)).append(" ms path=/api/v1/items/")
            .append(random.nextInt(1_000_000)).append('\n');
      }
      byte[] content = text.toString().getBytes(StandardCharsets.US_ASCII);
      String name = "2019-08-17_" + i;
      inputs.add(new MergeInput() {
        @Override
        public String name() {
          return name;
        }

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
      });
    }
    return inputs;
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
