package dev.logmerge.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests of a server spread over several event loops: {@code clients} HTTP/1.1 connections
 * opened all before any request is sent, so that a server handing new connections to its instances
 * in turn gives each instance some.
 */
public final class ConcurrentClients {
  private ConcurrentClients() {}

  /**
   * Opens {@code clients} connections to {@code port} on loopback, then sends {@code GET path} on
   * each with {@code Connection: close}, and returns each whole answer (status line, headers, body)
   * as text, in order.
   */
  public static List<String> get(int port, String path, int clients) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        sockets.add(new Socket(InetAddress.getLoopbackAddress(), port));
      }
      byte[] request =
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      for (Socket socket : sockets) {
        socket.getOutputStream().write(request);
      }
      List<String> answers = new ArrayList<>();
      for (Socket socket : sockets) {
        InputStream in = socket.getInputStream();
        answers.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      return answers;
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
