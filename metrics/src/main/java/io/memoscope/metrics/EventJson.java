package io.memoscope.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.memoscope.protocol.avro.TrainingEvent;
import java.io.IOException;

/**
 * A training event as the history endpoints write it ({@code sequence}, {@code timestamp}, {@code
 * kind}, {@code epoch}, {@code step}, {@code labels}, {@code metrics}, {@code message} when set),
 * straight to the output: a history of 10,000s of events is written without building a map per
 * event first, which kept the garbage collector (and so {@code /metrics}) busy under load.
 */
final class EventJson extends StdSerializer<TrainingEvent> {

  static SimpleModule module() {
    return new SimpleModule("memoscope-events").addSerializer(TrainingEvent.class, new EventJson());
  }

  private EventJson() {
    super(TrainingEvent.class);
  }

  @Override
  public void serialize(TrainingEvent e, JsonGenerator json, SerializerProvider provider)
      throws IOException {
    json.writeStartObject();
    json.writeNumberField("sequence", e.getSequence());
    json.writeStringField("timestamp", e.getTimestamp().toString());
    json.writeStringField("kind", e.getKind().name());
    json.writeNumberField("epoch", e.getEpoch());
    json.writeNumberField("step", e.getStep());
    provider.defaultSerializeField("labels", e.getLabels(), json);
    provider.defaultSerializeField("metrics", e.getMetrics(), json);
    if (e.getMessage() != null) {
      json.writeStringField("message", e.getMessage().toString());
    }
    json.writeEndObject();
  }
}
