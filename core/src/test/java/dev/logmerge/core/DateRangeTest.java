package dev.logmerge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DateRangeTest {
  @Test
  void listsEveryDayBothEndsIncludedAcrossAMonthEnd() {
    DateRange range = DateRange.parse("2019-08-30", "2019-09-02");
    assertEquals(4, range.days());
    assertEquals(
        List.of(
            LocalDate.of(2019, 8, 30),
            LocalDate.of(2019, 8, 31),
            LocalDate.of(2019, 9, 1),
            LocalDate.of(2019, 9, 2)),
        range.dates());
  }

  @Test
  void aSingleDayIsARange() {
    assertEquals(1, DateRange.parse("2020-02-29", "2020-02-29").days());
  }

  @Test
  void refusesStartAfterEnd() {
    assertThrows(IllegalArgumentException.class, () -> DateRange.parse("2019-08-25", "2019-08-19"));
  }
}
