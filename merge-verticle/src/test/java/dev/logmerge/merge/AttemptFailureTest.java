package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobIds;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.devservices.LocalPorts;
import dev.logmerge.merge.engine.CorruptInputException;
import dev.logmerge.merge.s3.S3IoException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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

  @Test
  void aJobStoreOutageIsNotTheJobsFailure() throws Exception {
    Vertx vertx = Vertx.vertx();
    JobStore unreachable =
        JobStore.connect(
            vertx,
            "redis://127.0.0.1:" + LocalPorts.resolve("test", 0),
            LogmergeConfig.defaults().jobs());
    try {
      // Redis refuses the connection: a real outage, as the job store types it
      Future<Optional<Job>> found = unreachable.find(JobIds.newId());
      found.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      assertTrue(found.failed());
      assertTrue(
          AttemptFailure.isJobStoreOutage(new CompletionException(found.cause())),
          found.cause().toString());
    } finally {
      unreachable.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    assertFalse(AttemptFailure.isJobStoreOutage(new IOException("No space left on device")));
  }
}
