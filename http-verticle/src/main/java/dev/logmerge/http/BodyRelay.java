package dev.logmerge.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;

/**
 * Relays an S3 response body to the client's response on one event loop, with back-pressure:
 * reading from S3 pauses while the client's write queue is full, so a slow client slows the S3 read
 * and memory stays bounded. Each chunk passes through a {@link BodyEncoder} on its way (gzip when
 * the client asked for it), so the back-pressure counts the encoded bytes the client has not taken.
 *
 * <p>Like {@code ReadStream.pipeTo}, but it tells who ended the relay, which a pipe cannot (a write
 * to a client that left fails the pipe before the close is known): S3 failing is a storage problem;
 * a client that left or stopped reading is not. Either way the S3 request is reset at once, so its
 * connection is not held.
 */
final class BodyRelay {
  /** How a relay ended without an S3 failure. */
  enum Outcome {
    /** Every byte was written and the response ended. */
    COMPLETE,
    /** The client closed the connection. */
    CLIENT_LEFT,
    /** The client read nothing for so long that the S3 request timed out while waiting for it. */
    CLIENT_STALLED
  }

  private final HttpClientResponse body;
  private final HttpServerResponse response;
  private final BodyEncoder encoder;
  private final Promise<Outcome> outcome = Promise.promise();
  private boolean waitingForClient;
  private boolean clientLeft;

  private BodyRelay(HttpClientResponse body, HttpServerResponse response, BodyEncoder encoder) {
    this.body = body;
    this.response = response;
    this.encoder = encoder;
  }

  /**
   * Starts relaying; call on the event loop of both responses. Completes with how the relay ended,
   * or fails with S3's error; the response is ended only when complete (the caller decides how to
   * cut it otherwise). The encoder is released once the relay has ended, however it ended.
   */
  static Future<Outcome> start(
      HttpClientResponse body, HttpServerResponse response, BodyEncoder encoder) {
    BodyRelay relay = new BodyRelay(body, response, encoder);
    relay.run();
    return relay.outcome.future().onComplete(ended -> encoder.release());
  }

  private void run() {
    response.closeHandler(
        closed -> {
          clientLeft = true;
          body.request().reset();
          outcome.tryComplete(Outcome.CLIENT_LEFT);
        });
    body.handler(
        chunk -> {
          if (clientLeft) {
            return;
          }
          Buffer encoded = encoder.encode(chunk);
          if (encoded.length() == 0) {
            return; // the encoder keeps it for now: nothing to write, nothing to wait for
          }
          // a write failing means the client is gone: its close follows and ends the relay
          response.write(encoded);
          if (response.writeQueueFull()) {
            waitingForClient = true;
            body.pause();
            response.drainHandler(
                drained -> {
                  waitingForClient = false;
                  body.resume();
                });
          }
        });
    body.exceptionHandler(
        error -> {
          if (clientLeft) {
            outcome.tryComplete(Outcome.CLIENT_LEFT);
          } else if (waitingForClient && error instanceof TimeoutException) {
            // S3 sent nothing because the relay asked for nothing: the client stalled
            outcome.tryComplete(Outcome.CLIENT_STALLED);
          } else {
            outcome.tryFail(error);
          }
        });
    body.endHandler(
        end ->
            response
                .end(encoder.finish())
                .onComplete(
                    ended -> {
                      response.closeHandler(null);
                      outcome.tryComplete(
                          ended.succeeded() ? Outcome.COMPLETE : Outcome.CLIENT_LEFT);
                    }));
    if (response.closed()) {
      // the client left while S3 was answering
      clientLeft = true;
      body.request().reset();
      outcome.tryComplete(Outcome.CLIENT_LEFT);
      return;
    }
    body.resume();
  }
}
