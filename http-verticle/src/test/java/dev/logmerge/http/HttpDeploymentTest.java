package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.devservices.ConcurrentClients;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API deployed as the launcher deploys it: several verticle instances, each on its own event
 * loop with its own Redis connection, behind one port. Fresh Redis per test, so its connections can
 * be counted.
 */
@ExtendWith(VertxExtension.class)
class HttpDeploymentTest {
  private TestServices services;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path s3Dir) {
    services = TestServices.start(vertx, s3Dir, Map.of());
  }

  @AfterEach
  void stop() {
    services.close();
  }

  @Test
  void everyInstanceServesClientsOnTheOneRandomPortItReports(Vertx vertx) throws IOException {
    String id = await(services.worker.create(DateRange.parse("2019-08-19", "2019-08-25"))).id();
    long redisConnections = services.redisConnections();

    HttpDeployment api = await(HttpDeployment.deploy(vertx, services.config, 3));

    assertEquals(3, api.instances());
    // Vert.x hands new connections to the instances in turn: six clients, two per instance
    for (String answer : ConcurrentClients.get(api.port(), "/download/" + id, 6)) {
      assertTrue(answer.startsWith("HTTP/1.1 202 "), answer);
      assertTrue(answer.contains("\"download_id\":\"" + id + "\""), answer);
    }
    // each instance reads jobs over a Redis connection of its own, made for its first request
    assertEquals(
        redisConnections + 3,
        services.redisConnections(),
        "every instance answered some of the clients");
  }

  @Test
  void deploymentsOnPortZeroDoNotShareTheirPorts(Vertx vertx) {
    HttpDeployment first = await(HttpDeployment.deploy(vertx, services.config, 2));
    HttpDeployment second = await(HttpDeployment.deploy(vertx, services.config, 2));

    assertNotEquals(first.port(), second.port());
    assertProblem(new ApiClient(vertx, first.port()).get("/nothing"), 404, "not-found", "/nothing");
    await(vertx.undeploy(first.deploymentId()));
    assertProblem(
        new ApiClient(vertx, second.port()).get("/nothing"), 404, "not-found", "/nothing");
  }
}
