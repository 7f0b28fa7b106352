package dev.logmerge.cluster;

import dev.logmerge.devservices.SortOracle;
import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Input files written into the run's {@code logs} bucket, and the bytes any range of them must
 * merge to.
 */
public final class LogFiles {
  private final List<Path> files = new ArrayList<>();

  /**
   * Writes {@code days × filesPerDay} files of {@code linesPerFile} lines from {@code first} on.
   */
  public LogFiles add(Path logsDir, LocalDate first, int days, int filesPerDay, int linesPerFile) {
    try {
      files.addAll(
          LogGenerator.generate(
              GeneratorOptions.defaults(logsDir)
                  .withStartDate(first)
                  .withDays(days)
                  .withFilesPerDay(filesPerDay)
                  .withLinesPerFile(linesPerFile)
                  .withSeed(first.toEpochDay())));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The contract: {@code LC_ALL=C sort} of every file whose date lies in the range. */
  public byte[] expected(LocalDate start, LocalDate end) {
    List<Path> selected =
        files.stream()
            .filter(
                file -> {
                  LocalDate day = LocalDate.parse(file.getFileName().toString().substring(0, 10));
                  return !day.isBefore(start) && !day.isAfter(end);
                })
            .toList();
    if (selected.isEmpty()) {
      throw new IllegalArgumentException("no generated file in " + start + ".." + end);
    }
    return SortOracle.expected(selected);
  }
}
