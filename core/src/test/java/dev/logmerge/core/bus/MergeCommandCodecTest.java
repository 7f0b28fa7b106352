package dev.logmerge.core.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class MergeCommandCodecTest {
  @Test
  void roundTripsThroughTheWireFormatAtAnOffset() {
    MergeCommandCodec codec = new MergeCommandCodec();
    Buffer wire = Buffer.buffer().appendString("header");
    codec.encodeToWire(wire, new MergeCommand("3f0c8f5e-0d7a-4b8e-9a55-0c1f2d3e4a5b"));
    assertEquals(
        new MergeCommand("3f0c8f5e-0d7a-4b8e-9a55-0c1f2d3e4a5b"),
        codec.decodeFromWire("header".length(), wire));
  }
}
