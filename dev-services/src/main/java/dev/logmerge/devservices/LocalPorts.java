package dev.logmerge.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks and checks loopback ports for the embedded servers. */
public final class LocalPorts {
  private LocalPorts() {}

  /**
   * Returns {@code requested} if it is free on loopback, or any free port when {@code requested} is
   * 0.
   *
   * @throws PortInUseException when a specific port is taken, so a start can stop with a clear
   *     message
   */
  public static int resolve(String server, int requested) {
    if (requested == 0) {
      return bindAndRelease(0);
    }
    try {
      return bindAndRelease(requested);
    } catch (UncheckedIOException e) {
      throw new PortInUseException(server, requested);
    }
  }

  private static int bindAndRelease(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // as the servers themselves bind: connections of an earlier run in TIME_WAIT do not make a
      // port busy
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A configured port is already taken by another process. */
  public static final class PortInUseException extends IllegalStateException {
    public PortInUseException(String server, int port) {
      super(
          server
              + " cannot listen on port "
              + port
              + ": the port is already in use"
              + " (stop the other process, or choose another port; 0 picks any free port)");
    }
  }
}
