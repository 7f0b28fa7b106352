package dev.logmerge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void containsItsDaysBothEndsIncludedAndNoOthers() {
    DateRange range = DateRange.parse("2019-12-31", "2020-01-02");
    assertTrue(range.contains(LocalDate.of(2019, 12, 31)));
    assertTrue(range.contains(LocalDate.of(2020, 1, 1)));
    assertTrue(range.contains(LocalDate.of(2020, 1, 2)));
    assertFalse(range.contains(LocalDate.of(2019, 12, 30)));
    assertFalse(range.contains(LocalDate.of(2020, 1, 3)));
  }

  @Test
  void refusesStartAfterEnd() {
    assertThrows(IllegalArgumentException.class, () -> DateRange.parse("2019-08-25", "2019-08-19"));
  }
}
