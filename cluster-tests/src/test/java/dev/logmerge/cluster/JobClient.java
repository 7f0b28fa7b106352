package dev.logmerge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;

/** A client of one http JVM's REST API, as a user would drive it: initiate, poll, download. */
public final class JobClient {
  /**
   * No request may hang: a front end that cannot answer must say so (503), not keep the client
   * waiting.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI base;

  public JobClient(int port) {
    this("127.0.0.1", port);
  }

  /** A client of an API served elsewhere than on loopback, e.g. a port Docker maps. */
  public JobClient(String host, int port) {
    this.base = URI.create("http://" + host + ":" + port);
  }

  public HttpResponse<String> initiate(LocalDate start, LocalDate end) {
    String body =
        new JsonObject()
            .put("start_date", start.toString())
            .put("end_date", end.toString())
            .encode();
    return send(
        HttpRequest.newBuilder(base.resolve("/initiate"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Initiates a job that must be accepted; its id. */
  public String submit(LocalDate start, LocalDate end) {
    HttpResponse<String> answer = initiate(start, end);
    assertEquals(
        201, answer.statusCode(), () -> "initiate " + start + ".." + end + ": " + answer.body());
    return new JsonObject(answer.body()).getString("download_id");
  }

  public HttpResponse<byte[]> download(String id) {
    return send(
        HttpRequest.newBuilder(base.resolve("/download/" + id)),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  public JsonObject status(String id) {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(base.resolve("/status/" + id)),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer::body);
    return new JsonObject(answer.body());
  }

  /** Polls {@code /download/{id}} while it answers 202; the first other answer. */
  public HttpResponse<byte[]> awaitOutcome(String id, Duration timeout) {
    return Await.until(
        "job " + id + " to finish",
        timeout,
        () -> {
          HttpResponse<byte[]> answer = download(id);
          return answer.statusCode() == 202 ? null : answer;
        });
  }

  /** The result of a job that must succeed. */
  public byte[] awaitResult(String id, Duration timeout) {
    HttpResponse<byte[]> answer = awaitOutcome(id, timeout);
    assertEquals(200, answer.statusCode(), () -> "job " + id + ": " + new String(answer.body()));
    return answer.body();
  }

  public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request.timeout(REQUEST_TIMEOUT).build(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
