package dev.logmerge.loggen;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Decides which files a run writes, what they are called, and which of them are unsorted. */
final class GenerationPlan {
  // salts that keep the streams derived from one seed apart
  private static final long DAY_SALT = 0x646179L;
  private static final long FILE_SALT = 0x66696c65L;
  private static final long UNSORTED_SALT = 0x756e736f72746564L;

  private GenerationPlan() {}

  /**
   * The files in input order: by day, then by serial as a number ({@code _2} before {@code _10}). A
   * file's seed depends only on the run's seed, its day and its serial, so a file keeps its content
   * when other options (the number of days or files) change.
   */
  static List<PlannedFile> plan(GeneratorOptions options, LocalDate firstDay) {
    boolean[] unsorted = chooseUnsorted(options);
    List<PlannedFile> files = new ArrayList<>(options.totalFiles());
    for (int d = 0; d < options.days(); d++) {
      LocalDate day = firstDay.plusDays(d);
      long daySeed = SeededRandom.derive(options.seed(), DAY_SALT, day.toEpochDay());
      for (int i = 0; i < options.filesPerDay(); i++) {
        int serial = options.firstSerial() + i;
        long fileSeed = SeededRandom.derive(options.seed(), FILE_SALT, day.toEpochDay(), serial);
        files.add(
            new PlannedFile(
                day,
                serial,
                fileName(day, serial, options),
                fileSeed,
                daySeed,
                unsorted[files.size()]));
      }
    }
    return files;
  }

  static String fileName(LocalDate day, int serial, GeneratorOptions options) {
    return day + "_" + serial + options.extension() + (options.gzip() ? ".gz" : "");
  }

  /** Picks exactly {@code unsortedFiles} distinct files with a partial Fisher-Yates shuffle. */
  private static boolean[] chooseUnsorted(GeneratorOptions options) {
    int total = options.totalFiles();
    boolean[] unsorted = new boolean[total];
    if (options.unsortedFiles() == 0) {
      return unsorted;
    }
    int[] order = new int[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    SeededRandom random = new SeededRandom(SeededRandom.derive(options.seed(), UNSORTED_SALT));
    for (int i = 0; i < options.unsortedFiles(); i++) {
      int j = i + random.nextInt(total - i);
      int chosen = order[j];
      order[j] = order[i];
      order[i] = chosen;
      unsorted[chosen] = true;
    }
    return unsorted;
  }
}
