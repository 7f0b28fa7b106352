package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.merge.engine.Compression;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogFileNameTest {

  @ParameterizedTest
  @CsvSource({
    "2019-08-17_1,           2019-08-17, 1,  NONE",
    "2019-08-17_0,           2019-08-17, 0,  NONE",
    "2019-08-18_0.log,       2019-08-18, 0,  NONE",
    "2019-08-18_12.txt,      2019-08-18, 12, NONE",
    "2019-08-18_3.txt.gz,    2019-08-18, 3,  GZIP",
    "2019-08-18_3.log.gz,    2019-08-18, 3,  GZIP",
    "2019-08-18_7.gz,        2019-08-18, 7,  GZIP",
    "2020-02-29_1,           2020-02-29, 1,  NONE",
  })
  void parsesLogFileNames(String key, LocalDate date, String serial, Compression compression) {
    LogFileName input = LogFileName.parse(key).orElseThrow();
    assertEquals(key, input.key());
    assertEquals(date, input.date());
    assertEquals(serial, input.serial());
    assertEquals(compression, input.compression());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "notes.txt",
        "2019-08-1_1",
        "2019-08-17_x",
        "2019-08-17_",
        "2019-08-17",
        "2019-13-01_1",
        "2019-02-29_1",
        "2019-08-32_1",
        "2019-08-17_1.csv",
        "2019-08-17_1.log.bak",
        "2019-08-17_1.gz.log",
        "2019-08-17_1.log.txt",
        "logs/2019-08-17_1",
        "2019-08-17_1/",
        " 2019-08-17_1",
        "2019-08-17_-1",
        "2019-08-17_1 ",
        "19-08-17_1",
        "2019-08-17_١",
        ""
      })
  void rejectsKeysThatAreNotInputs(String key) {
    assertTrue(LogFileName.parse(key).isEmpty(), key);
  }

  @Test
  void ordersSerialsAsNumbers() {
    assertTrue(key("2019-08-17_2").compareTo(key("2019-08-17_10")) < 0);
    assertTrue(key("2019-08-17_9.log").compareTo(key("2019-08-17_10")) < 0);
    assertTrue(key("2019-08-17_0").compareTo(key("2019-08-17_1")) < 0);
  }

  @Test
  void ordersByDateBeforeSerial() {
    assertTrue(key("2019-08-17_99").compareTo(key("2019-08-18_0")) < 0);
    assertTrue(key("2019-12-31_5").compareTo(key("2020-01-01_1")) < 0);
  }

  @Test
  void comparesSerialsLongerThanALongWithoutOverflow() {
    LogFileName huge = key("2019-08-17_1234567890123456789012345");
    assertEquals("1234567890123456789012345", huge.serial());
    assertTrue(key("2019-08-17_9223372036854775807").compareTo(huge) < 0);
    assertTrue(huge.compareTo(key("2019-08-17_1234567890123456789012346")) < 0);
  }

  @Test
  void breaksTiesOfEqualSerialsByTheWholeKey() {
    LogFileName plain = key("2019-08-17_1");
    LogFileName padded = key("2019-08-17_01");
    LogFileName log = key("2019-08-17_1.log");
    assertTrue(padded.compareTo(plain) < 0, "same number: the whole key decides");
    assertTrue(plain.compareTo(log) < 0);
    assertFalse(plain.equals(log));
    assertEquals(0, plain.compareTo(key("2019-08-17_1")));
    assertEquals(plain, key("2019-08-17_1"));
  }

  @Test
  void sortsADayFromSerialZeroOrOneInNaturalOrder() {
    List<String> expected =
        List.of(
            "2019-08-17_0",
            "2019-08-17_1",
            "2019-08-17_2.log",
            "2019-08-17_10.txt.gz",
            "2019-08-17_11",
            "2019-08-17_100",
            "2019-08-18_1",
            "2019-08-18_2",
            "2019-08-18_10");
    List<LogFileName> shuffled =
        new ArrayList<>(expected.stream().map(LogFileNameTest::key).toList());
    Collections.shuffle(shuffled, new Random(7));
    Collections.sort(shuffled);
    assertEquals(expected, shuffled.stream().map(LogFileName::key).toList());
  }

  private static LogFileName key(String key) {
    return LogFileName.parse(key).orElseThrow();
  }
}
