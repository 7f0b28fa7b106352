package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import dev.logmerge.core.config.ClusterSettings;
import dev.logmerge.core.config.ConfigException;
import dev.logmerge.core.config.LogmergeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class VertxFactoryTest {
  @Test
  void joinsOnlyTheNamedClusterThroughTheGivenMembersOnThePinnedInterface() {
    Config config =
        VertxFactory.hazelcastConfig(
            new ClusterSettings(
                "run-42", "127.0.0.1", null, List.of("127.0.0.1:5702", "10.0.0.7"), 5711, 0),
            "127.0.0.1");

    assertEquals("run-42", config.getClusterName());
    assertEquals(5711, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertFalse(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled());
    assertEquals(
        List.of("127.0.0.1:5702", "10.0.0.7"),
        config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertEquals(
        List.of("127.0.0.1"),
        List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals("0", config.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals("15", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
  }

  @Test
  void aWildcardHostAdvertisesThePublicHost() {
    Config config =
        VertxFactory.hazelcastConfig(
            new ClusterSettings("c", "0.0.0.0", "merge-3", List.of("http"), 5701, 5801), "0.0.0.0");

    assertEquals("merge-3", config.getNetworkConfig().getPublicAddress());
    assertEquals(null, config.getProperty("hazelcast.socket.bind.any"));
  }

  @Test
  void rolesOffTheClusterGetAPlainVertx() {
    Vertx vertx = VertxFactory.create(Role.ALL, LogmergeConfig.defaults().cluster(), null).await();
    try {
      assertFalse(vertx.isClustered());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void eachVertxRecordsItsMetersInItsOwnRegistry() {
    // vertx-micrometer-metrics keeps registries in a JVM-wide map by name: two Vert.x instances of
    // one JVM (tests, or a JVM of several roles) must not end up writing to the first one's
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    ClusterSettings cluster = LogmergeConfig.defaults().cluster();
    Vertx one = VertxFactory.create(Role.ALL, cluster, first).await();
    Vertx two = VertxFactory.create(Role.ALL, cluster, second).await();
    try {
      two.eventBus().publish("somewhere", "a wake-up");
      for (SimpleMeterRegistry registry : List.of(first, second)) {
        assertNotNull(registry.find("jvm.memory.used").gauge(), "JVM meters in each registry");
      }
      assertEquals(1, second.get("vertx.eventbus.published").counter().count(), "the message");
      assertNull(first.find("vertx.eventbus.published").counter(), "not in the other registry");
    } finally {
      two.close().await();
      one.close().await();
    }
  }

  @Test
  void leavesHttpServerRequestsToTheApisOwnTimer() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Vertx vertx =
        VertxFactory.create(Role.ALL, LogmergeConfig.defaults().cluster(), registry).await();
    try {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(request -> request.response().end())
              .listen(0)
              .await();
      HttpResponse<Void> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort()))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());

      assertEquals(200, answer.statusCode());
      assertTrue(
          registry.getMeters().stream()
              .noneMatch(meter -> meter.getId().getName().startsWith("vertx.http.server")),
          "Vert.x resolves no HTTP server meter per request");
      assertNotNull(registry.find("vertx.pool.in.use").meter(), "its other meters are on");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aWildcardHostWithoutPublicHostIsRefused() {
    assertThrows(
        ConfigException.class,
        () ->
            VertxFactory.create(
                Role.MERGE, new ClusterSettings("c", "0.0.0.0", null, List.of(), 5701, 0), null));
  }
}
