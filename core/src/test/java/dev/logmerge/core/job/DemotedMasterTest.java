package dev.logmerge.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.devservices.RedisCommand;
import dev.logmerge.devservices.SentinelRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After a failover the old master may come back as a replica; a connection to it stays open and
 * refuses every write. The store lets go of such a connection at the first refusal, so its next
 * command asks for the master anew (here: the next client the factory makes).
 */
class DemotedMasterTest {
  private static SentinelRedis redis;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    redis = SentinelRedis.start("demoted", 1, 0, Duration.ofSeconds(1));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @Test
  void aWriteRefusedByAReplicaIsAnOutageAndTheNextCommandConnectsAnew() throws Exception {
    int master = redis.serverPorts().get(0);
    int replica = redis.serverPorts().get(1);
    Iterator<Integer> ports = List.of(replica, master, master).iterator();
    PipelinedRedis client =
        new PipelinedRedis(
            vertx, () -> Redis.createClient(vertx, RedisEndpoints.standalone(url(ports.next()))));
    try {
      Future<Response> refused = client.send(Request.cmd(Command.SET).arg("k").arg("v"));
      refused.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      assertTrue(refused.failed(), "the replica refuses the write");
      assertTrue(PipelinedRedis.isReplicaRefusal(refused.cause()), refused.cause().toString());
      assertTrue(RedisCallGuard.isOutage(refused.cause()), "a refusal counts as an outage");

      client.send(Request.cmd(Command.SET).arg("k").arg("v")).await(10, TimeUnit.SECONDS);
      assertEquals("v", RedisCommand.send(master, "GET", "k"), "the write reached the master");
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aScriptWriteRefusedByAReplicaIsRecognisedInItsErrorMessage() throws Exception {
    int replica = redis.serverPorts().get(1);
    Redis onReplica = Redis.createClient(vertx, url(replica));
    try {
      Future<Response> refused =
          onReplica.send(
              Request.cmd(Command.EVAL)
                  .arg("return redis.call('HSET', KEYS[1], 'a', 1)")
                  .arg(1)
                  .arg("h"));
      refused.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      assertTrue(refused.failed());
      assertTrue(PipelinedRedis.isReplicaRefusal(refused.cause()), refused.cause().toString());
      Future<Response> otherError = onReplica.send(Request.cmd(Command.INCR).arg("nope").arg(1));
      otherError.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      assertTrue(otherError.failed());
      assertTrue(
          !PipelinedRedis.isReplicaRefusal(otherError.cause()),
          "an error reply of another kind stays an answer: " + otherError.cause());
    } finally {
      onReplica.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String url(int port) {
    return "redis://127.0.0.1:" + port;
  }
}
