package dev.logmerge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logmerge.devservices.SortOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The shipped {@code docker-compose.yml} as an operator runs it: MinIO, the init step that uploads
 * the sample, Redis, and one {@code http} and two {@code merge} containers built from the {@code
 * Dockerfile}, driven over the published API. Needs a Docker engine with Compose v2 ({@code docker
 * compose}) and the ports the compose file publishes (6543, 9000, 9001) free; skipped without
 * Docker.
 *
 * <p>Every behaviour checked here is also proven without Docker: merging the shipped sample byte
 * for byte by {@code EndToEndTest.mergesTheShippedSampleAndServesItWithRangesAndAnETag} (launcher);
 * jobs from one {@code http} JVM merged correctly and recorded DONE by several clustered {@code
 * merge} JVMs by {@link ScaleOutTest}; {@code /ready} answering 200 with Redis, both buckets and
 * the worker UP by {@code ProbesTest.readyAnswers200WithEveryCheckUpWhenAllIsUp}, and on a merge
 * JVM's management port with the cluster UP too by {@code
 * ProbesTest.theMergeRoleServesItsProbesOnTheManagementPort} (launcher). What only this test adds
 * is the packaging (the image, its entrypoint, the compose wiring: healthchecks, the init step, a
 * cluster across containers) and MinIO's own S3 implementation.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {
  private static final int API_PORT = 6543;
  private static final int S3_PORT = 9000;

  /**
   * From the end of {@code docker compose up} (the image is built before it returns) to every JVM
   * ready: Hazelcast joins and verticle deployments, a few seconds each.
   */
  private static final Duration START = Duration.ofMinutes(3);

  private static final Duration JOB_DEADLINE = Duration.ofMinutes(2);

  /** Far from the sample's 2019 days, which the init step puts in the same bucket. */
  private static final LocalDate FIRST_DAY = LocalDate.of(2031, 5, 1);

  private static final int DAYS = 4;

  @Container
  static final ComposeContainer stack =
      new ComposeContainer(ComposeFile.path().toFile())
          // the developer's `docker compose`, as the README runs it
          .withLocalCompose(true)
          // `up --build`: the image of this working tree, never a logmerge:local left by an
          // earlier build
          .withBuild(true)
          .withScaledService("merge", 2)
          .withExposedService(
              "http", API_PORT, Wait.forHttp("/ready").forStatusCode(200).withStartupTimeout(START))
          .withExposedService(
              "minio",
              S3_PORT,
              Wait.forHttp("/minio/health/ready").forStatusCode(200).withStartupTimeout(START))
          // the compose file's own healthchecks: /ready on each replica's management port
          .waitingFor("merge-1", Wait.forHealthcheck().withStartupTimeout(START))
          .waitingFor("merge-2", Wait.forHealthcheck().withStartupTimeout(START));

  @TempDir static Path inputs;
  private static JobClient client;

  @BeforeAll
  static void connect() {
    client =
        new JobClient(
            stack.getServiceHost("http", API_PORT), stack.getServicePort("http", API_PORT));
  }

  @Test
  void mergesTheShippedSampleThatTheInitStepUploaded() throws IOException {
    List<Path> sample;
    try (Stream<Path> files = Files.list(ComposeFile.path().resolveSibling("miniodata/logs"))) {
      sample = files.filter(f -> f.getFileName().toString().startsWith("2019-08-")).toList();
    }
    String id = client.submit(LocalDate.of(2019, 8, 19), LocalDate.of(2019, 8, 23));

    assertArrayEquals(SortOracle.expected(sample), client.awaitResult(id, JOB_DEADLINE));
  }

  @Test
  void mergesUploadedLogsByteForByteOnTheScaledStack() {
    LogFiles logs = new LogFiles().add(inputs, FIRST_DAY, DAYS, 3, 2_000);
    LogsBucket.upload(
        "http://"
            + stack.getServiceHost("minio", S3_PORT)
            + ":"
            + stack.getServicePort("minio", S3_PORT),
        inputs);

    // every single day and the whole range: more jobs than one replica's two slots
    List<LocalDate[]> ranges = new ArrayList<>();
    for (int day = 0; day < DAYS; day++) {
      ranges.add(new LocalDate[] {FIRST_DAY.plusDays(day), FIRST_DAY.plusDays(day)});
    }
    ranges.add(new LocalDate[] {FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1)});
    List<String> ids = ranges.stream().map(range -> client.submit(range[0], range[1])).toList();

    for (int i = 0; i < ids.size(); i++) {
      LocalDate[] range = ranges.get(i);
      String id = ids.get(i);
      assertArrayEquals(
          logs.expected(range[0], range[1]),
          client.awaitResult(id, JOB_DEADLINE),
          "job " + id + " " + range[0] + ".." + range[1]);
      assertEquals("DONE", client.status(id).getString("state"));
    }
  }
}
