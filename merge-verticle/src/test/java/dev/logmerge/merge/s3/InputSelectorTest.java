package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.merge.engine.Compression;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

class InputSelectorTest {
  @RegisterExtension static final S3Fixture s3 = new S3Fixture();

  @Test
  void selectsTheInputsOfTheRangeInNaturalOrderIgnoringDecoys() {
    s3.createBucket("decoys");
    for (String key :
        List.of(
            "2019-08-16_1",
            "2019-08-17_10",
            "2019-08-17_2",
            "2019-08-17_1",
            "2019-08-17_x",
            "notes.txt",
            "2019-08-1_1",
            "2019-08-17_1.csv",
            "2019-08-17_",
            "2019-08-18_3.txt.gz",
            "2019-08-18_0.log",
            "2019-08-19_1",
            "2019-08-19_1.log.bak",
            "2019-08-20_1",
            "folder/2019-08-18_5",
            "2019-08-18_4/nested")) {
      s3.put("decoys", key, content(key));
    }

    List<LogObject> selected =
        new InputSelector(s3.proxied).select("decoys", range("2019-08-17", "2019-08-19")).join();

    assertEquals(
        List.of(
            "2019-08-17_1",
            "2019-08-17_2",
            "2019-08-17_10",
            "2019-08-18_0.log",
            "2019-08-18_3.txt.gz",
            "2019-08-19_1"),
        keys(selected));
    LogObject first = selected.get(0);
    assertEquals("decoys", first.bucket());
    assertEquals(content("2019-08-17_1").length, first.size());
    assertEquals(s3.head("decoys", "2019-08-17_1").eTag(), first.etag());
    assertNotNull(first.lastModified());
    assertEquals(Compression.GZIP, selected.get(4).name().compression());
  }

  @Test
  void followsContinuationTokensWithTinyPages() {
    s3.createBucket("paged");
    List<String> expected = new ArrayList<>();
    for (int day = 1; day <= 3; day++) {
      for (int serial = 0; serial < 7; serial++) {
        String key = "2019-09-0" + day + "_" + serial;
        s3.put("paged", key, content(key));
        expected.add(key);
      }
    }
    assertTrue(
        s3.direct.listObjectsV2(b -> b.bucket("paged").maxKeys(2)).join().isTruncated(),
        "the server pages at 2 keys, so a complete answer proves the selector followed the tokens");

    List<LogObject> selected =
        new InputSelector(s3.proxied, 2, 2)
            .select("paged", range("2019-09-01", "2019-09-03"))
            .join();

    assertEquals(expected, keys(selected));
  }

  @Test
  void listsManyDaysWithBoundedConcurrency() {
    s3.createBucket("months");
    List<String> expected = new ArrayList<>();
    for (LocalDate day = LocalDate.parse("2019-01-01");
        day.isBefore(LocalDate.parse("2019-03-01"));
        day = day.plusDays(3)) {
      String key = day + "_1";
      s3.put("months", key, content(key));
      expected.add(key);
    }

    List<LogObject> selected =
        new InputSelector(s3.proxied, 1000, 4)
            .select("months", range("2018-12-25", "2019-03-05"))
            .join();

    assertEquals(expected, keys(selected));
  }

  /** Inputs from just before 2019 to just after, with keys of other shapes among them. */
  private static final List<String> YEAR_INPUTS =
      List.of(
          "2018-12-31_1",
          "2019-01-01_0",
          "2019-01-01_1.log",
          "2019-01-01_10",
          "2019-01-01_2",
          "2019-02-28_5.txt.gz",
          "2019-03-01_1",
          "2019-07-14_3",
          "2019-07-15_1",
          "2019-12-31_7",
          "2020-01-01_1",
          "2020-01-01_12",
          "2020-01-01_2",
          "2020-01-02_1",
          "2020-02-01_1");

  private static final List<String> YEAR_DECOYS =
      List.of(
          "2018-12-31x",
          "2019-01-01",
          "2019-01-01-notes.txt",
          "2019-01-01^",
          "2019-01-01_x",
          "2019-02-29_1",
          "2019-07-14_3.log.bak",
          "2019-07-14_4/nested",
          "2019-07-14x",
          "2019-13-01_1",
          "2019_1",
          "2020-01-01",
          "2020-01-01-late.txt",
          "2020-01-01_",
          "2020-01-01x",
          "folder/2019-07-14_5",
          "notes.txt");

  private static void seedYear(String bucket) {
    s3.createBucket(bucket);
    for (String key : YEAR_INPUTS) {
      s3.put(bucket, key, content(key));
    }
    for (String key : YEAR_DECOYS) {
      s3.put(bucket, key, content(key));
    }
  }

