package dev.logmerge.http;

import io.vertx.core.buffer.Buffer;

/**
 * Turns a body relayed chunk by chunk into the content coding the client gets: as it is, or
 * gzip-encoded ({@link GzipEncoder}). Used on one event loop by one relay.
 */
interface BodyEncoder {
  /** Sends the body as it is. */
  BodyEncoder IDENTITY =
      new BodyEncoder() {
        @Override
        public Buffer encode(Buffer chunk) {
          return chunk;
        }

        @Override
        public Buffer finish() {
          return Buffer.buffer();
        }

        @Override
        public void release() {}
      };

  /** The encoded bytes of the next chunk of the body; may be empty. */
  Buffer encode(Buffer chunk);

  /** The encoded bytes that end the body, once every chunk has been encoded; may be empty. */
  Buffer finish();

  /** Frees what the encoder holds; called however the relay ended, and more than once is fine. */
  void release();
}
