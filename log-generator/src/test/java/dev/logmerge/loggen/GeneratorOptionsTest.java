package dev.logmerge.loggen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class GeneratorOptionsTest {
  private static final GeneratorOptions DEFAULTS = GeneratorOptions.defaults(Path.of("out"));

  @Test
  void defaultsAreThoseOfTheCommandLine() {
    assertEquals(
        new GeneratorOptions(Path.of("out"), 5, 3, 1000, null, 1, 0, "", 0, false, 250_000),
        DEFAULTS);
  }

  @Test
  void withoutStartDateTheLastDayIsToday() {
    assertNull(DEFAULTS.startDate());
    assertEquals(LocalDate.of(2024, 2, 26), DEFAULTS.firstDay(LocalDate.of(2024, 3, 1)));
    assertEquals(LocalDate.of(2024, 3, 1), DEFAULTS.withDays(1).firstDay(LocalDate.of(2024, 3, 1)));
  }

  @Test
  void aStartDateIsTheFirstDayWhateverToday() {
    GeneratorOptions options = DEFAULTS.withStartDate(LocalDate.of(2019, 8, 19));
    assertEquals(LocalDate.of(2019, 8, 19), options.firstDay(LocalDate.of(2030, 1, 1)));
  }

  @Test
  void extensionIsNormalisedToEmptyOrADottedName() {
    assertEquals("", DEFAULTS.withExtension("none").extension());
    assertEquals("", DEFAULTS.withExtension("").extension());
    assertEquals("", DEFAULTS.withExtension(null).extension());
    assertEquals(".log", DEFAULTS.withExtension("log").extension());
    assertEquals(".log", DEFAULTS.withExtension(".log").extension());
    assertEquals(".txt", DEFAULTS.withExtension("txt").extension());
  }

  @Test
  void eachWithMethodChangesOnlyItsComponent() {
    GeneratorOptions changed =
        DEFAULTS
            .withPath(Path.of("elsewhere"))
            .withDays(2)
            .withFilesPerDay(4)
            .withStartDate(LocalDate.of(2019, 8, 19))
            .withSeed(-7)
            .withFirstSerial(1)
            .withExtension("log")
            .withLinesPerFile(10)
            .withUnsortedFiles(3)
            .withGzip(true)
            .withCustomers(5000);
    assertEquals(
        new GeneratorOptions(
            Path.of("elsewhere"),
            2,
            4,
            10,
            LocalDate.of(2019, 8, 19),
            -7,
            1,
            ".log",
            3,
            true,
            5000),
        changed);
    assertEquals(8, changed.totalFiles());
  }

  @Test
  void rejectsValuesThatCannotMakeARunNamingTheComponent() {
    assertRejected("path", () -> DEFAULTS.withPath(null));
    assertRejected("days", () -> DEFAULTS.withDays(0));
    assertRejected("filesPerDay", () -> DEFAULTS.withFilesPerDay(0));
    assertRejected("linesPerFile", () -> DEFAULTS.withLinesPerFile(-1));
    assertRejected("firstSerial", () -> DEFAULTS.withFirstSerial(2));
    assertRejected("extension", () -> DEFAULTS.withExtension("gz"));
    assertRejected("unsortedFiles", () -> DEFAULTS.withUnsortedFiles(-1));
    assertRejected("unsortedFiles", () -> DEFAULTS.withUnsortedFiles(16));
    assertRejected("unsortedFiles", () -> DEFAULTS.withLinesPerFile(1).withUnsortedFiles(1));
    assertRejected("filesPerDay", () -> DEFAULTS.withDays(1000).withFilesPerDay(1001));
    assertRejected("days", () -> DEFAULTS.withStartDate(LocalDate.of(9999, 12, 30)));
    assertRejected("days", () -> DEFAULTS.withDays(5).firstDay(LocalDate.of(1, 1, 3)));
    assertRejected("customers", () -> DEFAULTS.withCustomers(0));
    assertRejected("customers", () -> DEFAULTS.withCustomers(-1));
    assertRejected("customers", () -> DEFAULTS.withCustomers(1_000_001));
  }

  @Test
  void allowsFromOneCustomerToAsManyAsSixDigitIdsName() {
    assertEquals(1, DEFAULTS.withCustomers(1).customers());
    assertEquals(1_000_000, DEFAULTS.withCustomers(1_000_000).customers());
  }

  @Test
  void saysWhyACustomerCountIsRejected() {
    InvalidOptionException e =
        assertThrows(InvalidOptionException.class, () -> DEFAULTS.withCustomers(1_000_001));

    assertEquals("must be from 1 to 1000000 (ids have six digits), was 1000001", e.problem());
  }

  @Test
  void allowsEmptyFilesAndTheLastSupportedDay() {
    assertEquals(0, DEFAULTS.withLinesPerFile(0).linesPerFile());
    assertEquals(
        LocalDate.of(9999, 12, 27),
        DEFAULTS.withStartDate(LocalDate.of(9999, 12, 27)).firstDay(LocalDate.of(2020, 1, 1)));
  }

  private static void assertRejected(String option, Supplier<Object> construction) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, construction::get);
    assertEquals(option, e.option(), e.getMessage());
  }
}
