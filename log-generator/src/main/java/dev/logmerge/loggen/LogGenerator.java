package dev.logmerge.loggen;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes sample log files named {@code YYYY-MM-DD_<serial>[.log|.txt][.gz]}, one set per day, for
 * tests and benchmarks of the merge. Files are written in parallel; each file's bytes depend only
 * on the options, never on thread timing. Existing files of the same names are overwritten; other
 * files in the directory are left alone.
 */
public final class LogGenerator {
  private static final int GZIP_BUFFER_BYTES = 64 * 1024;

  private LogGenerator() {}

  /** Writes the files and returns their paths in input order (by day, then serial as a number). */
  public static List<Path> generate(GeneratorOptions options) throws IOException {
    return generate(options, ProgressListener.NONE).paths();
  }

  /** Writes the files, telling {@code listener} about each, and reports what was written. */
  public static GenerationReport generate(GeneratorOptions options, ProgressListener listener)
      throws IOException {
    return generate(options, listener, LocalDate.now(ZoneOffset.UTC));
  }

  static GenerationReport generate(
      GeneratorOptions options, ProgressListener listener, LocalDate today) throws IOException {
    long started = System.nanoTime();
    List<PlannedFile> plan = GenerationPlan.plan(options, options.firstDay(today));
    Files.createDirectories(options.path());
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), plan.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
    try {
      List<Future<GeneratedFile>> pending = new ArrayList<>(plan.size());
      for (PlannedFile file : plan) {
        pending.add(
            pool.submit(
                () -> {
                  GeneratedFile written = write(file, options);
                  listener.fileWritten(written);
                  return written;
                }));
      }
      List<GeneratedFile> written = new ArrayList<>(plan.size());
      for (Future<GeneratedFile> file : pending) {
        written.add(await(file));
      }
      return new GenerationReport(written, Duration.ofNanos(System.nanoTime() - started));
    } finally {
      pool.shutdownNow();
    }
  }

  private static GeneratedFile write(PlannedFile file, GeneratorOptions options)
      throws IOException {
    Path path = options.path().resolve(file.fileName());
    long logBytes;
    try (OutputStream out = open(path, options.gzip())) {
      logBytes = LogFileComposer.compose(file, options, out);
    }
    return new GeneratedFile(
        path,
        file.day(),
        file.serial(),
        !file.unsorted(),
        options.linesPerFile(),
        logBytes,
        Files.size(path));
  }

  private static OutputStream open(Path path, boolean gzip) throws IOException {
    // no BufferedOutputStream: the composer already writes chunks of a few hundred KiB
    OutputStream file = Files.newOutputStream(path);
    if (!gzip) {
      return file;
    }
    try {
      return new FastGzipOutputStream(file);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private static GeneratedFile await(Future<GeneratedFile> file) throws IOException {
    try {
      return file.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing log files");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Daemon threads, so a failed run never keeps the JVM alive. */
  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "log-generator-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * gzip at the fastest level: the files are test inputs, and benchmark setups should not wait on
   * deflate. The JDK writes a zero modification time, so equal input gives equal bytes on one JDK.
   */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, GZIP_BUFFER_BYTES);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
