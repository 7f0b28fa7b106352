package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputFingerprintTest {
  private static final Instant MODIFIED = Instant.parse("2019-08-20T00:00:00Z");
  private static final LogObject FIRST = object("logs", "2019-08-19_1", 100, "\"a\"", MODIFIED);
  private static final LogObject SECOND = object("logs", "2019-08-19_2", 200, "\"b\"", MODIFIED);

  @Test
  void theSameInputsHaveTheSameFingerprintAsLowerCaseHexSha256() {
    String fingerprint = InputFingerprint.of(List.of(FIRST, SECOND));
    assertEquals(fingerprint, InputFingerprint.of(List.of(FIRST, SECOND)));
    assertTrue(fingerprint.matches("[0-9a-f]{64}"), fingerprint);
  }

  @Test
  void anyInputAddedRemovedReplacedOrReorderedChangesIt() {
    String original = InputFingerprint.of(List.of(FIRST, SECOND));
    List<List<LogObject>> changed =
        List.of(
            List.of(FIRST),
            List.of(FIRST, SECOND, object("logs", "2019-08-19_3", 1, "\"c\"", MODIFIED)),
            List.of(SECOND, FIRST),
            List.of(FIRST, object("logs", "2019-08-19_2", 201, "\"b\"", MODIFIED)),
            List.of(FIRST, object("logs", "2019-08-19_2", 200, "\"b2\"", MODIFIED)),
            List.of(FIRST, object("other", "2019-08-19_2", 200, "\"b\"", MODIFIED)),
            List.of(FIRST, object("logs", "2019-08-19_02", 200, "\"b\"", MODIFIED)));
    for (List<LogObject> inputs : changed) {
      assertNotEquals(original, InputFingerprint.of(inputs), inputs.toString());
    }
  }

  @Test
  void withoutAnEtagTheModificationTimeTellsVersionsApart() {
    LogObject listed = object("logs", "2019-08-19_1", 100, null, MODIFIED);
    LogObject rewritten = object("logs", "2019-08-19_1", 100, null, MODIFIED.plusSeconds(1));
    assertEquals(InputFingerprint.of(List.of(listed)), InputFingerprint.of(List.of(listed)));
    assertNotEquals(InputFingerprint.of(List.of(listed)), InputFingerprint.of(List.of(rewritten)));
  }

  private static LogObject object(
      String bucket, String key, long size, String etag, Instant modified) {
    return new LogObject(bucket, LogFileName.parse(key).orElseThrow(), size, etag, modified);
  }
}
