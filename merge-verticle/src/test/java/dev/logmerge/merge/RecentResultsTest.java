package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.JobResult;
import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentResultsTest {
  private static final DateRange WEEK = DateRange.parse("2019-08-19", "2019-08-25");
  private static final JobResult FIRST = new JobResult("merged", "a.log", 10, "\"e1\"");
  private static final JobResult SECOND = new JobResult("merged", "b.log", 20, "\"e2\"");

  /** The results asked about, in order; the stored ones answer true. */
  private final List<JobResult> asked = new ArrayList<>();

  private final Set<JobResult> stored = new HashSet<>(Set.of(FIRST, SECOND));
  private final RecentResults recent =
      new RecentResults(
          result -> {
            asked.add(result);
            return Future.succeededFuture(stored.contains(result));
          });

  @Test
  void aRangeNeverSeenChecksNothingAhead() {
    recent.checkAhead(WEEK);

    assertEquals(List.of(), asked);
  }

  @Test
  void theResultARangeHadIsCheckedAheadAndThatAnswerServesIt() {
    recent.remember(WEEK, FIRST);

    RecentResults.Check check = recent.checkAhead(WEEK);
    assertEquals(List.of(FIRST), asked, "checked before the inputs are listed");

    assertTrue(check.holds(FIRST).result());
    assertEquals(List.of(FIRST), asked, "not checked twice");
  }

  @Test
  void anotherResultIsCheckedAgainAndGuessedNextTime() {
    recent.remember(WEEK, FIRST);
    RecentResults.Check check = recent.checkAhead(WEEK);

    assertTrue(check.holds(SECOND).result());
    assertEquals(List.of(FIRST, SECOND), asked);

    recent.checkAhead(WEEK);
    assertEquals(List.of(FIRST, SECOND, SECOND), asked);
  }

  @Test
  void aResultFoundGoneIsNotGuessedAgain() {
    recent.remember(WEEK, FIRST);
    stored.remove(FIRST);
    RecentResults.Check check = recent.checkAhead(WEEK);

    assertFalse(check.holds(FIRST).result());

    recent.checkAhead(WEEK);
    assertEquals(List.of(FIRST), asked);
  }

  @Test
  void onlyTheLastRangesAreKept() {
    LocalDate day = LocalDate.parse("2000-01-01");
    for (int i = 0; i <= RecentResults.CAPACITY; i++) {
      recent.remember(new DateRange(day.plusDays(i), day.plusDays(i)), FIRST);
    }

    recent.checkAhead(new DateRange(day, day));
    assertEquals(List.of(), asked, "the oldest range was let go");
    recent.checkAhead(new DateRange(day.plusDays(1), day.plusDays(1)));
    assertEquals(List.of(FIRST), asked);
  }
}
