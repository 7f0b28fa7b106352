package dev.logmerge.loggen;

import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** The command line: {@code java -jar log-generator.jar --path DIR [options]}. */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_WRITE_FAILED = 1;
  static final int EXIT_USAGE = 2;

  // a progress bar is worth drawing only for runs that take a noticeable time
  private static final int PROGRESS_MIN_FILES = 50;
  private static final long PROGRESS_MIN_BYTES = 20_000_000L;
  private static final int ESTIMATED_LINE_BYTES = 120;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.console() != null));
  }

  /**
   * Runs the command and returns its exit status.
   *
   * @param terminal whether a person is watching, so a progress bar may be drawn on {@code err}
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    if (GeneratorCommandLine.wantsHelp(args)) {
      out.print(GeneratorCommandLine.USAGE);
      return EXIT_OK;
    }
    GeneratorOptions options;
    try {
      options = GeneratorCommandLine.parse(args, LocalDate.now(ZoneOffset.UTC));
    } catch (UsageException e) {
      err.println("log-generator: " + e.getMessage());
      err.println();
      err.print(GeneratorCommandLine.USAGE);
      return EXIT_USAGE;
    }
    try {
      GenerationReport report = generate(options, err, terminal);
      out.println(summary(options, report));
      return EXIT_OK;
    } catch (IOException e) {
      err.println(
          "log-generator: could not write to "
              + options.path()
              + ": "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
      return EXIT_WRITE_FAILED;
    }
  }

  private static GenerationReport generate(
      GeneratorOptions options, PrintStream err, boolean terminal) throws IOException {
    long estimatedBytes =
        (long) options.totalFiles() * options.linesPerFile() * ESTIMATED_LINE_BYTES;
    if (!terminal
        || (options.totalFiles() <= PROGRESS_MIN_FILES && estimatedBytes <= PROGRESS_MIN_BYTES)) {
      return LogGenerator.generate(options, ProgressListener.NONE);
    }
    try (ProgressBar bar = new ProgressBar(err, options.totalFiles())) {
      return LogGenerator.generate(options, bar);
    }
  }

  static String summary(GeneratorOptions options, GenerationReport report) {
    double seconds = report.elapsed().toNanos() / 1e9;
    String gzipped = options.gzip() ? " (" + report.fileBytes() + " bytes gzipped)" : "";
    return String.format(
        Locale.ROOT,
        "wrote %d files, %d lines, %d bytes%s in %.2f s (%.1f MB/s) to %s",
        report.files().size(),
        report.lines(),
        report.logBytes(),
        gzipped,
        seconds,
        report.logBytes() / 1e6 / Math.max(seconds, 1e-9),
        options.path());
  }
}
