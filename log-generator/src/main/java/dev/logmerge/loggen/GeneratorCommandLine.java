package dev.logmerge.loggen;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns command-line flags into {@link GeneratorOptions}. Flags come as {@code --flag value} or
 * {@code --flag=value}; a repeated flag's last value wins. Every mistake becomes a {@link
 * UsageException} naming the flag and the form it expects.
 */
public final class GeneratorCommandLine {
  public static final String USAGE =
      """
      Usage: java -jar log-generator.jar --path DIR [options]

      Writes sample log files named YYYY-MM-DD_<serial>[.log][.gz], each sorted by bytes
      (as LC_ALL=C sort orders them), with timestamps spread over its day.

        --path DIR                directory to write into, created if missing (required)
        --days N                  consecutive days to write (default 5)
        --files N                 files per day (default 3)
        --lines N                 lines per file, 0 or more (default 1000)
        --start-date YYYY-MM-DD   first day (default: today (UTC) minus days-1, ending today)
        --seed N                  seed; the same flags give byte-identical files (default 1)
        --first-serial 0|1        serial of each day's first file (default 0)
        --extension none|log|txt  file name extension (default none)
        --unsorted N              shuffle the lines of N files, chosen from the seed (default 0)
        --gzip                    gzip each file and add .gz to its name
        --customers N             distinct customers the lines draw from, 1 to 1000000
                                  (default 250000)
        --help                    print this help and exit

      Every flag with a value also takes the form --flag=value.
      Exit status: 0 done, 1 the files could not be written, 2 bad flags.
      """;

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private GeneratorCommandLine() {}

  /** Whether the arguments ask for help, which wins over any other flag, valid or not. */
  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
  }

  /**
   * Parses the flags. The start date is always resolved, so the options say which days will be
   * written.
   *
   * @param today the day a missing {@code --start-date} counts back from
   */
  public static GeneratorOptions parse(String[] args, LocalDate today) throws UsageException {
    FlagValues values = new FlagValues();
    List<String> tokens = Arrays.asList(args);
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (!token.startsWith("--")) {
        throw new UsageException(
            "unexpected argument '" + token + "': every value follows its flag");
      }
      int equals = token.indexOf('=');
      String name = equals < 0 ? token : token.substring(0, equals);
      Flag flag = Flag.named(name);
      if (flag == Flag.GZIP) {
        if (equals >= 0) {
          throw flag.error("takes no value, got '" + token.substring(equals + 1) + "'");
        }
        values.draft.gzip = true;
        continue;
      }
      String value;
      if (equals >= 0) {
        value = token.substring(equals + 1);
      } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
        value = tokens.get(++i);
      } else {
        throw flag.error("needs a value");
      }
      values.set(flag, value);
    }
    return values.toOptions(today);
  }

  /**
   * The flags, each with its form for messages and the {@link GeneratorOptions} component it sets.
   */
  private enum Flag {
    PATH("--path", "DIR", "path"),
    DAYS("--days", "N, a whole number of at least 1", "days"),
    FILES("--files", "N, a whole number of at least 1", "filesPerDay"),
    LINES("--lines", "N, a whole number of at least 0", "linesPerFile"),
    START_DATE("--start-date", "YYYY-MM-DD, a real date", "startDate"),
    SEED("--seed", "N, a whole number", "seed"),
    FIRST_SERIAL("--first-serial", "0 or 1", "firstSerial"),
    EXTENSION("--extension", "none, log or txt", "extension"),
    UNSORTED("--unsorted", "N, a whole number from 0 to the number of files", "unsortedFiles"),
    GZIP("--gzip", "", "gzip"),
    CUSTOMERS("--customers", "N, a whole number from 1 to 1000000", "customers");

    private final String name;
    private final String form;
    private final String option;

    Flag(String name, String form, String option) {
      this.name = name;
      this.form = form;
      this.option = option;
    }

    static Flag named(String name) throws UsageException {
      for (Flag flag : values()) {
        if (flag.name.equals(name)) {
          return flag;
        }
      }
      throw new UsageException("unknown flag " + name);
    }

    static Flag forOption(String option) {
      for (Flag flag : values()) {
        if (flag.option.equals(option)) {
          return flag;
        }
      }
      throw new IllegalArgumentException("no flag sets " + option);
    }

    UsageException error(String problem) {
      String expected = form.isEmpty() ? name : name + " " + form;
      return new UsageException(name + " " + problem + " (expected " + expected + ")");
    }
  }

  /** The values seen so far, starting from the defaults. */
  private static final class FlagValues {
    private final GeneratorOptions.Draft draft = new GeneratorOptions.Draft();

    void set(Flag flag, String value) throws UsageException {
      switch (flag) {
        case PATH -> draft.path = parsePath(flag, value);
        case DAYS -> draft.days = parseInt(flag, value);
        case FILES -> draft.filesPerDay = parseInt(flag, value);
        case LINES -> draft.linesPerFile = parseInt(flag, value);
        case START_DATE -> draft.startDate = parseDate(flag, value);
        case SEED -> draft.seed = parseLong(flag, value);
        case FIRST_SERIAL -> draft.firstSerial = parseInt(flag, value);
        case EXTENSION -> draft.extension = value;
        case UNSORTED -> draft.unsortedFiles = parseInt(flag, value);
        case CUSTOMERS -> draft.customers = parseInt(flag, value);
        case GZIP -> throw new IllegalStateException("--gzip takes no value; parse handles it");
      }
    }

    GeneratorOptions toOptions(LocalDate today) throws UsageException {
      if (draft.path == null) {
        throw Flag.PATH.error("is required");
      }
      try {
        GeneratorOptions options = draft.build();
        return options.withStartDate(options.firstDay(today));
      } catch (InvalidOptionException e) {
        throw Flag.forOption(e.option()).error(e.problem());
      }
    }

    private static Path parsePath(Flag flag, String value) throws UsageException {
      if (value.isBlank()) {
        throw flag.error("needs a directory");
      }
      try {
        return Path.of(value);
      } catch (InvalidPathException e) {
        throw flag.error("is not a usable path: " + e.getReason());
      }
    }

    private static int parseInt(Flag flag, String value) throws UsageException {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw flag.error("got '" + value + "', which is not a whole number in range");
      }
    }

    private static long parseLong(Flag flag, String value) throws UsageException {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw flag.error("got '" + value + "', which is not a whole number in range");
      }
    }

    private static LocalDate parseDate(Flag flag, String value) throws UsageException {
      try {
        if (DATE.matcher(value).matches()) {
          return LocalDate.parse(value);
        }
      } catch (DateTimeParseException e) {
        // same message as a malformed date: the user needs the form, not the parser's reason
      }
      throw flag.error("got '" + value + "', which is not a real date");
    }
  }
}
