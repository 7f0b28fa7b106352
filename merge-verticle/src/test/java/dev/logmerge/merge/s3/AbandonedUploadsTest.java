package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.async.AsyncRequestBody;

class AbandonedUploadsTest {
  private static final String BUCKET = "merged";

  @RegisterExtension static final S3Fixture s3 = new S3Fixture();

  @BeforeAll
  static void start() {
    s3.createBucket(BUCKET);
  }

  @Test
  void abortsEveryOpenUploadOfTheKeyAndLeavesOtherKeysAlone() {
    String key = "job-a.log";
    String otherKey = "job-a.log.other";
    for (int i = 0; i < 2; i++) {
      String uploadId =
          s3.direct.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).join().uploadId();
      s3.direct
          .uploadPart(
              b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
              AsyncRequestBody.fromBytes(S3Fixture.randomBytes(1024, 1)))
          .join();
    }
    s3.direct.createMultipartUpload(b -> b.bucket(BUCKET).key(otherKey)).join();

    assertEquals(2, AbandonedUploads.abort(s3.direct, BUCKET, key).join());

    assertEquals(1, s3.openUploads(BUCKET).size());
    assertEquals(otherKey, s3.openUploads(BUCKET).get(0).key());
    assertEquals(0, AbandonedUploads.abort(s3.direct, BUCKET, key).join());
  }
}
