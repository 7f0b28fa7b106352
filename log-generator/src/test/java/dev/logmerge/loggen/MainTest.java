package dev.logmerge.loggen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void writesTheFilesAndPrintsAOneLineSummary() throws IOException {
    int status =
        run(
            false,
            "--path",
            dir.resolve("logs").toString(),
            "--days",
            "2",
            "--files",
            "3",
            "--lines",
            "5",
            "--start-date",
            "2019-08-19");

    assertEquals(Main.EXIT_OK, status);
    try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
      assertEquals(6, files.count());
    }
    String summary = out();
    assertTrue(summary.startsWith("wrote 6 files, 30 lines, "), summary);
    assertTrue(summary.contains(" bytes in ") && summary.contains(" s "), summary);
    assertEquals(1, summary.lines().count(), summary);
    assertEquals("", err());
  }

  @Test
  void helpPrintsTheUsageAndSucceeds() {
    assertEquals(Main.EXIT_OK, run(false, "--help"));
    assertEquals(GeneratorCommandLine.USAGE, out());
  }

  @Test
  void aBadFlagPrintsOneLineNamingItThenTheUsageAndExitsWith2() {
    int status = run(false, "--path", dir.toString(), "--lines", "many");

    assertEquals(Main.EXIT_USAGE, status);
    String[] lines = err().split("\n");
    assertEquals(
        "log-generator: --lines got 'many', which is not a whole number in range"
            + " (expected --lines N, a whole number of at least 0)",
        lines[0]);
    assertTrue(err().endsWith(GeneratorCommandLine.USAGE), err());
    assertEquals("", out());
  }

  @Test
  void anUnknownFlagExitsWith2WithoutAStackTrace() {
    assertEquals(Main.EXIT_USAGE, run(false, "--path", dir.toString(), "--threads", "4"));
    assertTrue(err().startsWith("log-generator: unknown flag --threads\n"), err());
    assertFalse(err().contains("Exception"), err());
  }

  @Test
  void anUnwritableDirectoryExitsWith1AndOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

    int status = run(false, "--path", file.toString(), "--lines", "1");

    assertEquals(Main.EXIT_WRITE_FAILED, status);
    assertTrue(err().startsWith("log-generator: could not write to " + file), err());
    assertEquals(1, err().lines().count(), err());
  }

  @Test
  void drawsAProgressBarOnATerminalForManyFiles() {
    int status =
        run(true, "--path", dir.toString(), "--days", "20", "--files", "3", "--lines", "1");

    assertEquals(Main.EXIT_OK, status);
    assertTrue(err().contains("60/60 files"), err());
    assertTrue(err().endsWith("\n"), "the bar must end its line");
  }

  @Test
  void drawsNoProgressBarForSmallRunsOrWithoutATerminal() {
    assertEquals(
        Main.EXIT_OK, run(true, "--path", dir.resolve("small").toString(), "--lines", "1"));
    assertEquals(
        Main.EXIT_OK,
        run(
            false,
            "--path",
            dir.resolve("piped").toString(),
            "--days",
            "20",
            "--files",
            "3",
            "--lines",
            "1"));
    assertEquals("", err());
  }

  private int run(boolean terminal, String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        terminal);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
