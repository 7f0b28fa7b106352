package dev.logmerge.loggen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorCommandLineTest {
  private static final LocalDate TODAY = LocalDate.of(2024, 3, 1);

  @Test
  void appliesTheDefaultsWithTheLastDayToday() throws UsageException {
    GeneratorOptions options = parse("--path", "out");

    assertEquals(
        new GeneratorOptions(
            Path.of("out"), 5, 3, 1000, LocalDate.of(2024, 2, 26), 1, 0, "", 0, false, 250_000),
        options);
  }

  @Test
  void countsTheDefaultStartDateBackFromTheNumberOfDays() throws UsageException {
    assertEquals(LocalDate.of(2024, 2, 29), parse("--path", "out", "--days", "2").startDate());
    assertEquals(TODAY, parse("--path", "out", "--days", "1").startDate());
  }

  @Test
  void parsesEveryFlagAsSeparateValues() throws UsageException {
    GeneratorOptions options =
        parse(
            "--path",
            "data/logs",
            "--days",
            "7",
            "--files",
            "12",
            "--lines",
            "20",
            "--start-date",
            "2019-08-19",
            "--seed",
            "-42",
            "--first-serial",
            "1",
            "--extension",
            ".log",
            "--unsorted",
            "3",
            "--gzip",
            "--customers",
            "5000");

    assertEquals(
        new GeneratorOptions(
            Path.of("data/logs"),
            7,
            12,
            20,
            LocalDate.of(2019, 8, 19),
            -42,
            1,
            ".log",
            3,
            true,
            5000),
        options);
  }

  @Test
  void parsesEveryFlagInTheEqualsForm() throws UsageException {
    GeneratorOptions options =
        parse(
            "--path=data/logs",
            "--days=7",
            "--files=12",
            "--lines=20",
            "--start-date=2019-08-19",
            "--seed=42",
            "--first-serial=1",
            "--extension=log",
            "--unsorted=3",
            "--customers=1");

    assertEquals(
        new GeneratorOptions(
            Path.of("data/logs"), 7, 12, 20, LocalDate.of(2019, 8, 19), 42, 1, ".log", 3, false, 1),
        options);
  }

  @Test
  void acceptsEveryExtensionForm() throws UsageException {
    assertEquals(".log", parse("--path", "out", "--extension", ".log").extension());
    assertEquals(".log", parse("--path", "out", "--extension", "log").extension());
    assertEquals("", parse("--path", "out", "--extension", "none").extension());
    assertEquals(".txt", parse("--path", "out", "--extension=txt").extension());
  }

  @Test
  void theDefaultCustomerCountIsTheOneWrittenOut() throws UsageException {
    assertEquals(parse("--path", "out"), parse("--path", "out", "--customers", "250000"));
    assertEquals(1_000_000, parse("--path", "out", "--customers", "1000000").customers());
  }

  @Test
  void aRepeatedFlagTakesItsLastValue() throws UsageException {
    assertEquals(9, parse("--path", "out", "--days", "2", "--days=9").days());
  }

  @Test
  void recognisesHelpAnywhere() {
    assertTrue(GeneratorCommandLine.wantsHelp(new String[] {"--days", "x", "--help"}));
    assertTrue(GeneratorCommandLine.wantsHelp(new String[] {"-h"}));
    assertFalse(GeneratorCommandLine.wantsHelp(new String[] {"--path", "out"}));
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("--path", new String[] {"--days", "2"}),
        Arguments.of("--path", new String[] {"--path="}),
        Arguments.of("--path", new String[] {"--path"}),
        Arguments.of("--days", new String[] {"--path", "out", "--days", "0"}),
        Arguments.of("--days", new String[] {"--path", "out", "--days", "five"}),
        Arguments.of("--days", new String[] {"--path", "out", "--days", "99999999999"}),
        Arguments.of("--days", new String[] {"--path", "out", "--days", "--files", "2"}),
        Arguments.of("--days", new String[] {"--path", "out", "--days"}),
        Arguments.of(
            "--days",
            new String[] {"--path", "out", "--days", "400", "--start-date", "9999-01-01"}),
        Arguments.of("--files", new String[] {"--path", "out", "--files", "0"}),
        Arguments.of("--files", new String[] {"--path", "out", "--files=2.5"}),
        Arguments.of(
            "--files", new String[] {"--path", "out", "--days", "2000", "--files", "1000"}),
        Arguments.of("--lines", new String[] {"--path", "out", "--lines", "-1"}),
        Arguments.of("--lines", new String[] {"--path", "out", "--lines", "1k"}),
        Arguments.of("--lines", new String[] {"--path", "out", "--lines", ""}),
        Arguments.of("--start-date", new String[] {"--path", "out", "--start-date", "2019-02-30"}),
        Arguments.of("--start-date", new String[] {"--path", "out", "--start-date", "19-08-2019"}),
        Arguments.of("--start-date", new String[] {"--path", "out", "--start-date", "2019-8-19"}),
        Arguments.of("--seed", new String[] {"--path", "out", "--seed", "0x10"}),
        Arguments.of("--first-serial", new String[] {"--path", "out", "--first-serial", "2"}),
        Arguments.of("--extension", new String[] {"--path", "out", "--extension", "gz"}),
        Arguments.of("--unsorted", new String[] {"--path", "out", "--unsorted", "16"}),
        Arguments.of(
            "--unsorted", new String[] {"--path", "out", "--unsorted", "1", "--lines", "1"}),
        Arguments.of("--unsorted", new String[] {"--path", "out", "--unsorted", "-1"}),
        Arguments.of("--gzip", new String[] {"--path", "out", "--gzip=yes"}),
        Arguments.of("--customers", new String[] {"--path", "out", "--customers", "0"}),
        Arguments.of("--customers", new String[] {"--path", "out", "--customers", "1000001"}),
        Arguments.of("--customers", new String[] {"--path", "out", "--customers", "many"}),
        Arguments.of("--customers", new String[] {"--path", "out", "--customers=2.5"}),
        Arguments.of("--customers", new String[] {"--path", "out", "--customers"}),
        Arguments.of("--colour", new String[] {"--path", "out", "--colour", "red"}),
        Arguments.of("'stray'", new String[] {"--path", "out", "stray"}));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("mistakes")
  void rejectsAMistakeWithOneLineNamingTheFlag(String flag, String[] args) {
    UsageException e =
        assertThrows(UsageException.class, () -> GeneratorCommandLine.parse(args, TODAY));

    assertTrue(e.getMessage().contains(flag), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void saysWhichFormAFlagExpects() {
    UsageException e =
        assertThrows(UsageException.class, () -> parse("--path", "out", "--days", "0"));

    assertEquals(
        "--days must be at least 1, was 0 (expected --days N, a whole number of at least 1)",
        e.getMessage());
  }

  @Test
  void saysWhichCustomerCountsItTakes() {
    UsageException tooMany =
        assertThrows(UsageException.class, () -> parse("--path", "out", "--customers", "1000001"));
    UsageException notANumber =
        assertThrows(UsageException.class, () -> parse("--path", "out", "--customers", "few"));

    assertEquals(
        "--customers must be from 1 to 1000000 (ids have six digits), was 1000001"
            + " (expected --customers N, a whole number from 1 to 1000000)",
        tooMany.getMessage());
    assertEquals(
        "--customers got 'few', which is not a whole number in range"
            + " (expected --customers N, a whole number from 1 to 1000000)",
        notANumber.getMessage());
  }

  private static GeneratorOptions parse(String... args) throws UsageException {
    return GeneratorCommandLine.parse(args, TODAY);
  }
}
