package dev.logmerge.merge.stats;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestLineParserTest {
  private static final String TAIL = " INFO cust-1 GET /a 200 5ms done";

  private final RequestLineParser parser = new RequestLineParser();

  @Test
  void readsEveryFieldOfAGeneratorLine() {
    String line =
        "2019-08-19T00:05:21.823Z WARN cust-079653 GET /api/v1/orders/40886 404 6ms"
            + " requested resource not found";
    assertTrue(parse(line));
    assertEquals(LocalDate.of(2019, 8, 19), LocalDate.ofEpochDay(parser.epochDay()));
    assertEquals(5, parser.minuteOfDay());
    assertEquals("cust-079653", customer(line));
    assertEquals(404, parser.status());
    assertEquals(6, parser.durationMs());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2019-08-19T10:00:00Z INFO c GET / 200 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 200 1ms ",
        "2019-08-19T10:00:00Z INFO c GET / 200 1ms  free  text with   spaces ",
        "2019-08-19T10:00:00.1Z INFO c GET / 200 1ms",
        "2019-08-19T10:00:00.123456789Z INFO c GET / 200 1ms x",
        "2019-08-19T10:00:00.1234567890123Z INFO c GET / 200 1ms x",
        "2019-08-19T10:00:00+00:00 INFO c GET / 200 1ms",
        "2019-08-19T10:00:00-00:00 INFO c GET / 200 1ms",
        "2019-08-19T10:00:00.5+23:59 INFO c GET / 200 1ms",
        "2019-08-19T23:59:60Z INFO c GET / 200 1ms leap second",
        "2019-08-19T10:00:00Z é\u00ff c GET /ä?q=\t 200 1ms level and path are any non-space bytes",
        "2019-08-19T10:00:00Z I A.b_c-9 PROPFIND / 100 0ms",
        "2019-08-19T10:00:00Z I c X / 599 2147483647ms",
        "2019-08-19T10:00:00Z I c X / 200 000000000000000000042ms leading zeros",
        "0000-01-01T00:00:00Z I c X / 200 1ms",
        "9999-12-31T23:59:59Z I c X / 200 1ms",
      })
  void acceptsRequestLines(String line) {
    assertTrue(parse(line), line);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "2019-08-19:14:05:00 10.0.0.1 Mozilla/5.0 /index.html",
        "2019-08-19 10:00:00Z INFO c GET / 200 1ms",
        "2019-08-19t10:00:00Z INFO c GET / 200 1ms",
        "2019-08-19T10:00:00z INFO c GET / 200 1ms",
        "2019-08-19T10:00:00 INFO c GET / 200 1ms",
        "2019-08-19T10:00Z INFO c GET / 200 1ms",
        "2019-08-19T10:00:00.Z INFO c GET / 200 1ms",
        "2019-08-19T10:00:00+0200 INFO c GET / 200 1ms",
        "2019-08-19T10:00:00+02 INFO c GET / 200 1ms",
        "2019-08-19T10:00:00+24:00 INFO c GET / 200 1ms",
        "2019-08-19T10:00:00+02:60 INFO c GET / 200 1ms",
        "2019-08-19T10:00:00Z+02:00 INFO c GET / 200 1ms",
        "2019-13-19T10:00:00Z INFO c GET / 200 1ms",
        "2019-00-19T10:00:00Z INFO c GET / 200 1ms",
        "2019-08-00T10:00:00Z INFO c GET / 200 1ms",
        "2019-08-32T10:00:00Z INFO c GET / 200 1ms",
        "2019-04-31T10:00:00Z INFO c GET / 200 1ms",
        "2019-02-29T10:00:00Z INFO c GET / 200 1ms",
        "1900-02-29T10:00:00Z INFO c GET / 200 1ms",
        "2019-08-19T24:00:00Z INFO c GET / 200 1ms",
        "2019-08-19T10:60:00Z INFO c GET / 200 1ms",
        "2019-08-19T10:00:61Z INFO c GET / 200 1ms",
        "2O19-08-19T10:00:00Z INFO c GET / 200 1ms",
        "+2019-08-19T10:00:00Z INFO c GET / 200 1ms",
        " 2019-08-19T10:00:00Z INFO c GET / 200 1ms",
        "2019-08-19T10:00:00Z  INFO c GET / 200 1ms",
        "2019-08-19T10:00:00Z INFO  c GET / 200 1ms",
        "2019-08-19T10:00:00Z INFO c  GET / 200 1ms",
        "2019-08-19T10:00:00Z INFO c GET  / 200 1ms",
        "2019-08-19T10:00:00Z INFO c GET /  200 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 200  1ms",
        "2019-08-19T10:00:00Z\tINFO c GET / 200 1ms",
        "2019-08-19T10:00:00Z INFO c\tGET / 200 1ms",
        "2019-08-19T10:00:00Z INFO cust/1 GET / 200 1ms",
        "2019-08-19T10:00:00Z INFO cüst GET / 200 1ms",
        "2019-08-19T10:00:00Z INFO c get / 200 1ms",
        "2019-08-19T10:00:00Z INFO c GET1 / 200 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 099 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 600 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 99 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 2000 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 2x0 1ms",
        "2019-08-19T10:00:00Z INFO c GET / 200 ms",
        "2019-08-19T10:00:00Z INFO c GET / 200 -1ms",
        "2019-08-19T10:00:00Z INFO c GET / 200 1",
        "2019-08-19T10:00:00Z INFO c GET / 200 1m",
        "2019-08-19T10:00:00Z INFO c GET / 200 1sec",
        "2019-08-19T10:00:00Z INFO c GET / 200 1msx",
        "2019-08-19T10:00:00Z INFO c GET / 200 1ms\tx",
        "2019-08-19T10:00:00Z INFO c GET / 200 1.5ms",
        "2019-08-19T10:00:00Z INFO c GET / 200 2147483648ms",
        "2019-08-19T10:00:00Z INFO c GET / 200 99999999999999999999999ms",
        "2019-08-19T10:00:00Z INFO c GET /",
        "2019-08-19T10:00:00Z INFO c GET / 200",
        "2019-08-19T10:00:00Z INFO c GET / 200 ",
        "2019-08-19T10:00:00Z",
        "2019-08-19T10:00:00Z ",
      })
  void refusesOtherLines(String line) {
    assertFalse(parse(line), line);
  }

  @Test
  void takesCustomersOfOneTo64Characters() {
    String longest = "a".repeat(64);
    String line = "2019-08-19T10:00:00Z INFO " + longest + " GET / 200 1ms";
    assertTrue(parse(line));
    assertEquals(longest, customer(line));
    assertFalse(parse("2019-08-19T10:00:00Z INFO " + longest + "b GET / 200 1ms"));
  }

  @Test
  void countsLinesInUtcAcrossMidnight() {
    assertUtc("2019-08-19T01:30:00+02:00", LocalDate.of(2019, 8, 18), 23 * 60 + 30);
    assertUtc("2019-08-18T22:00:00-05:00", LocalDate.of(2019, 8, 19), 3 * 60);
    assertUtc("2019-08-19T00:00:00.000+00:01", LocalDate.of(2019, 8, 18), 1439);
    assertUtc("2019-08-18T23:59:59.999-00:01", LocalDate.of(2019, 8, 19), 0);
    assertUtc("2020-01-01T00:10:00+01:00", LocalDate.of(2019, 12, 31), 23 * 60 + 10);
    assertUtc("2019-12-31T23:10:00-01:00", LocalDate.of(2020, 1, 1), 10);
    assertUtc("2019-08-19T12:34:56.789Z", LocalDate.of(2019, 8, 19), 12 * 60 + 34);
  }

  @Test
  void knowsLeapDays() {
    assertUtc("2020-02-29T12:00:00Z", LocalDate.of(2020, 2, 29), 720);
    assertUtc("2000-02-29T12:00:00Z", LocalDate.of(2000, 2, 29), 720);
    assertUtc("2020-03-01T00:30:00+01:00", LocalDate.of(2020, 2, 29), 23 * 60 + 30);
    assertUtc("2019-03-01T00:30:00+01:00", LocalDate.of(2019, 2, 28), 23 * 60 + 30);
    assertUtc("2020-02-28T23:30:00-01:00", LocalDate.of(2020, 2, 29), 30);
    assertFalse(parse("2100-02-29T12:00:00Z" + TAIL));
  }

  @Test
  void agreesWithJavaTimeOnRandomInstantsAndOffsets() {
    Random random = new Random(14);
    DateTimeFormatter format = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    for (int i = 0; i < 20_000; i++) {
      // java.time's offsets end at ±18:00
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(60 * (random.nextInt(2 * 1080 + 1) - 1080));
      OffsetDateTime time =
          OffsetDateTime.of(
                  LocalDate.ofEpochDay(random.nextInt(3_652_425) - 719_528).atStartOfDay(), offset)
              .plusSeconds(random.nextInt(86_400))
              .plusNanos(1_000_000L * random.nextInt(1000));
      if (time.getYear() < 0 || time.getYear() > 9999) {
        continue;
      }
      OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
      assertUtc(format.format(time), utc.toLocalDate(), utc.getHour() * 60 + utc.getMinute());
    }
  }

  @Test
  void leavesOneTrailingCarriageReturnOutOfTheLine() {
    assertTrue(parse("2019-08-19T10:00:00Z INFO c GET / 200 1ms\r"));
    assertEquals(1, parser.durationMs());
    assertTrue(parse("2019-08-19T10:00:00Z INFO c GET / 200 1ms text\r"));
    assertFalse(parse("2019-08-19T10:00:00Z INFO c GET / 200 1ms\r\r"));
    assertFalse(parse("2019-08-19T10:00:00Z INFO c GET / 200 1\rms"));
    assertFalse(parse("\r"));
  }

  @Test
  void judgesLongLinesByTheirFirst64KiB() {
    String head = "2019-08-19T10:00:00Z INFO c GET /";
    assertTrue(parse(head + " 200 1ms " + "x".repeat(200_000)), "long free text");
    String path = "p".repeat(RequestLineParser.RECOGNISED_BYTES);
    assertFalse(parse(head + path + " 200 1ms"), "fields beyond the first 64 KiB");

    String fits = head + " 200 1ms";
    String exactly =
        fits + " " + "x".repeat(RequestLineParser.RECOGNISED_BYTES - fits.length() - 1);
    assertEquals(RequestLineParser.RECOGNISED_BYTES, exactly.length());
    assertTrue(parse(exactly));
    assertTrue(parse(exactly + "\r"));
    assertTrue(parse(exactly + "y"), "the space after the duration is within the 64 KiB");

    String endsWithDuration =
        head + "p".repeat(RequestLineParser.RECOGNISED_BYTES - fits.length()) + " 200 1ms";
    assertEquals(RequestLineParser.RECOGNISED_BYTES, endsWithDuration.length());
    assertTrue(parse(endsWithDuration), "a line of exactly 64 KiB is read whole");
    assertFalse(parse(endsWithDuration + " text"), "its space is beyond the first 64 KiB");
  }

  @Test
  void startOfALongLineNeedsTheSpaceAfterTheDuration() {
    byte[] start = "2019-08-19T10:00:00Z INFO c GET / 200 1ms".getBytes(UTF_8);
    assertFalse(parser.parseStartOfLongLine(start, 0, start.length));
    byte[] withSpace = "2019-08-19T10:00:00Z INFO c GET / 200 1ms ".getBytes(UTF_8);
    assertTrue(parser.parseStartOfLongLine(withSpace, 0, withSpace.length));
    byte[] inPath = "2019-08-19T10:00:00Z INFO c GET /aaaa".getBytes(UTF_8);
    assertFalse(parser.parseStartOfLongLine(inPath, 0, inPath.length));
  }

  @Test
  void readsALineInsideALargerBuffer() {
    byte[] bytes = ("xx\n2019-08-19T10:00:00Z INFO cust-7 GET / 503 12ms\nyy").getBytes(UTF_8);
    int from = 3;
    int to = bytes.length - 3;
    assertTrue(parser.parse(bytes, from, to));
    assertEquals("cust-7", new String(bytes, parser.customerStart(), 6, UTF_8));
    assertEquals(parser.customerStart() + 6, parser.customerEnd());
    assertEquals(503, parser.status());
    assertEquals(12, parser.durationMs());
    assertFalse(parser.parse(bytes, from, to - 1), "cut before the end of ms");
  }

  @Test
  void acceptsEveryLineOfTheSampleData() throws IOException {
    long lines = 0;
    try (Stream<Path> files = Files.list(Path.of("..", "miniodata", "logs"))) {
      for (Path file : files.sorted().toList()) {
        LocalDate fileDay = LocalDate.parse(file.getFileName().toString().substring(0, 10));
        List<String> sample = Files.readAllLines(file, ISO_8859_1);
        for (String line : sample) {
          assertTrue(parse(line), file + ": " + line);
          long days = parser.epochDay() - fileDay.toEpochDay();
          assertTrue(days == 0 || days == -1, file + " holds a line of another day: " + line);
        }
        lines += sample.size();
      }
    }
    assertTrue(lines >= 7500, "sample lines: " + lines);
  }

  private boolean parse(String line) {
    byte[] bytes = line.getBytes(UTF_8);
    return parser.parse(bytes, 0, bytes.length);
  }

  private String customer(String line) {
    byte[] bytes = line.getBytes(UTF_8);
    return new String(
        bytes, parser.customerStart(), parser.customerEnd() - parser.customerStart(), UTF_8);
  }

  private void assertUtc(String timestamp, LocalDate date, int minuteOfDay) {
    assertTrue(parse(timestamp + TAIL), timestamp);
    assertEquals(date, LocalDate.ofEpochDay(parser.epochDay()), timestamp);
    assertEquals(minuteOfDay, parser.minuteOfDay(), timestamp);
  }
}
