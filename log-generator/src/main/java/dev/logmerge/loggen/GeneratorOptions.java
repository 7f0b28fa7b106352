package dev.logmerge.loggen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;
import java.util.function.Consumer;

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
 * @param customers how many distinct customers the lines draw from ({@code cust-000000} up), 1 to
 *     {@link #MAX_CUSTOMERS}; the first {@code min(100, customers)} are busier than the rest
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
    boolean gzip,
    int customers) {

  public static final int DEFAULT_DAYS = 5;
  public static final int DEFAULT_FILES_PER_DAY = 3;
  public static final int DEFAULT_LINES_PER_FILE = 1000;
  public static final long DEFAULT_SEED = 1;

  /**
   * What the generator always drew from before the number was an option: a million-line day has
   * about 242,000 distinct customers.
   */
  public static final int DEFAULT_CUSTOMERS = 250_000;

  /** Customer ids have six digits, {@code cust-000000} to {@code cust-999999}. */
  public static final int MAX_CUSTOMERS = 1_000_000;

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
    if (customers < 1 || customers > MAX_CUSTOMERS) {
      throw new InvalidOptionException(
          "customers",
          "must be from 1 to " + MAX_CUSTOMERS + " (ids have six digits), was " + customers);
    }
  }

  /** The defaults of the command line, writing into {@code path}. */
  public static GeneratorOptions defaults(Path path) {
    Draft draft = new Draft();
    draft.path = path;
    return draft.build();
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

  public GeneratorOptions withPath(Path path) {
    return with(draft -> draft.path = path);
  }

  public GeneratorOptions withDays(int days) {
    return with(draft -> draft.days = days);
  }

  public GeneratorOptions withFilesPerDay(int filesPerDay) {
    return with(draft -> draft.filesPerDay = filesPerDay);
  }

  public GeneratorOptions withLinesPerFile(int linesPerFile) {
    return with(draft -> draft.linesPerFile = linesPerFile);
  }

  /** {@code null} makes the last day today (UTC). */
  public GeneratorOptions withStartDate(LocalDate startDate) {
    return with(draft -> draft.startDate = startDate);
  }

  public GeneratorOptions withSeed(long seed) {
    return with(draft -> draft.seed = seed);
  }

  public GeneratorOptions withFirstSerial(int firstSerial) {
    return with(draft -> draft.firstSerial = firstSerial);
  }

  /** {@code "none"}, {@code ""}, {@code "log"}, {@code ".log"}, {@code "txt"} or {@code ".txt"}. */
  public GeneratorOptions withExtension(String extension) {
    return with(draft -> draft.extension = extension);
  }

  public GeneratorOptions withUnsortedFiles(int unsortedFiles) {
    return with(draft -> draft.unsortedFiles = unsortedFiles);
  }

  public GeneratorOptions withGzip(boolean gzip) {
    return with(draft -> draft.gzip = gzip);
  }

  public GeneratorOptions withCustomers(int customers) {
    return with(draft -> draft.customers = customers);
  }

  private GeneratorOptions with(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /**
   * The components as fields to set one by one, starting from the defaults (without a path), then
   * {@link #build} validated options: what the {@code with…} methods and the command line use, so
   * that a new component is added here and in the record header only.
   */
  static final class Draft {
    Path path;
    int days = DEFAULT_DAYS;
    int filesPerDay = DEFAULT_FILES_PER_DAY;
    int linesPerFile = DEFAULT_LINES_PER_FILE;
    LocalDate startDate;
    long seed = DEFAULT_SEED;
    int firstSerial;
    String extension = "";
    int unsortedFiles;
    boolean gzip;
    int customers = DEFAULT_CUSTOMERS;

    Draft() {}

    private Draft(GeneratorOptions options) {
      path = options.path;
      days = options.days;
      filesPerDay = options.filesPerDay;
      linesPerFile = options.linesPerFile;
      startDate = options.startDate;
      seed = options.seed;
      firstSerial = options.firstSerial;
      extension = options.extension;
      unsortedFiles = options.unsortedFiles;
      gzip = options.gzip;
      customers = options.customers;
    }

    /**
     * @throws InvalidOptionException naming the first component that cannot make a valid run
     */
    GeneratorOptions build() {
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
          gzip,
          customers);
    }
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
}
