package dev.logmerge.loggen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogGeneratorTest {
  private static final LocalDate AUG_19 = LocalDate.of(2019, 8, 19);
  private static final Pattern CUSTOMER_ID = Pattern.compile("cust-\\d{6}");
  private static final Pattern CUSTOMER_IN_PATH = Pattern.compile("/customers/(\\d{6})/");
  private static final String PINNED_DIGEST =
      "3b5b5bbd8cc1ee1ad9320395ec94e49ff4b36b9d55143cfe8ae832deb834541f";
  private static final Pattern LINE =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})Z (INFO|WARN|ERROR|DEBUG)"
              + " cust-\\d{6} (GET|POST|PUT|PATCH|DELETE) /[a-z0-9/]+ [1-5]\\d\\d \\d+ms"
              + " [a-z][a-z0-9 ,:-]*[a-z]");

  @TempDir Path dir;

  private GeneratorOptions options(String subdirectory) {
    return GeneratorOptions.defaults(dir.resolve(subdirectory)).withStartDate(AUG_19);
  }

  @Test
  void writesOneFilePerDayAndSerialInInputOrder() throws IOException {
    List<Path> files =
        LogGenerator.generate(options("out").withDays(2).withFilesPerDay(11).withLinesPerFile(1));

    List<String> expected = new ArrayList<>();
    for (String day : List.of("2019-08-19", "2019-08-20")) {
      for (int serial = 0; serial <= 10; serial++) {
        expected.add(day + "_" + serial);
      }
    }
    assertEquals(expected, names(files));
    assertEquals(new HashSet<>(expected), Set.copyOf(names(listDirectory(dir.resolve("out")))));
  }

  @Test
  void numbersFilesFromTheFirstSerialWithExtensionAndGzipSuffix() throws IOException {
    List<Path> files =
        LogGenerator.generate(
            options("out")
                .withDays(1)
                .withFilesPerDay(2)
                .withFirstSerial(1)
                .withExtension("log")
                .withGzip(true)
                .withLinesPerFile(1));

    assertEquals(List.of("2019-08-19_1.log.gz", "2019-08-19_2.log.gz"), names(files));
  }

  @Test
  void sameOptionsGiveByteIdenticalFiles() throws IOException {
    GeneratorOptions options =
        options("first").withDays(2).withFilesPerDay(9).withLinesPerFile(3000).withUnsortedFiles(3);
    List<Path> first = LogGenerator.generate(options);
    List<Path> second = LogGenerator.generate(options.withPath(dir.resolve("second")));

    assertEquals(names(first), names(second));
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(
          Files.readAllBytes(first.get(i)), Files.readAllBytes(second.get(i)), names(first).get(i));
    }
  }

  @Test
  void theDefaultOptionsKeepTheContentOfEarlierVersions() throws IOException {
    // the digest of what this run wrote before --customers existed: benchmarks and tests elsewhere
    // compare against data generated with earlier builds, so the default content must not move
    GeneratorOptions options =
        options("pinned")
            .withDays(2)
            .withFilesPerDay(3)
            .withLinesPerFile(2000)
            .withUnsortedFiles(2)
            .withSeed(7)
            .withFirstSerial(1)
            .withExtension("log");

    assertEquals(PINNED_DIGEST, sha256(LogGenerator.generate(options)));
  }

  @Test
  void fiveCustomersAreTheOnlyOnesInTheLinesAndInTheirPaths() throws IOException {
    List<Path> files =
        LogGenerator.generate(
            options("out")
                .withDays(2)
                .withFilesPerDay(2)
                .withLinesPerFile(2000)
                .withUnsortedFiles(1)
                .withCustomers(5));

    Set<String> customers = new HashSet<>();
    for (Path file : files) {
      for (String line : LogFiles.textLines(file)) {
        assertTrue(LINE.matcher(line).matches(), "unexpected line format: " + line);
        String customer = line.split(" ")[2];
        customers.add(customer);
        Matcher path = CUSTOMER_IN_PATH.matcher(line);
        if (path.find()) {
          assertEquals(customer, "cust-" + path.group(1), line);
        }
      }
    }
    assertEquals(
        Set.of("cust-000000", "cust-000001", "cust-000002", "cust-000003", "cust-000004"),
        customers);
  }

  @Test
  void anotherCustomerCountChangesOnlyTheCustomerIds() throws IOException {
    GeneratorOptions options =
        options("many").withDays(1).withFilesPerDay(2).withLinesPerFile(3000).withSeed(11);
    List<Path> many = LogGenerator.generate(options);
    List<Path> few = LogGenerator.generate(options.withPath(dir.resolve("few")).withCustomers(3));

    for (int i = 0; i < many.size(); i++) {
      List<String> fromMany = withoutCustomerIds(LogFiles.textLines(many.get(i)));
      List<String> fromFew = withoutCustomerIds(LogFiles.textLines(few.get(i)));
      // lines of one timestamp are ordered by their bytes, customer included: compare as sets
      assertEquals(fromMany.stream().sorted().toList(), fromFew.stream().sorted().toList());
      assertTrue(
          LogFiles.textLines(few.get(i)).stream()
              .allMatch(line -> line.split(" ")[2].compareTo("cust-000003") < 0),
          few.get(i).toString());
    }
  }

  @Test
  void anotherSeedGivesOtherContent() throws IOException {
    GeneratorOptions options =
        options("seed1").withDays(1).withFilesPerDay(1).withLinesPerFile(100);
    Path withSeedOne = LogGenerator.generate(options).get(0);
    Path withSeedTwo =
        LogGenerator.generate(options.withPath(dir.resolve("seed2")).withSeed(2)).get(0);

    assertFalse(Arrays.equals(Files.readAllBytes(withSeedOne), Files.readAllBytes(withSeedTwo)));
  }

  @Test
  void aFilesContentDependsOnlyOnSeedDaySerialAndLineCount() throws IOException {
    Path alone = LogGenerator.generate(options("alone").withDays(1).withFilesPerDay(1)).get(0);
    Path amongOthers =
        LogGenerator.generate(options("among").withDays(4).withFilesPerDay(5)).get(0);

    assertArrayEquals(Files.readAllBytes(alone), Files.readAllBytes(amongOthers));
  }

  @Test
  void everyFileIsSortedByUnsignedBytes() throws IOException {
    GenerationReport report =
        LogGenerator.generate(
            options("out").withDays(3).withFilesPerDay(4).withLinesPerFile(5000),
            ProgressListener.NONE);

    for (GeneratedFile file : report.files()) {
      assertTrue(file.sorted());
      assertTrue(LogFiles.isSorted(LogFiles.lines(file.path())), file.path() + " is not sorted");
    }
  }

  @Test
  void linesHaveTheDocumentedFormatAndFallWithinTheirFilesDay() throws IOException {
    GenerationReport report =
        LogGenerator.generate(
            options("out").withDays(2).withFilesPerDay(2).withLinesPerFile(1000),
            ProgressListener.NONE);

    for (GeneratedFile file : report.files()) {
      List<String> lines = LogFiles.textLines(file.path());
      assertEquals(1000, lines.size());
      for (String line : lines) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), "unexpected line format: " + line);
        assertEquals(file.day().toString(), m.group(1), line);
        assertTrue(
            Integer.parseInt(m.group(2)) < 24
                && Integer.parseInt(m.group(3)) < 60
                && Integer.parseInt(m.group(4)) < 60,
            line);
      }
      // spread over the whole day, so the files of a day interleave when merged
      assertTrue(lines.get(0).substring(11, 13).compareTo("02") < 0, lines.get(0));
      assertTrue(
          lines.get(lines.size() - 1).substring(11, 13).compareTo("22") >= 0,
          lines.get(lines.size() - 1));
    }
  }

  @Test
  void linesAreAbout120BytesOnAverageAndMostlyInfo() throws IOException {
    GenerationReport report =
        LogGenerator.generate(
            options("out").withDays(1).withFilesPerDay(2).withLinesPerFile(5000),
            ProgressListener.NONE);

    double averageBytes = (double) report.logBytes() / report.lines();
    assertTrue(averageBytes >= 105 && averageBytes <= 135, "average line length " + averageBytes);
    Map<String, Integer> levels = new HashMap<>();
    for (Path file : report.paths()) {
      for (String line : LogFiles.textLines(file)) {
        levels.merge(line.split(" ")[1], 1, Integer::sum);
      }
    }
    assertEquals(Set.of("INFO", "WARN", "ERROR", "DEBUG"), levels.keySet());
    int info = levels.get("INFO");
    assertTrue(info > report.lines() / 2, "INFO lines: " + levels);
  }

  @Test
  void makesTiesWithinAndAcrossTheFilesOfADay() throws IOException {
    List<Path> files =
        LogGenerator.generate(options("out").withDays(1).withFilesPerDay(3).withLinesPerFile(3000));

    List<List<String>> lines = new ArrayList<>();
    for (Path file : files) {
      lines.add(LogFiles.textLines(file));
    }
    assertTrue(hasAdjacentEqualTimestamps(lines.get(0)), "no equal timestamps within a file");
    assertTrue(
        hasRepeatedLine(lines.get(0)) || hasRepeatedLine(lines.get(1)), "no line logged twice");

    Set<String> firstLines = new HashSet<>(lines.get(0));
    Set<String> firstTimestamps = new HashSet<>(timestamps(lines.get(0)));
    long identicalAcrossFiles = lines.get(1).stream().filter(firstLines::contains).count();
    long tiedButDifferent =
        lines.get(1).stream()
            .filter(
                line ->
                    firstTimestamps.contains(line.substring(0, 24)) && !firstLines.contains(line))
            .count();
    assertTrue(identicalAcrossFiles > 0, "no identical lines across files");
    assertTrue(tiedButDifferent > 0, "no equal timestamps with different lines across files");
  }

  @Test
  void unsortedShufflesExactlyThatManyFiles() throws IOException {
    for (int unsorted : new int[] {1, 4, 12}) {
      GenerationReport report =
          LogGenerator.generate(
              options("out" + unsorted)
                  .withDays(3)
                  .withFilesPerDay(4)
                  .withLinesPerFile(500)
                  .withUnsortedFiles(unsorted),
              ProgressListener.NONE);

      int reallyUnsorted = 0;
      for (GeneratedFile file : report.files()) {
        List<byte[]> lines = LogFiles.lines(file.path());
        assertEquals(500, lines.size());
        assertEquals(file.sorted(), LogFiles.isSorted(lines), file.path().toString());
        reallyUnsorted += file.sorted() ? 0 : 1;
      }
      assertEquals(unsorted, reallyUnsorted);
    }
  }

  @Test
  void unsortedFilesOfTwoLinesAreStillOutOfOrder() throws IOException {
    // a shuffle of two lines keeps their order half the time: the generator must undo that
    GenerationReport report =
        LogGenerator.generate(
            options("out")
                .withDays(10)
                .withFilesPerDay(10)
                .withLinesPerFile(2)
                .withUnsortedFiles(100),
            ProgressListener.NONE);

    for (GeneratedFile file : report.files()) {
      assertFalse(LogFiles.isSorted(LogFiles.lines(file.path())), file.path().toString());
    }
  }

  @Test
  void anUnsortedFileHoldsTheLinesItWouldHaveHeldSorted() throws IOException {
    GeneratorOptions options =
        options("sorted").withDays(1).withFilesPerDay(1).withLinesPerFile(2000);
    List<byte[]> sorted = LogFiles.lines(LogGenerator.generate(options).get(0));
    List<byte[]> shuffled =
        LogFiles.lines(
            LogGenerator.generate(options.withPath(dir.resolve("unsorted")).withUnsortedFiles(1))
                .get(0));

    shuffled.sort(Arrays::compareUnsigned);
    assertEquals(sorted.size(), shuffled.size());
    for (int i = 0; i < sorted.size(); i++) {
      assertArrayEquals(sorted.get(i), shuffled.get(i));
    }
  }

  @Test
  void gzipFilesInflateToTheSameSortedBytesAsPlainOnes() throws IOException {
    GeneratorOptions options =
        options("plain").withDays(1).withFilesPerDay(2).withLinesPerFile(2000);
    List<Path> plain = LogGenerator.generate(options);
    GenerationReport gzipped =
        LogGenerator.generate(
            options.withPath(dir.resolve("gz")).withGzip(true), ProgressListener.NONE);

    for (int i = 0; i < plain.size(); i++) {
      Path gz = gzipped.paths().get(i);
      assertArrayEquals(Files.readAllBytes(plain.get(i)), LogFiles.content(gz));
      assertTrue(LogFiles.isSorted(LogFiles.lines(gz)));
      assertTrue(gzipped.files().get(i).fileBytes() < gzipped.files().get(i).logBytes());
    }
  }

  @Test
  void zeroLinesMakesEmptyFiles() throws IOException {
    List<Path> files = LogGenerator.generate(options("out").withDays(1).withLinesPerFile(0));

    assertEquals(3, files.size());
    for (Path file : files) {
      assertEquals(0, Files.size(file));
    }
  }

  @Test
  void reportCountsWhatWasWrittenAndTellsTheListenerAboutEachFile() throws IOException {
    List<GeneratedFile> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    GenerationReport report =
        LogGenerator.generate(
            options("a/b/c").withDays(2).withFilesPerDay(3).withLinesPerFile(700), heard::add);

    assertEquals(6, report.files().size());
    assertEquals(Set.copyOf(report.files()), Set.copyOf(heard));
    assertEquals(6 * 700, report.lines());
    long bytesOnDisk = 0;
    for (Path file : report.paths()) {
      bytesOnDisk += Files.size(file);
    }
    assertEquals(bytesOnDisk, report.logBytes());
    assertEquals(bytesOnDisk, report.fileBytes());
  }

  @Test
  void withoutStartDateTheLastFilesAreToday() throws IOException {
    LocalDate today = LocalDate.of(2024, 3, 1);
    GenerationReport report =
        LogGenerator.generate(
            GeneratorOptions.defaults(dir).withLinesPerFile(1), ProgressListener.NONE, today);

    assertEquals(LocalDate.of(2024, 2, 26), report.files().get(0).day());
    assertEquals(today, report.files().get(report.files().size() - 1).day());
    assertEquals("2024-03-01_2", report.paths().get(14).getFileName().toString());
  }

  /** SHA-256 of the files' contents, concatenated in input order, in lower-case hex. */
  private static String sha256(List<Path> files) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    for (Path file : files) {
      digest.update(Files.readAllBytes(file));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static List<String> withoutCustomerIds(List<String> lines) {
    return lines.stream()
        .map(line -> CUSTOMER_ID.matcher(line).replaceAll("cust-?"))
        .map(line -> CUSTOMER_IN_PATH.matcher(line).replaceAll("/customers/?/"))
        .toList();
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(file -> file.getFileName().toString()).toList();
  }

  private static List<Path> listDirectory(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    }
  }

  private static List<String> timestamps(List<String> lines) {
    return lines.stream().map(line -> line.substring(0, 24)).toList();
  }

  private static boolean hasAdjacentEqualTimestamps(List<String> lines) {
    List<String> timestamps = timestamps(lines);
    for (int i = 1; i < timestamps.size(); i++) {
      if (timestamps.get(i).equals(timestamps.get(i - 1))
          && !lines.get(i).equals(lines.get(i - 1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasRepeatedLine(List<String> lines) {
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).equals(lines.get(i - 1))) {
        return true;
      }
    }
    return false;
  }
}
