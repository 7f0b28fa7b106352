package dev.logmerge.merge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class EpochDaysTest {
  @Test
  void numbersEveryDayOfYears0To9999AsJavaTimeDoes() {
    for (LocalDate date = LocalDate.of(0, 1, 1); date.getYear() <= 9999; date = date.plusDays(1)) {
      assertEquals(
          date.toEpochDay(),
          EpochDays.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth()),
          date::toString);
      assertEquals(date.isLeapYear(), EpochDays.isLeapYear(date.getYear()), date::toString);
    }
  }
}
