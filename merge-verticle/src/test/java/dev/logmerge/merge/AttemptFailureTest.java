package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.merge.engine.CorruptInputException;
import dev.logmerge.merge.s3.S3IoException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class AttemptFailureTest {
  @Test
  void aClassifiedS3FailureDecidesWhereverItIsInTheChain() {
    IOException changed =
        new IOException(
            "merge failed",
            new S3IoException(
                FailureCode.INPUT_UNREADABLE, "input 2019-08-19_3 changed during the merge", null));

    assertEquals(
        new AttemptFailure(
            new JobFailure(
                FailureCode.INPUT_UNREADABLE, "input 2019-08-19_3 changed during the merge"),
            false),
        AttemptFailure.of(changed));
  }

  @Test
  void aCorruptInputFailsTheJobAtOnce() {
    CorruptInputException corrupt =
        new CorruptInputException("2019-08-19_3.gz", new ZipException("Not in GZIP format"));

    assertEquals(
        new AttemptFailure(
            new JobFailure(
                FailureCode.INPUT_UNREADABLE,
                "input 2019-08-19_3.gz is corrupt: Not in GZIP format"),
            false),
        AttemptFailure.of(new IOException("merge failed", corrupt)));
  }

  @Test
  void anUnclassifiedTransientSdkFailureIsS3BeingUnavailable() {
    AttemptFailure attempt =
        AttemptFailure.of(
            new CompletionException(
                SdkClientException.builder()
                    .message("Unable to execute HTTP request: reset")
                    .cause(new IOException("reset"))
                    .build()));

    assertEquals(FailureCode.S3_UNAVAILABLE, attempt.failure().code());
    assertEquals(true, attempt.retryable());
  }

  @Test
  void aLocalIoFailureIsInternalButWorthAnotherAttempt() {
    AttemptFailure attempt = AttemptFailure.of(new IOException("No space left on device"));

    assertEquals(
        new AttemptFailure(
            new JobFailure(FailureCode.INTERNAL_ERROR, "No space left on device"), true),
        attempt);
  }

  @Test
  void aDefectFailsTheJobAtOnce() {
    AttemptFailure attempt = AttemptFailure.of(new NullPointerException());

    assertEquals(
        new AttemptFailure(
            new JobFailure(FailureCode.INTERNAL_ERROR, "NullPointerException"), false),
        attempt);
  }
}
