package dev.logmerge.loggen;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line bar, redrawn in place with carriage returns, so it belongs on a terminal only. Redraws
 * at most every 100 ms: a run of thousands of small files must not spend its time printing.
 */
final class ProgressBar implements ProgressListener, AutoCloseable {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream terminal;
  private final int totalFiles;
  private int filesDone;
  private long bytesDone;
  private long lastDrawn = Long.MIN_VALUE;

  ProgressBar(PrintStream terminal, int totalFiles) {
    this.terminal = terminal;
    this.totalFiles = totalFiles;
  }

  @Override
  public synchronized void fileWritten(GeneratedFile file) {
    filesDone++;
    bytesDone += file.logBytes();
    long now = System.nanoTime();
    if (lastDrawn == Long.MIN_VALUE || now - lastDrawn >= REDRAW_NANOS) {
      draw();
      lastDrawn = now;
    }
  }

  /** Draws the final state and ends the line, so what follows starts on a fresh one. */
  @Override
  public synchronized void close() {
    draw();
    terminal.println();
    terminal.flush();
  }

  private void draw() {
    int filled = (int) ((long) WIDTH * filesDone / totalFiles);
    terminal.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %3d%% %d/%d files %.1f MB",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            100L * filesDone / totalFiles,
            filesDone,
            totalFiles,
            bytesDone / 1e6));
    terminal.flush();
  }
}
