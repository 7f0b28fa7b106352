package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

  @Test
  void readsABodyOfBothDates() {
    assertEquals(
        DateRange.parse("2019-08-19", "2019-08-25"),
        InitiateRequest.parse(
                Buffer.buffer("{\"start_date\":\"2019-08-19\",\"end_date\":\"2019-08-25\"}"), 366)
            .range());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                   | request body: expected a JSON object"
            + " {\"start_date\": \"YYYY-MM-DD\", \"end_date\": \"YYYY-MM-DD\"}, got an empty body",
        "{                                    | request body: expected a JSON object"
            + " {\"start_date\": \"YYYY-MM-DD\", \"end_date\": \"YYYY-MM-DD\"}, got malformed JSON",
        "true                                 | request body: expected a JSON object"
            + " {\"start_date\": \"YYYY-MM-DD\", \"end_date\": \"YYYY-MM-DD\"}, got a boolean",
        "{\"z\": 1, \"end_date\": [], \"a\": 2} | start_date: missing; expected a string holding a"
            + " calendar date in the form YYYY-MM-DD; end_date: expected a string holding a"
            + " calendar date in the form YYYY-MM-DD, got []; a: unexpected field; only start_date"
            + " and end_date are allowed; z: unexpected field; only start_date and end_date are"
            + " allowed",
        "{\"start_date\": \"x\", \"end_date\": 1} | end_date: expected a string holding a calendar"
            + " date in the form YYYY-MM-DD, got 1",
      })
  void namesEveryMisshapenPartOfTheBodyAtOnce(String body, String detail) {
    ProblemException e =
        assertThrows(ProblemException.class, () -> InitiateRequest.parse(Buffer.buffer(body), 366));
    assertEquals(ProblemType.INVALID_REQUEST, e.problem().type());
    assertEquals(detail, e.problem().detail());
  }

  @Test
  void treatsAMissingBodyAsAnEmptyOne() {
    ProblemException e =
        assertThrows(ProblemException.class, () -> InitiateRequest.parse(null, 366));
    assertTrue(e.problem().detail().endsWith("got an empty body"), e.problem().detail());
  }
}
