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

  @Test
  void aMissingBucketFailsWithATypedFailure() {
    CompletionException error =
        assertThrows(
            CompletionException.class,
            () ->
                new InputSelector(s3.proxied)
                    .select("no-such-bucket", range("2019-08-17", "2019-08-20"))
                    .join());

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
