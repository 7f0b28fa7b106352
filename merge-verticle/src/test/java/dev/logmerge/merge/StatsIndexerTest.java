package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** How the scan cuts changed days into jobs. */
class StatsIndexerTest {
  @Test
  void consecutiveDaysShareAJobOfAtMostSevenDays() {
    List<LocalDate> days =
        Stream.concat(
                Stream.iterate(LocalDate.parse("2019-08-01"), d -> d.plusDays(1)).limit(9),
                Stream.of(LocalDate.parse("2019-08-20"), LocalDate.parse("2019-08-21")))
            .toList();

    List<List<LocalDate>> runs = StatsIndexer.runs(days);

    assertEquals(List.of(7, 2, 2), runs.stream().map(List::size).toList());
    assertEquals(LocalDate.parse("2019-08-08"), runs.get(1).get(0));
    assertEquals(LocalDate.parse("2019-08-20"), runs.get(2).get(0));
  }

  @Test
  void noDaysNoJobs() {
    assertEquals(List.of(), StatsIndexer.runs(List.of()));
  }
}
