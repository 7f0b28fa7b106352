package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertPromptProblemWithRetryAfter;
import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.Setting;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.devservices.FaultInjectingProxy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * Downloads while the wire to S3 fails: the HTTP verticle reaches the real (embedded) S3 through a
 * proxy that injects real network faults. Before S3's headers every fault is a prompt 502 problem;
 * after them the client's download is cut, never ended as if complete; and no fault or departed
 * client holds an S3 connection.
 */
@ExtendWith(VertxExtension.class)
class DownloadStorageFaultsTest {
  private static final int SMALL_SIZE = 3 * 1024 * 1024 + 17;
  private static final byte[] SMALL = LogContent.bytes(SMALL_SIZE);

  /**
   * Far more than loopback socket buffers hold, so a download of it is still under way when a test
   * acts.
   */
  private static final long LARGE_SIZE = 48L * 1024 * 1024;

  /** S3 faults show within a second or two; a body may idle as long as by default. */
  private static final S3FetchSettings QUICK =
      new S3FetchSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          S3FetchSettings.DEFAULTS.bodyIdleTimeout(),
          8);

  private static final Duration PROMPT = Duration.ofSeconds(6);

  private static TestServices services;
  private static FaultInjectingProxy s3Link;
  private static JobResult large;
  private String deploymentId;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir, @TempDir Path files) throws Exception {
    services = TestServices.start(vertx, s3Dir, Map.of());
    s3Link = FaultInjectingProxy.start(services.s3Server.port());
    Path file = files.resolve("large.log");
    LogContent.writeFile(file, LARGE_SIZE);
    large = services.storeResult("large", AsyncRequestBody.fromFile(file));
  }

  @AfterAll
  static void stop() {
    s3Link.close();
    services.close();
  }

  @AfterEach
  void heal(Vertx vertx) {
    s3Link.heal();
    if (deploymentId != null) {
      await(vertx.undeploy(deploymentId));
    }
    services.flushRedis();
  }

  @Test
  void answers502StorageUnavailablePromptlyWhenS3RefusesConnections() {
    ApiClient api = viaS3Link(QUICK);
    String id = doneJob(api, "refused");
    s3Link.refuseNewConnections();

    assertStorageUnavailable(() -> api.get("/download/" + id), "/download/" + id);
    assertEquals(502, api.head("/download/" + id).statusCode());
  }

  @Test
  void answers502StorageUnavailableWhenS3AcceptsButNeverAnswers() {
    ApiClient api = viaS3Link(QUICK);
    String id = doneJob(api, "hung");
    s3Link.pause();

    assertStorageUnavailable(() -> api.get("/download/" + id), "/download/" + id);
  }

  @Test
  void answers502StorageUnavailableWhenS3RefusesTheRequest() {
    ApiClient api = deploy(services.configWith(Map.of("S3_SECRET_KEY", "not-the-secret")), QUICK);
    String id = doneJob(api, "forbidden");

    assertStorageUnavailable(() -> api.get("/download/" + id), "/download/" + id);
  }

  @Test
  void cutsTheDownloadWhenS3FailsMidBody() {
    ApiClient api = viaS3Link(QUICK);
    String id = doneJob(api, "cut");
    s3Link.cutResponsesAfter(1_000_000);

    AtomicLong received = new AtomicLong();
    Throwable failure =
        failureOf(
            api.stream(
                "/download/" + id,
                response -> {
                  assertEquals(200, response.statusCode());
                  assertEquals(String.valueOf(SMALL_SIZE), response.getHeader("Content-Length"));
                  response.handler(chunk -> received.addAndGet(chunk.length()));
                }));

    assertNotNull(failure, "the client must see the download fail, not end");
    assertTrue(received.get() < SMALL_SIZE, "received " + received.get());
  }

  @Test
  void cutsAGzipDownloadWhenS3FailsMidBody() {
    ApiClient api = viaS3Link(QUICK);
    String id = doneJob(api, "cut-gzip");
    s3Link.cutResponsesAfter(1_000_000);

    Throwable failure =
        failureOf(
            api.stream(
                "/download/" + id,
                Map.of("Accept-Encoding", "gzip"),
                response -> {
                  assertEquals(200, response.statusCode());
                  assertEquals("gzip", response.getHeader("Content-Encoding"));
                  response.handler(chunk -> {});
                }));

    // chunked, so only a reset tells the client: no last chunk, no gzip trailer
    assertNotNull(failure, "the client must see the gzip download fail, not end");
  }

  @Test
  void cutsADownloadWhoseBodyStallsLongerThanTheIdleTimeout() {
    S3FetchSettings shortIdle =
        new S3FetchSettings(
            QUICK.connectTimeout(),
            QUICK.headersTimeout(),
            Duration.ofSeconds(1),
            QUICK.maxConnections());
    ApiClient api = viaS3Link(shortIdle);
    String id = services.doneJob(api, large);

    AtomicLong received = new AtomicLong();
    long started = System.nanoTime();
    Throwable failure =
        failureOf(
            api.stream(
                "/download/" + id,
                response -> {
                  // S3 hangs once its headers are through
                  s3Link.pause();
                  response.handler(chunk -> received.addAndGet(chunk.length()));
                }));

    assertNotNull(failure, "a stalled download must be cut, not hang");
    assertTrue(received.get() < LARGE_SIZE, "received " + received.get());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(PROMPT) < 0);
  }

  @Test
  void closesTheS3RequestPromptlyWhenTheClientDisconnects() throws InterruptedException {
    // one S3 connection: a download that kept it after its client left would block all later ones
    S3FetchSettings oneConnection =
        new S3FetchSettings(
            Duration.ofSeconds(3),
            QUICK.headersTimeout(),
            S3FetchSettings.DEFAULTS.bodyIdleTimeout(),
            1);
    ApiClient api = viaS3Link(oneConnection);
    String largeId = services.doneJob(api, large);
    awaitTrue(() -> s3Link.openConnections() == 0, "connections of earlier tests are closed");

    Promise<Void> left = Promise.promise();
    api.stream(
        "/download/" + largeId,
        response ->
            response.handler(
                chunk -> {
                  // read a little, stop (the write queue fills, the S3 read waits), then leave
                  response.pause();
                  response.request().connection().close().onComplete(done -> left.tryComplete());
                }));
    await(left.future());

    // S3 stops sending: the request is aborted, not read to its end nor left waiting
    awaitTrue(
        () -> s3Link.openConnections() == 0,
        "the S3 connection of the abandoned download is closed");
    String smallId = doneJob(api, "after-disconnect");
    HttpResponse<Buffer> next = api.get("/download/" + smallId);
    assertEquals(200, next.statusCode(), next.bodyAsString());
    assertArrayEquals(SMALL, next.body().getBytes());
  }

  private static void assertStorageUnavailable(
      Supplier<HttpResponse<Buffer>> request, String path) {
    assertPromptProblemWithRetryAfter(request, PROMPT, 502, "storage-unavailable", path, "storage");
  }

  /** Deploys the API reaching S3 through the faulty link; undeployed after the test. */
  private ApiClient viaS3Link(S3FetchSettings settings) {
    return deploy(
        services.config.with(Setting.S3_ENDPOINT, s3Link.uri("http").toString()), settings);
  }

  private ApiClient deploy(LogmergeConfig config, S3FetchSettings settings) {
    HttpDeployment deployed = services.deployHttp(config, settings);
    deploymentId = deployed.deploymentId();
    return new ApiClient(services.vertx, deployed.port());
  }

  private static String doneJob(ApiClient api, String key) {
    return services.doneJob(api, services.storeResult(key, AsyncRequestBody.fromBytes(SMALL)));
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + PROMPT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PROMPT + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Waits for the future to fail and returns why; null if it succeeded. */
  private static Throwable failureOf(Future<?> future) {
    Promise<Throwable> outcome = Promise.promise();
    future.onComplete(done -> outcome.complete(done.cause()));
    return await(outcome.future());
  }
}
