package dev.logmerge.devservices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectingProxyTest {
  private EchoServer upstream;
  private FaultInjectingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = new EchoServer();
    proxy = FaultInjectingProxy.start(upstream.port());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    upstream.close();
  }

  @Test
  void relaysBytesBothWaysUnchanged() throws Exception {
    byte[] data = randomBytes(1 << 20);
    try (Socket socket = connect()) {
      assertArrayEquals(data, echo(socket, data));
    }
    assertEquals(1, proxy.connectionsAccepted());
  }

  @Test
  void countsConnectionsOpenUntilTheClientClosesThem() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(bytes("ping"));
      assertArrayEquals(bytes("ping"), socket.getInputStream().readNBytes(4));
      assertEquals(1, proxy.openConnections());
    }
    awaitTrue(() -> proxy.openConnections() == 0, "the closed connection is no longer counted");
  }

  @Test
  void cutsAConnectionOnceItRelayedTheGivenResponseBytes() throws Exception {
    proxy.cutResponsesAfter(1000, 1);
    byte[] data = randomBytes(50_000);
    try (Socket socket = connect()) {
      byte[] received = echo(socket, data);
      assertEquals(1000, received.length);
      assertArrayEquals(java.util.Arrays.copyOf(data, 1000), received);
    }
    assertEquals(1, proxy.connectionsCut());
    try (Socket socket = connect()) {
      assertArrayEquals(
          data, echo(socket, data), "the rule was used up: the next connection is not cut");
    }
    assertEquals(1, proxy.connectionsCut());
  }

  @Test
  void cutsRequestsSoTheServerSeesATruncatedMessage() throws Exception {
    proxy.cutRequestsAfter(777);
    try (Socket socket = connect()) {
      echo(socket, randomBytes(100_000));
    }
    awaitTrue(() -> upstream.received().size() == 1, "the upstream saw the connection end");
    assertEquals(777, upstream.received().get(0).length);
    assertEquals(1, proxy.connectionsCut());
  }

  @Test
  void refusesNewConnectionsUntilHealed() throws Exception {
    proxy.refuseNewConnections();
    assertThrows(ConnectException.class, this::connect);
    proxy.heal();
    try (Socket socket = connect()) {
      assertArrayEquals(bytes("back"), echo(socket, bytes("back")));
    }
  }

  @Test
  void dropsOpenConnections() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(bytes("ping"));
      assertArrayEquals(bytes("ping"), socket.getInputStream().readNBytes(4));
      proxy.dropOpenConnections();
      socket.setSoTimeout(10_000);
      assertTrue(endsWithResetOrEof(socket.getInputStream()), "the dropped connection ends");
    }
  }

  @Test
  void pauseHoldsBytesUntilHealed() throws Exception {
    try (Socket socket = connect()) {
      proxy.pause();
      socket.getOutputStream().write(bytes("held"));
      socket.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
      proxy.heal();
      socket.setSoTimeout(10_000);
      assertArrayEquals(bytes("held"), socket.getInputStream().readNBytes(4));
    }
  }

  @Test
  void closeStopsItsThreadsAndReleasesThePort() throws Exception {
    Socket open = connect();
    echo(open, bytes("x"));
    proxy.close();
    assertThrows(ConnectException.class, this::connect);
    awaitTrue(
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("fault-proxy-") && t.isAlive()),
        "no proxy thread left");
    open.close();
  }

  private Socket connect() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
  }

  /**
   * Writes all bytes (from another thread, so a large echo cannot dead-lock) and reads until the
   * end.
   */
  private static byte[] echo(Socket socket, byte[] data) throws Exception {
    socket.setSoTimeout(10_000);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                socket.getOutputStream().write(data);
                socket.shutdownOutput();
              } catch (IOException e) {
                // a cut connection: the reader sees it too
              }
            });
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = socket.getInputStream().read(buffer)) >= 0) {
        received.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // a reset ends the stream as well
    }
    writer.get(10, TimeUnit.SECONDS);
    return received.toByteArray();
  }

  private static boolean endsWithResetOrEof(InputStream in) {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Echoes every connection and records, per connection, all bytes it received before the end. */
  private static final class EchoServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    EchoServer() throws IOException {
      acceptor = new Thread(this::serve, "echo-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    List<byte[]> received() {
      return received;
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread connection = new Thread(() -> echo(socket), "echo-connection");
          connection.setDaemon(true);
          connection.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void echo(Socket socket) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      try (socket) {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = socket.getInputStream().read(buffer)) >= 0) {
          all.write(buffer, 0, n);
          socket.getOutputStream().write(buffer, 0, n);
        }
      } catch (IOException e) {
        // reset by the proxy: record what arrived
      }
      received.add(all.toByteArray());
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
