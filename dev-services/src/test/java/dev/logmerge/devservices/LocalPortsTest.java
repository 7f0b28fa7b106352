package dev.logmerge.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class LocalPortsTest {
  @Test
  void aPortSomeoneListensOnIsInUse() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      LocalPorts.PortInUseException error =
          assertThrows(
              LocalPorts.PortInUseException.class,
              () -> LocalPorts.resolve("embedded S3", taken.getLocalPort()));
      assertTrue(
          error
              .getMessage()
              .startsWith("embedded S3 cannot listen on port " + taken.getLocalPort()));
    }
  }

  @Test
  void aPortWhoseServerJustClosedItsConnectionsIsFree() throws IOException {
    // the side that closes first keeps its end in TIME_WAIT for a minute; servers bind over it
    // (SO_REUSEADDR), so a restart right after a busy run must not be refused
    int port;
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = server.getLocalPort();
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
          Socket accepted = server.accept()) {
        accepted.close(); // the server closes first: its end goes to TIME_WAIT
        assertEquals(-1, client.getInputStream().read());
      }
    }

    assertEquals(port, LocalPorts.resolve("embedded S3", port));
  }

  @Test
  void zeroPicksAFreePort() {
    assertTrue(LocalPorts.resolve("embedded Redis", 0) > 0);
  }
}
