package dev.logmerge.cluster;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.s3.S3ClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Fills the logs bucket of an S3 server that reads no local folder (MinIO in Docker) through the S3
 * API, as an operator's upload would. Uses the product's default keys ({@code minio}/{@code
 * minio123}), which docker-compose.yml and the Docker tests give MinIO.
 */
final class LogsBucket {
  private LogsBucket() {}

  /** Creates the logs bucket if it is missing and stores every file of the folder, by name. */
  static void upload(String endpoint, Path folder) {
    LogmergeConfig config = LogmergeConfig.fromEnvNames(Map.of("S3_ENDPOINT", endpoint));
    String bucket = config.logsBucket();
    try (S3AsyncClient s3 = S3ClientFactory.create(config);
        Stream<Path> listing = Files.list(folder)) {
      List<Path> files = listing.filter(Files::isRegularFile).sorted().toList();
      try {
        s3.headBucket(b -> b.bucket(bucket)).join();
      } catch (CompletionException missing) {
        s3.createBucket(b -> b.bucket(bucket)).join();
      }
      for (Path file : files) {
        s3.putObject(
                b -> b.bucket(bucket).key(file.getFileName().toString()),
                AsyncRequestBody.fromFile(file))
            .join();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
