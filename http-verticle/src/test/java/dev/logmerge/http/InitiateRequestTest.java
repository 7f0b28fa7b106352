package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InitiateRequestTest {
  private static InitiateRequest read(String start, String end) {
    return InitiateRequest.from(
        new JsonObject().put("start_date", start).put("end_date", end), 366);
  }

  private static String rejection(String start, String end) {
    ProblemException e = assertThrows(ProblemException.class, () -> read(start, end));
    assertEquals(ProblemType.INVALID_REQUEST, e.problem().type());
    return e.problem().detail();
  }

  @Test
  void readsARangeOfRealDays() {
    assertEquals(
        DateRange.parse("2019-08-19", "2019-08-25"), read("2019-08-19", "2019-08-25").range());
    assertEquals(1, read("2020-02-29", "2020-02-29").range().days());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2019-02-30",
        "2019-13-01",
        "2019-00-10",
        "2019-8-1",
        "19-08-01",
        "2019-08-19T00:00:00",
        "+2019-08-19",
        " 2019-08-19",
        "2019-08-19 ",
        "2019/08/19",
        "",
        "１２３４-０８-１９",
        "2019-02-29"
      })
  void rejectsAnythingButAStrictRealDate(String text) {
    assertEquals(
        "start_date: expected a calendar date in the form YYYY-MM-DD, got "
            + ClientValue.quote(text),
        rejection(text, "2020-01-01"));
  }

  @Test
  void namesBothDatesWhenBothAreMalformed() {
    String detail = rejection("2019-8-1", "2019-02-30");
    assertTrue(
        detail.contains("start_date: expected") && detail.contains("end_date: expected"), detail);
  }

  @Test
  void rejectsAnEndBeforeTheStart() {
    assertEquals(
        "end_date: expected a date on or after start_date (2019-08-26), got \"2019-08-25\"",
        rejection("2019-08-26", "2019-08-25"));
  }

  @Test
  void limitsTheRangeToTheConfiguredDaysBothEndsIncluded() {
    assertEquals(366, read("2020-01-01", "2020-12-31").range().days());
    assertEquals(
        "end_date: the range 2020-01-01 to 2021-01-01 spans 367 days; at most 366 days are allowed",
        rejection("2020-01-01", "2021-01-01"));
  }
}
