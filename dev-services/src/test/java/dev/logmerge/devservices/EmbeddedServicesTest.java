package dev.logmerge.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServicesTest {

  @Test
  void redisAnswersPingOnTheChosenPort() throws Exception {
    try (EmbeddedRedis redis = EmbeddedRedis.start(0);
        Socket socket = new Socket("127.0.0.1", redis.port());
        PrintWriter out =
            new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
      out.print("PING\r\n");
      out.flush();
      assertEquals("+PONG", in.readLine());
      assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
    }
  }

  @Test
  void s3ServesFilesOfASubFolderAsObjectsOfThatBucket(@TempDir Path dir) throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("logs"));
    java.nio.file.Files.writeString(dir.resolve("logs/2019-08-17_1"), "a line\n");
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, "minio", "minio123")) {
      HttpURLConnection connection =
          (HttpURLConnection) s3.endpoint().resolve("/logs?list-type=2").toURL().openConnection();
      assertEquals(200, connection.getResponseCode());
      String listing =
          new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(listing.contains("<Key>2019-08-17_1</Key>"), listing);
      assertTrue(s3.port() > 0);
    }
  }

  @Test
  void aTakenPortStopsTheStartWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      LocalPorts.PortInUseException error =
          assertThrows(
              LocalPorts.PortInUseException.class, () -> EmbeddedRedis.start(taken.getLocalPort()));
      assertTrue(
          error.getMessage().contains(String.valueOf(taken.getLocalPort())), error.getMessage());
      assertTrue(error.getMessage().contains("already in use"), error.getMessage());
    }
  }
}