  @Test
  void aLongRangeSelectsExactlyTheKeysOfItsDaysInNaturalOrderAcrossPages() {
    seedYear("year");
    assertTrue(
        s3.direct.listObjectsV2(b -> b.bucket("year").maxKeys(3)).join().isTruncated(),
        "the server pages at 3 keys, so a complete answer proves the selector followed the tokens");

    List<LogObject> selected =
        new InputSelector(s3.proxied, 3, 16)
            .select("year", range("2019-01-01", "2020-01-01"))
            .join();

    assertEquals(
        List.of(
            "2019-01-01_0",
            "2019-01-01_1.log",
            "2019-01-01_2",
            "2019-01-01_10",
            "2019-02-28_5.txt.gz",
            "2019-03-01_1",
            "2019-07-14_3",
            "2019-07-15_1",
            "2019-12-31_7",
            "2020-01-01_1",
            "2020-01-01_2",
            "2020-01-01_12"),
        keys(selected));
    assertEquals(Compression.GZIP, selected.get(4).name().compression());
    assertEquals(s3.head("year", "2019-07-14_3").eTag(), selected.get(6).etag());
  }

  @Test
  void everyWayOfListingSelectsTheSameInputs() {
    seedYear("both-ways");
    List<DateRange> ranges =
        List.of(
            range("2019-01-01", "2020-01-01"),
            range("2018-12-31", "2020-01-02"),
            range("2019-01-02", "2019-12-31"),
            range("2019-07-14", "2019-07-14"),
            range("2019-07-14", "2019-07-15"),
            range("2019-12-31", "2020-01-01"),
            range("2019-12-30", "2020-01-02"),
            range("2018-12-31", "2019-01-01"),
            range("2019-02-27", "2019-03-02"),
            range("2019-03-02", "2019-07-13"),
            range("2017-01-01", "2018-12-30"));
    for (DateRange range : ranges) {
      List<LogObject> byDay =
          new InputSelector(s3.proxied, 1000, 16).selectByDay("both-ways", range, null).join();
      for (LogObject input : byDay) {
        assertTrue(range.contains(input.name().date()), input + " is not in " + range);
      }
      for (int pageSize : List.of(1, 4)) {
        assertEquals(
            byDay,
            new InputSelector(s3.proxied, pageSize, 8).selectByKeyRange("both-ways", range).join(),
            "inputs of " + range + " by key range in pages of " + pageSize);
      }
      if (range.days() <= 8) {
        // first pages of 1 to 12 keys end at every key of a short range's span (10 at most
        // here), before, among and after decoys
        for (int pageSize = 1; pageSize <= 12; pageSize++) {
          assertEquals(
              byDay,
              new InputSelector(s3.proxied, pageSize, 8)
                  .selectByPageThenDay("both-ways", range)
                  .join(),
              "inputs of " + range + " by a page, then by day, in pages of " + pageSize);
        }
      }
    }
    assertEquals(
        List.of("2019-12-31_7", "2020-01-01_1", "2020-01-01_2", "2020-01-01_12"),
        keys(
            new InputSelector(s3.proxied, 2, 8)
                .selectByPageThenDay("both-ways", range("2019-12-31", "2020-01-01"))
                .join()));
  }

  @Test
  void aLongRangeListsPageByPageAndStopsAfterItsLastDay() {
    s3.createBucket("counted");
    List<String> expected = new ArrayList<>();
    for (int month = 1; month <= 11; month++) {
      String key = LocalDate.of(2019, month, 1) + "_1";
      s3.put("counted", key, content(key));
      expected.add(key);
    }
    // after the range, under the prefix its days share
    for (int day = 1; day <= 28; day++) {
      String key = LocalDate.of(2019, 12, day) + "_1";
      s3.put("counted", key, content(key));
    }
    int before = s3.counting.requests("listObjectsV2").size();

    List<LogObject> selected =
        new InputSelector(s3.counting.client(), 5, 16)
            .select("counted", range("2019-01-01", "2019-11-30"))
            .join();

    assertEquals(expected, keys(selected));
    List<Object> requests = s3.counting.requests("listObjectsV2");
    List<Object> sent = requests.subList(before, requests.size());
    // 11 keys of the range in pages of 5: the third page ends the range; the 28 keys after it are
    // not paged through, and none of the 334 days costs a request of its own
    assertEquals(3, sent.size(), "ListObjectsV2 requests: " + sent);
    ListObjectsV2Request first = (ListObjectsV2Request) sent.get(0);
    assertEquals("2019-", first.prefix());
    assertEquals("2019-01-01^", first.startAfter());
    assertEquals(5, first.maxKeys());
  }

  @Test
  void aShortRangeWhoseKeysFitAPageIsOneRequest() {
    s3.createBucket("week");
    for (String key :
        List.of("2019-08-14_1", "2019-08-17_1", "2019-08-19_1", "2019-08-19_2", "2019-08-30_1")) {
      s3.put("week", key, content(key));
    }
    int before = s3.counting.requests("listObjectsV2").size();

    List<LogObject> selected =
        new InputSelector(s3.counting.client(), 1000, 16)
            .select("week", range("2019-08-15", "2019-08-21"))
            .join();

    assertEquals(List.of("2019-08-17_1", "2019-08-19_1", "2019-08-19_2"), keys(selected));
    List<Object> requests = s3.counting.requests("listObjectsV2");
    List<Object> sent = requests.subList(before, requests.size());
    assertEquals(1, sent.size(), "ListObjectsV2 requests: " + sent);
    ListObjectsV2Request only = (ListObjectsV2Request) sent.get(0);
    assertEquals("2019-08-", only.prefix());
    assertEquals("2019-08-15^", only.startAfter());
  }

