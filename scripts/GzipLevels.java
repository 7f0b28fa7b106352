import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;

/**
 * What gzip level 1 and level 6 cost and give on a log file, compressed as the download relay does it: 64 KiB chunks
 * into one raw deflate stream (docs/BENCHMARKS.md). Usage: {@code java scripts/GzipLevels.java FILE [rounds]}; prints,
 * per level and round, the compressed share, MB/s of input on one thread (wall clock: the machine's load shows), CPU
 * seconds per GB (which it does not), CPU per chunk and the slowest chunk (wall clock).
 */
public class GzipLevels {
  private static final int CHUNK = 64 * 1024;

  public static void main(String[] args) throws Exception {
    byte[] data = Files.readAllBytes(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    byte[] out = new byte[CHUNK];
    System.out.printf("%s: %.1f MB%n", args[0], data.length / 1e6);
    for (int round = 1; round <= rounds; round++) {
      for (int level : new int[] {1, 6}) {
        Deflater deflater = new Deflater(level, true);
        long compressed = 0;
        long slowestChunk = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int off = 0; off < data.length; off += CHUNK) {
          long chunkStart = System.nanoTime();
          deflater.setInput(data, off, Math.min(CHUNK, data.length - off));
          while (!deflater.needsInput()) {
            compressed += deflater.deflate(out);
          }
          slowestChunk = Math.max(slowestChunk, System.nanoTime() - chunkStart);
        }
        deflater.finish();
        while (!deflater.finished()) {
          compressed += deflater.deflate(out);
        }
        deflater.end();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(
            "round %d level %d: %.1f %% of the input, %.0f MB/s, %.1f CPU s per GB (%.0f MB/s per core),"
                + " %.0f µs of CPU per 64 KiB chunk on average, slowest chunk %.1f ms%n",
            round,
            level,
            100.0 * compressed / data.length,
            data.length / 1e6 / seconds,
            cpu / (data.length / 1e9),
            data.length / 1e6 / cpu,
            cpu * 1e6 / Math.ceil(data.length / (double) CHUNK),
            slowestChunk / 1e6);
      }
    }
  }
}
