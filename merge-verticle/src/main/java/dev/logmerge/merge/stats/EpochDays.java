package dev.logmerge.merge.stats;

/** Days since 1970-01-01 of proleptic Gregorian dates, without making a LocalDate per line. */
final class EpochDays {
  private static final int DAYS_PER_400_YEARS = 146_097;
  private static final int DAYS_FROM_0000_03_01_TO_EPOCH = 719_468;

  private EpochDays() {}

  /**
   * The day's number as {@link java.time.LocalDate#toEpochDay()} gives it, for a valid date of the
   * years 0–9999. Counts from 1 March so that the leap day ends each cycle (the civil-from-days
   * arithmetic that java.time uses too).
   */
  static long of(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return (long) era * DAYS_PER_400_YEARS + dayOfEra - DAYS_FROM_0000_03_01_TO_EPOCH;
  }

  static boolean isLeapYear(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  }
}