  @Test
  void aShortRangeListsTheDaysItsFirstPageDidNotReachByDayOnce() {
    s3.createBucket("dense");
    List<String> expected = new ArrayList<>();
    for (int day = 17; day <= 20; day++) {
      for (int serial = 0; serial < 4; serial++) {
        String key = "2019-08-" + day + "_" + serial;
        s3.put("dense", key, content(key));
        expected.add(key);
      }
    }
    s3.put("dense", "2019-08-18-notes.txt", content("among the days, not an input"));
    int before = s3.counting.requests("listObjectsV2").size();

    List<LogObject> selected =
        new InputSelector(s3.counting.client(), 6, 16)
            .select("dense", range("2019-08-17", "2019-08-20"))
            .join();

    assertEquals(expected, keys(selected));
    List<Object> requests = s3.counting.requests("listObjectsV2");
    List<ListObjectsV2Request> sent =
        requests.subList(before, requests.size()).stream()
            .map(ListObjectsV2Request.class::cast)
            .toList();
    // the first page holds 17_0..17_3, 18-notes.txt and 18_0; day 17 is not listed again, day 18
    // goes on after the page's last key, and days 19 and 20 are listed from their start
    ListObjectsV2Request first = sent.get(0);
    assertEquals("2019-08-", first.prefix());
    assertEquals("2019-08-17^", first.startAfter());
    assertEquals(
        List.of(
            "2019-08-18_ after 2019-08-18_0", "2019-08-19_ after null", "2019-08-20_ after null"),
        sent.subList(1, sent.size()).stream()
            .map(r -> r.prefix() + " after " + r.startAfter())
            .sorted()
            .toList());
  }

  @Test
  void aTruncatedPageWithoutATokenFailsEitherWay() {
    seedYear("tokenless");
    s3.counting.alterAnswers(
        "listObjectsV2",
        page ->
            ((ListObjectsV2Response) page)
                .toBuilder().isTruncated(true).nextContinuationToken(null).build());
    try {
      InputSelector selector = new InputSelector(s3.counting.client(), 1000, 16);
      // the long range reaches past the bucket's last input, so no key after it ends the listing
      for (DateRange range :
          List.of(range("2019-01-01", "2020-12-31"), range("2019-07-14", "2019-07-15"))) {
        CompletionException error =
            assertThrows(
                CompletionException.class, () -> selector.select("tokenless", range).join());

        S3IoException failure = assertInstanceOf(S3IoException.class, error.getCause());
        assertEquals(FailureCode.INTERNAL_ERROR, failure.code());
        assertTrue(
            failure.getMessage().contains("truncated listing of tokenless/"), failure.getMessage());
      }
    } finally {
      s3.counting.alterAnswers("listObjectsV2", null);
    }
  }

  @Test
  void aRangeWithoutInputsSelectsNothing() {
    s3.createBucket("sparse");
    s3.put("sparse", "2019-08-17_1", content("x"));

    assertEquals(
        List.of(),
        new InputSelector(s3.proxied).select("sparse", range("2020-01-01", "2020-01-31")).join());
  }

  @Test
  void selectsFilesDroppedIntoTheDataDirectoryWithoutAnETag() {
    s3.createBucket("dropped");
    s3.drop("dropped", "2019-08-17_1", content("dropped"));

    List<LogObject> selected =
        new InputSelector(s3.proxied).select("dropped", range("2019-08-17", "2019-08-17")).join();

    assertEquals(List.of("2019-08-17_1"), keys(selected));
    assertNull(selected.get(0).etag(), "S3Proxy reports no ETag for files it did not write itself");
  }

  @ParameterizedTest
  @CsvSource({"2019-08-17, 2019-08-20", "2019-01-01, 2020-01-01"})
  void aMissingBucketFailsWithATypedFailure(String start, String end) {
    CompletionException error =
        assertThrows(
            CompletionException.class,
            () -> new InputSelector(s3.proxied).select("no-such-bucket", range(start, end)).join());

    MissingBucketException missing =
        assertInstanceOf(MissingBucketException.class, error.getCause());
    assertEquals("no-such-bucket", missing.bucket());
    assertEquals(
        "bucket no-such-bucket does not exist at " + s3.proxiedEndpoint(), missing.getMessage());
    assertEquals(FailureCode.INPUT_UNREADABLE, missing.code());
  }

  private static DateRange range(String start, String end) {
    return DateRange.parse(start, end);
  }

  private static List<String> keys(List<LogObject> inputs) {
    return inputs.stream().map(i -> i.key()).toList();
  }

  private static byte[] content(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
