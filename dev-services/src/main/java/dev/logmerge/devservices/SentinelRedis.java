package dev.logmerge.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import redis.embedded.Redis;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

/**
 * A Sentinel-managed Redis on loopback, as child processes of the embedded redis-server binary: a
 * master, its replicas ({@code replicaof}) and sentinels that monitor it with short timeouts, so a
 * failover takes seconds. Persistence is off everywhere. For failover tests.
 */
public final class SentinelRedis implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration POLL = Duration.ofMillis(100);

  private final String masterName;
  private final List<Redis> processes = new ArrayList<>();
  private final List<Integer> serverPorts = new ArrayList<>();
  private final List<Integer> sentinelPorts = new ArrayList<>();

  private SentinelRedis(String masterName) {
    this.masterName = masterName;
  }

  /**
   * Starts a master, {@code replicas} replicas of it and {@code sentinels} sentinels (quorum: a
   * majority of them) that declare the master down after {@code downAfter} without an answer.
   */
  public static SentinelRedis start(
      String masterName, int replicas, int sentinels, Duration downAfter) {
    SentinelRedis group = new SentinelRedis(masterName);
    try {
      int masterPort = group.startServer(null);
      for (int i = 0; i < replicas; i++) {
        group.startServer(masterPort);
      }
      for (int i = 0; i < sentinels; i++) {
        int port = LocalPorts.resolve("sentinel", 0);
        group.launch(
            RedisSentinel.newRedisSentinel()
                .port(port)
                .masterName(masterName)
                .masterPort(masterPort)
                .quorumSize(sentinels / 2 + 1)
                .downAfterMilliseconds(downAfter.toMillis())
                // also how long sentinels wait before trying again after a failed failover
                .failOverTimeout(Math.max(3_000, 3 * downAfter.toMillis()))
                .parallelSyncs(1)
                .onShutdownForceStop(true)
                .build());
        group.sentinelPorts.add(port);
      }
      return group;
    } catch (RuntimeException e) {
      group.close();
      throw e;
    }
  }

  public String masterName() {
    return masterName;
  }

  /** The sentinels as {@code host:port}, the form of REDIS_SENTINELS. */
  public List<String> sentinelAddresses() {
    return sentinelPorts.stream().map(port -> LOOPBACK + ":" + port).toList();
  }

  /** The master's port as the first sentinel that answers names it. */
  public int masterPort() {
    for (int sentinel : sentinelPorts) {
      try {
        Object address =
            RedisCommand.send(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
        if (address instanceof List<?> hostAndPort) {
          return Integer.parseInt((String) hostAndPort.get(1));
        }
      } catch (UncheckedIOException e) {
        // that sentinel is gone: ask the next
      }
    }
    throw new IllegalStateException("no sentinel names a master for " + masterName);
  }

  /**
   * Waits until every replica is in sync with the master and every sentinel knows the replicas and
   * the other sentinels and has its quorum: until then a failover could not happen.
   */
  public void awaitReady(Duration timeout) {
    int replicas = serverPorts.size() - 1;
    await(
        timeout,
        "replicas in sync and sentinels agreed",
        () -> {
          String replication = (String) RedisCommand.send(masterPort(), "INFO", "replication");
          if (replication.split("state=online", -1).length - 1 < replicas) {
            return false;
          }
          for (int sentinel : sentinelPorts) {
            List<?> known =
                (List<?>) RedisCommand.send(sentinel, "SENTINEL", "REPLICAS", masterName);
            List<?> others =
                (List<?>) RedisCommand.send(sentinel, "SENTINEL", "SENTINELS", masterName);
            Object quorum = RedisCommand.send(sentinel, "SENTINEL", "CKQUORUM", masterName);
            if (known.size() < replicas
                || others.size() < sentinelPorts.size() - 1
                || quorum instanceof RedisCommand.Error) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * Kills the master's process with SIGKILL: no shutdown, no last write to replicas.
   *
   * @return the port it served
   */
  public int killMaster() {
    int port = masterPort();
    String info = (String) RedisCommand.send(port, "INFO", "server");
    long pid =
        info.lines()
            .filter(line -> line.startsWith("process_id:"))
            .mapToLong(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
            .findFirst()
            .orElseThrow();
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly(); // SIGKILL on Unix
    process.onExit().join();
    return port;
  }

  /** Waits until the sentinels name a master other than the one at {@code oldPort}. */
  public int awaitNewMaster(int oldPort, Duration timeout) {
    await(timeout, "a new master", () -> masterPort() != oldPort);
    return masterPort();
  }

  private int startServer(Integer masterPort) {
    int port = LocalPorts.resolve("redis", 0);
    try {
      var builder =
          RedisServer.newRedisServer()
              .port(port)
              .bind(LOOPBACK)
              .setting("save \"\"")
              .setting("appendonly no")
              .setting("daemonize no")
              .onShutdownForceStop(true);
      if (masterPort != null) {
        builder.slaveOf(LOOPBACK, masterPort);
      }
      launch(builder.build());
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server failed to start on port " + port, e);
    }
    serverPorts.add(port);
    return port;
  }

  private void launch(Redis process) {
    try {
      process.start();
    } catch (IOException e) {
      throw new UncheckedIOException("redis failed to start on " + process.ports(), e);
    }
    processes.add(process);
  }

  private static void await(Duration timeout, String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
    throw new IllegalStateException("no " + what + " within " + timeout.toMillis() + " ms", last);
  }

  /** Stops every process still running (sentinels first, so none fails over while we stop). */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      try {
        processes.get(i).stop();
      } catch (IOException | RuntimeException e) {
        // a killed master has nothing left to stop
      }
    }
    processes.clear();
  }

  /** The running server ports, master and replicas, for tests that look at them. */
  public List<Integer> serverPorts() {
    return List.copyOf(serverPorts);
  }
}
