package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResultsBucketTest {
  @RegisterExtension static final S3Fixture s3 = new S3Fixture();

  @Test
  void createsAMissingBucket() {
    ResultsBucket.ensureExists(s3.proxied, "merged").join();

    s3.direct.headBucket(b -> b.bucket("merged")).join();
    assertTrue(Files.isDirectory(s3.s3.dataDir().resolve("merged")));
  }

  @Test
  void toleratesABucketThatExistsAlready() {
    s3.createBucket("existing");

    ResultsBucket.ensureExists(s3.proxied, "existing").join();
    ResultsBucket.ensureExists(s3.proxied, "existing").join();
  }

  @Test
  void toleratesConcurrentCreators() {
    CompletableFuture.allOf(
            IntStream.range(0, 8)
                .mapToObj(i -> ResultsBucket.ensureExists(s3.proxied, "raced"))
                .toArray(CompletableFuture[]::new))
        .join();

    s3.direct.headBucket(b -> b.bucket("raced")).join();
  }
}
