package dev.logmerge.loggen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * miniodata/README.md promises that its command regenerates miniodata/logs byte for byte; a change
 * to the generated content must come with regenerated sample data.
 */
class SampleDataTest {
  // Maven runs tests in the module directory
  private static final Path SAMPLE = Path.of("..", "miniodata", "logs");

  @Test
  void theReadmeCommandReproducesTheShippedSampleData(@TempDir Path dir) throws IOException {
    assumeTrue(Files.isDirectory(SAMPLE), "no sample data at " + SAMPLE.toAbsolutePath());
    GeneratorOptions readmeCommand =
        GeneratorOptions.defaults(dir)
            .withDays(5)
            .withFilesPerDay(3)
            .withLinesPerFile(500)
            .withStartDate(LocalDate.of(2019, 8, 19))
            .withSeed(42);

    List<Path> generated = LogGenerator.generate(readmeCommand);

    assertEquals(names(generated), names(shipped()));
    for (Path file : generated) {
      assertArrayEquals(
          Files.readAllBytes(SAMPLE.resolve(file.getFileName())),
          Files.readAllBytes(file),
          file.getFileName()
              + " differs: regenerate miniodata/logs with the command in its README");
    }
  }

  private static List<Path> shipped() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLE)) {
      return files.toList();
    }
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(file -> file.getFileName().toString()).sorted().toList();
  }
}
