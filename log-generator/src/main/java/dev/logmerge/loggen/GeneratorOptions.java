package dev.logmerge.loggen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What {@link LogGenerator} writes. Start from {@link #defaults(Path)} and change what a test needs
 * with the {@code with…} methods; every combination that constructs is a valid run.
 *
 * @param path the directory to write into; created if missing
 * @param days how many consecutive days get files
 * @param filesPerDay how many files each day gets
 * @param linesPerFile how many lines each file holds (0 makes empty files)
 * @param startDate the first day, or {@code null} for "the last day is today (UTC)"
 * @param seed the seed all content derives from: equal options give byte-identical files
 * @param firstSerial the serial of each day's first file, 0 or 1
 * @param extension the file name extension: {@code ""}, {@code ".log"} or {@code ".txt"} ({@code
 *     "none"}, {@code "log"} and {@code "txt"} are accepted and normalised)
 * @param unsortedFiles how many files, chosen from the seed, have their lines shuffled
 * @param gzip whether each file is gzip-compressed and named with a {@code .gz} suffix
 */
public record GeneratorOptions(
    Path path,
    int days,
    int filesPerDay,
    int linesPerFile,
    LocalDate startDate,
    long seed,
    int firstSerial,
    String extension,
    int unsortedFiles,
    boolean gzip) {

  public static final int DEFAULT_DAYS = 5;
  public static final int DEFAULT_FILES_PER_DAY = 3;
  public static final int DEFAULT_LINES_PER_FILE = 1000;
  public static final long DEFAULT_SEED = 1;

  /** Caps one run, so a typo cannot plan billions of files. */
  public static final int MAX_FILES = 1_000_000;

  // file names and timestamps have a fixed-width, four-digit year, which keeps them byte-sortable
  private static final LocalDate FIRST_SUPPORTED_DAY = LocalDate.of(1, 1, 1);
  private static final LocalDate LAST_SUPPORTED_DAY = LocalDate.of(9999, 12, 31);

  public GeneratorOptions {
    if (path == null) {
      throw new InvalidOptionException("path", "is required");
    }
    requireAtLeast("days", days, 1);
    requireAtLeast("filesPerDay", filesPerDay, 1);
    requireAtLeast("linesPerFile", linesPerFile, 0);
    if (firstSerial != 0 && firstSerial != 1) {
      throw new InvalidOptionException("firstSerial", "must be 0 or 1, was " + firstSerial);
    }
    extension = normaliseExtension(extension);
    if ((long) days * filesPerDay > MAX_FILES) {
      throw new InvalidOptionException(
          "filesPerDay",
          "makes too many files: days * files per day = "
              + (long) days * filesPerDay
              + ", at most "
              + MAX_FILES);
    }
    requireAtLeast("unsortedFiles", unsortedFiles, 0);
    if (unsortedFiles > days * filesPerDay) {
      throw new InvalidOptionException(
          "unsortedFiles",
          "must be at most the number of files (" + days * filesPerDay + "), was " + unsortedFiles);
    }
    if (unsortedFiles > 0 && linesPerFile < 2) {
      throw new InvalidOptionException(
          "unsortedFiles",
          "needs at least 2 lines per file: a shorter file cannot be out of order");
    }
    if (startDate != null) {
      requireSupportedRange(startDate, days);
    }
  }

  /** The defaults of the command line, writing into {@code path}. */
  public static GeneratorOptions defaults(Path path) {
    return new GeneratorOptions(
        path,
        DEFAULT_DAYS,
        DEFAULT_FILES_PER_DAY,
        DEFAULT_LINES_PER_FILE,
        null,
        DEFAULT_SEED,
        0,
        "",
        0,
        false);
  }

  /**
   * The first day to write: {@link #startDate()}, or else the day that makes {@code today} the
   * last.
   *
   * @throws InvalidOptionException when the days would leave the years 0001 to 9999
   */
  public LocalDate firstDay(LocalDate today) {
    if (startDate != null) {
      return startDate;
    }
    LocalDate first = today.minusDays(days - 1L);
    if (first.isBefore(FIRST_SUPPORTED_DAY)) {
      throw new InvalidOptionException(
          "days",
          "must not reach back before 0001-01-01: " + days + " days ending " + today + " do");
    }
    requireSupportedRange(first, days);
    return first;
  }

  /** How many files a run writes. */
  public int totalFiles() {
    return days * filesPerDay;
  }

  public GeneratorOptions withPath(Path newPath) {
    return new GeneratorOptions(
        newPath,
        days,
        filesPerDay,
        linesPerFile,
        startDate,
        seed,
        firstSerial,
        extension,
        unsortedFiles,
        gzip);
  }

  public GeneratorOptions withDays(int newDays) {
    return new GeneratorOptions(
        path,
        newDays,
        filesPerDay,
        linesPerFile,
        startDate,
        seed,
        firstSerial,
        extension,
        unsortedFiles,
        gzip);
  }

  public GeneratorOptions withFilesPerDay(int newFilesPerDay) {
    return new GeneratorOptions(
        path,
        days,
        newFilesPerDay,
        linesPerFile,
        startDate,
        seed,
        firstSerial,
        extension,
        unsortedFiles,
        gzip);
  }

  public GeneratorOptions withLinesPerFile(int newLinesPerFile) {
    return new GeneratorOptions(
        path,
        days,
        filesPerDay,
        newLinesPerFile,
        startDate,
        seed,
        firstSerial,
        extension,
        unsortedFiles,
        gzip);
  }

  /** {@code null} makes the last day today (UTC). */
  public GeneratorOptions withStartDate(LocalDate newStartDate) {
    return new GeneratorOptions(
        path,
        days,
        filesPerDay,
        linesPerFile,
        newStartDate,
        seed,
        firstSerial,
        extension,
        unsortedFiles,
        gzip);
  }

  public GeneratorOptions withSeed(long newSeed) {
    return new GeneratorOptions(
        path,
        days,
        filesPerDay,
        linesPerFile,
        startDate,
        newSeed,
        firstSerial,
        extension,
        unsortedFiles,
        gzip);
  }

  public GeneratorOptions withFirstSerial(int newFirstSerial) {
    return new GeneratorOptions(
        path,
        days,
        filesPerDay,
        linesPerFile,
        startDate,
        seed,
        newFirstSerial,
        extension,
        unsortedFiles,
        gzip);
  }

  /** {@code "none"}, {@code ""}, {@code "log"}, {@code ".log"}, {@code "txt"} or {@code ".txt"}. */
  public GeneratorOptions withExtension(String newExtension) {
    return new GeneratorOptions(
        path,
        days,
        filesPerDay,
        linesPerFile,
        startDate,
        seed,
        firstSerial,
        newExtension,
        unsortedFiles,
        gzip);
  }

  public GeneratorOptions withUnsortedFiles(int newUnsortedFiles) {
    return new GeneratorOptions(
        path,
        days,
        filesPerDay,
        linesPerFile,
        startDate,
        seed,
        firstSerial,
        extension,
        newUnsortedFiles,
        gzip);
  }

  public GeneratorOptions withGzip(boolean newGzip) {
    return new GeneratorOptions(
        path,
        days,
        filesPerDay,
        linesPerFile,
        startDate,
        seed,
        firstSerial,
        extension,
        unsortedFiles,
        newGzip);
  }

  private static String normaliseExtension(String extension) {
    String bare = Objects.requireNonNullElse(extension, "");
    bare = bare.startsWith(".") ? bare.substring(1) : bare;
    switch (bare) {
      case "", "none":
        return "";
      case "log", "txt":
        return "." + bare;
      default:
        throw new InvalidOptionException(
            "extension", "must be none, log or txt, was '" + extension + "'");
    }
  }

  private static void requireAtLeast(String option, int value, int minimum) {
    if (value < minimum) {
      throw new InvalidOptionException(option, "must be at least " + minimum + ", was " + value);
    }
  }

  private static void requireSupportedRange(LocalDate first, int days) {
    if (first.isBefore(FIRST_SUPPORTED_DAY)) {
      throw new InvalidOptionException("startDate", "must be 0001-01-01 or later, was " + first);
    }
    if (first.plusDays(days - 1L).isAfter(LAST_SUPPORTED_DAY)) {
      throw new InvalidOptionException(
          "days", "must end by 9999-12-31: " + days + " days from " + first + " go past it");
    }
  }

  /** An option value that cannot make a valid run; {@link #option()} names the record component. */
  public static final class InvalidOptionException extends IllegalArgumentException {
    private final String option;
    private final String problem;

    public InvalidOptionException(String option, String problem) {
      super(option + " " + problem);
      this.option = option;
      this.problem = problem;
    }

    /** The record component at fault, e.g. {@code "days"}. */
    public String option() {
      return option;
    }

    /** What is wrong with it, without its name, e.g. {@code "must be at least 1, was 0"}. */
    public String problem() {
      return problem;
    }
  }
}
