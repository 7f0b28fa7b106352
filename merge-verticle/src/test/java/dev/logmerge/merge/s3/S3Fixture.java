package dev.logmerge.merge.s3;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.s3.RequestRetries;
import dev.logmerge.core.s3.S3ClientFactory;
import dev.logmerge.devservices.EmbeddedS3;
import dev.logmerge.devservices.FaultInjectingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A real S3 API for a test class: S3Proxy over a temporary directory, with one client talking to it
 * directly (to arrange and inspect S3 state) and one through a {@link FaultInjectingProxy} (for the
 * code under test), which tries each request {@link #ATTEMPTS} times with short pauses.
 */
final class S3Fixture implements BeforeAllCallback, AfterAllCallback {
  /** Attempts per request of the {@link #proxied} client. */
  static final int ATTEMPTS = 3;

  EmbeddedS3 s3;
  FaultInjectingProxy proxy;
  S3AsyncClient direct;
  S3AsyncClient proxied;

  /** The {@link #proxied} client, counting the requests sent through it. */
  CountingS3Client counting;

  private Path dataDir;

  /** Starts the servers and clients once for the test class that registers this as an extension. */
  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("s3-fixture");
    s3 = EmbeddedS3.start(dataDir, 0, "minio", "minio123");
    proxy = FaultInjectingProxy.start(s3.port());
    direct = S3ClientFactory.create(config(s3.endpoint()));
    proxied = proxiedClient(ATTEMPTS);
    counting = CountingS3Client.around(proxied);
  }

  /** Another client through the proxy, trying each request {@code attempts} times; close it. */
  S3AsyncClient proxiedClient(int attempts) {
    return S3ClientFactory.create(
        config(proxy.uri("http")),
        S3ClientFactory.REQUEST_CONNECTIONS,
        new RequestRetries(attempts, Duration.ofMillis(5), Duration.ofMillis(20)));
  }

  private static LogmergeConfig config(URI endpoint) {
    return LogmergeConfig.fromEnvNames(Map.of("S3_ENDPOINT", endpoint.toString()));
  }

  /** The endpoint the code under test talks to, as its messages name it. */
  String proxiedEndpoint() {
    return proxy.uri("http").toString();
  }

  void createBucket(String bucket) {
    direct.createBucket(b -> b.bucket(bucket)).join();
  }

  /** Writes an object through the API, so S3Proxy records its ETag. */
  void put(String bucket, String key, byte[] content) {
    direct.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromBytes(content)).join();
  }

  /**
   * Drops a file into the bucket's directory, as a user seeding the embedded S3 would: S3Proxy
   * knows no ETag for it.
   */
  Path drop(String bucket, String key, byte[] content) {
    try {
      Path file = s3.dataDir().resolve(bucket).resolve(key);
      Files.createDirectories(file.getParent());
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] get(String bucket, String key) {
    return direct
        .getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
        .join()
        .asByteArray();
  }

  HeadObjectResponse head(String bucket, String key) {
    return direct.headObject(b -> b.bucket(bucket).key(key)).join();
  }

  boolean exists(String bucket, String key) {
    try {
      head(bucket, key);
      return true;
    } catch (CompletionException e) {
      if (e.getCause() instanceof S3Exception notFound && notFound.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  List<MultipartUpload> openUploads(String bucket) {
    return direct.listMultipartUploads(b -> b.bucket(bucket)).join().uploads();
  }

  /**
   * Files S3Proxy keeps for multipart uploads in the bucket directory (parts {@code .mpus-*}, stubs
   * {@code .s3proxy-mpu-stub-*}). ListMultipartUploads does not show parts uploaded to an already
   * aborted upload, so tests look at the directory as well.
   */
  List<String> multipartLeftovers(String bucket) {
    try (Stream<Path> files = Files.list(s3.dataDir().resolve(bucket))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.startsWith(".mpus-") || name.startsWith(".s3proxy-mpu"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    direct.close();
    proxied.close();
    proxy.close();
    s3.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
