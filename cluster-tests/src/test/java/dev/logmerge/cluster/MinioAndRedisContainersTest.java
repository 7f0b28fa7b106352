package dev.logmerge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.devservices.LocalPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 and Redis integration against the servers docker-compose runs: a MinIO and a Redis
 * container (the releases docker-compose.yml pins), and the fat jar in role {@code all} pointed at
 * them with {@code S3_ENDPOINT} and {@code REDIS_URL}. Skipped without Docker.
 *
 * <p>Every behaviour checked here is also proven without Docker, against the embedded S3 (S3Proxy)
 * and embedded Redis: a merged result equal to the sort oracle by {@code EndToEndTest} (launcher);
 * a result larger than a part stored as a completed multipart upload with nothing left open by
 * {@code MergeVerticleIntegrationTest.storesALargeResultAsAMultipartUploadOfAtLeastThreeParts}
 * (merge-verticle); the job's Redis record DONE and the queues empty by {@link ScaleOutTest}. What
 * only this test adds is MinIO's and a stock Redis server's own implementations of the same calls
 * (bucket checks, listing, streaming GETs, multipart uploads; the job scripts).
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class MinioAndRedisContainersTest {
  private static final int REDIS_PORT = 6379;
  private static final Duration JOB_DEADLINE = Duration.ofMinutes(2);

  /** ~24 MB in one day: a result of several multipart-upload parts. */
  private static final LocalDate DAY = LocalDate.of(2031, 7, 1);

  // the product's default keys, as docker-compose.yml gives MinIO
  @Container
  static final MinIOContainer minio =
      new MinIOContainer(ComposeFile.image("minio/minio"))
          .withUserName("minio")
          .withPassword("minio123");

  @Container
  static final GenericContainer<?> redis =
      new GenericContainer<>(DockerImageName.parse(ComposeFile.image("redis")))
          .withExposedPorts(REDIS_PORT)
          .withCommand("redis-server", "--save", "", "--appendonly", "no");

  @TempDir static Path inputs;
  private static LogFiles logs;
  private static LogmergeProcess app;
  private static JobClient client;

  @RegisterExtension
  final TestWatcher printTheJvmOutputOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (app != null) {
            System.out.println(
                "===== " + app + ", full log: " + app.logFile() + "\n" + app.tail(120));
          }
        }
      };

  @BeforeAll
  static void start() {
    logs = new LogFiles().add(inputs, DAY, 1, 4, 50_000);
    LogsBucket.upload(minio.getS3URL(), inputs);
    int httpPort = LocalPorts.resolve("http", 0);
    Map<String, String> settings =
        Map.of(
            "S3_ENDPOINT", minio.getS3URL(),
            "S3_ACCESS_KEY", minio.getUserName(),
            "S3_SECRET_KEY", minio.getPassword(),
            "REDIS_URL", "redis://" + redis.getHost() + ":" + redis.getMappedPort(REDIS_PORT),
            "HTTP_PORT", Integer.toString(httpPort),
            "SCAN_INTERVAL", "300ms");
    app =
        LogmergeProcess.launch(
                ClusterHarness.fatJar(),
                "all-1",
                "all",
                settings,
                ClusterHarness.runsDir()
                    .resolve(MinioAndRedisContainersTest.class.getSimpleName())
                    .resolve("all-1.log"))
            .awaitReady();
    client = new JobClient(httpPort);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void mergesThroughMinioIntoAMultipartResultAndRecordsItInRedis() {
    String id = client.submit(DAY, DAY);

    byte[] body = client.awaitResult(id, JOB_DEADLINE);

    assertArrayEquals(logs.expected(DAY, DAY), body);
    RedisProbe redisProbe = new RedisProbe(redis.getHost(), redis.getMappedPort(REDIS_PORT));
    assertEquals("DONE", redisProbe.state(id));
    assertEquals(0, redisProbe.queued());
    assertEquals(0, redisProbe.running());
    try (S3Probe results = new S3Probe(minio.getS3URL(), "merged")) {
      List<S3Object> stored = results.objects(id);
      assertEquals(1, stored.size(), () -> "objects under " + id + ": " + stored);
      assertEquals(body.length, stored.get(0).size());
      // MinIO's ETag of a multipart object: "<md5 of the parts' md5s>-<parts>"
      String etag = stored.get(0).eTag().replace("\"", "");
      assertTrue(etag.matches(".+-([2-9]|\\d{2,})"), "multipart ETag of >= 2 parts, got " + etag);
      assertTrue(results.openUploads(id).isEmpty(), "no multipart upload left open");
    }
  }
}
