package dev.logmerge.loggen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a run wrote.
 *
 * @param files the files, in input order (by day, then serial as a number)
 * @param elapsed how long writing took
 */
public record GenerationReport(List<GeneratedFile> files, Duration elapsed) {
  public GenerationReport {
    files = List.copyOf(files);
  }

  public List<Path> paths() {
    return files.stream().map(GeneratedFile::path).toList();
  }

  public long lines() {
    return files.stream().mapToLong(GeneratedFile::lines).sum();
  }

  public long logBytes() {
    return files.stream().mapToLong(GeneratedFile::logBytes).sum();
  }

  public long fileBytes() {
    return files.stream().mapToLong(GeneratedFile::fileBytes).sum();
  }
}
