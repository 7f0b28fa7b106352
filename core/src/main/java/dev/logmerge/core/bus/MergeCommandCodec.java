package dev.logmerge.core.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/** Carries {@link MergeCommand} across the clustered event bus as a small JSON document. */
public final class MergeCommandCodec implements MessageCodec<MergeCommand, MergeCommand> {
  private static final String NAME = "logmerge.MergeCommand";

  /**
   * Makes {@link MergeCommand} sendable on this Vert.x instance's event bus; call once per Vert.x.
   */
  public static void register(Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(MergeCommand.class, new MergeCommandCodec());
  }

  @Override
  public void encodeToWire(Buffer buffer, MergeCommand command) {
    Buffer json = new JsonObject().put("job_id", command.jobId()).toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public MergeCommand decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    JsonObject json = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    return new MergeCommand(json.getString("job_id"));
  }

  @Override
  public MergeCommand transform(MergeCommand command) {
    return command;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
